import type { Tx } from '../../db/types.js';
import { sql } from 'drizzle-orm';
import { advanceCheckpoint, type CheckpointName } from '../checkpoints.js';
import type { Tally } from '../tally.js';
import type { ActivityCursor, Pass } from './plan.js';
import { readRange, type BatchStored, type RangeReaderDeps } from './range-reader.js';
import { advanceWindow, createWindows, endWindows, loadWindows, type StoredWindow } from './window-store.js';
import { chooseConcurrency, splitWindows, windowCount, windowsFraction } from './windows.js';

/** The documented budget, until a response reports one: 600 requests a minute. */
export const DOCUMENTED_REQUESTS_PER_MINUTE = 600;

export interface CatchupDeps extends RangeReaderDeps {
  /** The feed's checkpoint (`activities`, or `activities@<organisation id>`); its windows are stored under it. */
  checkpoint: CheckpointName;
  /** `sync.feed_rate_share`. */
  share: number;
  /** `sync.catchup_parallel`. */
  maxParallel: number;
}

export interface CatchupContext {
  tally: Tally;
  signal?: AbortSignal | undefined;
  /** After each committed batch of any window, with the share of the pass read; throwing stops the pass. */
  progress(fraction: number): Promise<void>;
  /** Round trips seen before the windows start (finding where the history starts), to size them from the first. */
  latencyMs?: number | undefined;
}

/**
 * Starts a windowed catch-up: the pass's range cut into windows (where its history
 * starts is known by now), stored with the checkpoint that marks the pass windowed, in
 * one transaction. Returns the cursor as stored.
 */
export async function startWindowedCatchup(
  deps: CatchupDeps,
  cursor: ActivityCursor,
  pass: Pass,
): Promise<ActivityCursor> {
  const windows = splitWindows({ gte: pass.gte, lt: pass.lt, dataFrom: pass.data_from }, windowCount(deps.maxParallel));
  const next: ActivityCursor = { ...cursor, pass: { ...pass, after_id: null, oldest_at: null, windows: true } };
  await deps.db.transaction(async (tx) => {
    await createWindows(tx, deps.checkpoint, windows, deps.now());
    await advanceCheckpoint(tx, deps.checkpoint, cursor, next, deps.now());
  });
  return next;
}

/**
 * Reads a windowed catch-up's unfinished windows, several at once, each from its own
 * stored cursor, and ends the pass when all are read. Windows finish in any order. How
 * many are read at once follows the observed round trip and the budget (see
 * `chooseConcurrency`); every request still goes through the feed client's one pacer,
 * so together they never take more than the policy's share. The first failure stops the
 * others (their open batches roll back) and is thrown; a rerun resumes every window
 * where its last batch committed.
 */
export async function runWindowedCatchup(
  deps: CatchupDeps,
  cursor: ActivityCursor,
  pass: Pass,
  ctx: CatchupContext,
): Promise<ActivityCursor> {
  const windows = await loadWindows(deps.db, deps.checkpoint);
  const pending = windows.filter((w) => !w.done);
  const stop = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal;
  const running = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  let latencyMs: number | undefined = ctx.latencyMs;
  let budget = DOCUMENTED_REQUESTS_PER_MINUTE;
  let wake: () => void = () => {};
  /** The most windows read at once (reported in the run's counts). */
  let atOnce = 0;

  const read = (w: StoredWindow): Promise<void> =>
    readRange(deps, {
      gte: w.gte,
      lt: w.lt,
      afterId: w.afterId,
      mode: 'fast',
      signal,
      advance: (tx, end) => advanceWindow(tx, deps.checkpoint, w.gte, w.afterId, end, deps.now()),
      beforeRollups: deferSummaries,
      redone: () => ctx.tally.add('batches_redone'),
      // Every page updates the round trip (a moving average) and may start another window.
      pageArrived(ms, limit) {
        latencyMs = latencyMs === undefined ? ms : latencyMs * 0.8 + ms * 0.2;
        if (limit !== undefined) budget = limit;
        wake();
      },
      async committed(b: BatchStored) {
        w.afterId = b.lastId;
        w.oldestAt = b.oldestAt ?? w.oldestAt;
        w.done = b.done;
        count(ctx.tally, b);
        if (b.done) ctx.tally.add('windows');
        wake();
        await ctx.progress(windowsFraction(windows, pass.data_from));
      },
    });

  while (failure === undefined) {
    const target = chooseConcurrency({
      latencyMs,
      requestsPerMinute: budget,
      share: deps.share,
      maxParallel: deps.maxParallel,
      remaining: pending.length + running.size,
    });
    while (running.size < target && pending.length > 0) {
      const job: Promise<void> = read(pending.shift()!).then(
        () => void running.delete(job),
        (err: unknown) => {
          running.delete(job);
          failure ??= { err };
          // The others stop at their next request; what they had not committed rolls back.
          stop.abort();
        },
      );
      running.add(job);
    }
    if (running.size === 0) break;
    atOnce = Math.max(atOnce, running.size);
    // Woken when a window ends (to start the next) or a page reports its round trip.
    await Promise.race([...running, new Promise<void>((resolve) => (wake = resolve))]);
  }
  await Promise.allSettled(running);
  ctx.tally.add('windows_at_once', atOnce);
  if (failure !== undefined) throw failure.err;

  const next: ActivityCursor = { v: 1, high_water: pass.lt, pass: null };
  await deps.db.transaction(async (tx) => {
    await endWindows(tx, deps.checkpoint);
    await summariseAll(tx);
    await advanceCheckpoint(tx, deps.checkpoint, cursor, next, deps.now());
  });
  return next;
}

function count(tally: Tally, b: BatchStored): void {
  tally.add('pages', b.pages);
  tally.add('fetched', b.fetched);
  tally.add('inserted', b.inserted);
  tally.add('duplicates', b.fetched - b.inserted);
  tally.add('rollups', b.rollups);
}

/**
 * A catch-up's batches leave the correlation summaries to the transaction that ends the
 * pass (migration 0022): per batch, their triggers' work is per principal, and every
 * principal is in every batch. It also means windows stored at once never update the
 * same rows: their roll-up days are apart (windows are cut at midnights).
 */
export async function deferSummaries(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('steward.defer_activity_summaries', 'on', true)`);
}

/** Brings the summaries up to date with every roll-up, in the transaction that ends a catch-up. */
export async function summariseAll(tx: Tx): Promise<void> {
  await tx.execute(sql`select steward_summarise_all_activity()`);
}
