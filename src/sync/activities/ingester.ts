import type { ComplianceFeedClient } from '../../anthropic/compliance/client.js';
import type { FeedPage } from '../../anthropic/compliance/schema.js';
import type { Db } from '../../db/types.js';
import { syncFailure } from '../failure.js';
import type { Logger } from '../../log.js';
import { advanceCheckpoint, readCheckpoint } from '../checkpoints.js';
import type { SyncSettings } from '../settings.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import { afterPage, parseActivityCursor, passFraction, planPass, type ActivityCursor, type Pass } from './plan.js';
import { BatchBuilder, writeBatch } from './write.js';

export interface ActivityIngesterDeps {
  db: Db;
  feed: ComplianceFeedClient;
  logger: Logger;
  now: () => Date;
  settings: SyncSettings;
  /** Activities per request (the API allows up to 5000). */
  pageSize?: number;
  /** Activities per write transaction (whole pages are added until this is reached). */
  batchSize?: number;
}

export const DEFAULT_ACTIVITY_PAGE_SIZE = 5000;
/**
 * Several pages per statement: the per-principal work (roll-up and summary upserts)
 * grows with the principals in a batch, not with its activities, so bigger batches
 * cost less per activity.
 */
export const DEFAULT_ACTIVITY_BATCH_SIZE = 20_000;

/**
 * Compliance activity feed → `activity_events` + `principal_activity_daily`.
 *
 * A run first finishes any pass a previous run left half-done (same window, from its
 * stored cursor); then, unless that was an incremental pass, it starts a new one: a
 * catch-up back to the backfill bound the first time, followed by an incremental pass
 * for what arrived meanwhile; otherwise an incremental pass from the high-water mark
 * minus the overlap. Pages are gathered into batches; each batch is written in one
 * transaction with the checkpoint that points past it. Fetching runs ahead of writing
 * by at most one batch, so memory stays flat however long the feed is.
 */
export function createActivityIngester(deps: ActivityIngesterDeps): Ingester {
  const pageSize = deps.pageSize ?? DEFAULT_ACTIVITY_PAGE_SIZE;
  const batchSize = deps.batchSize ?? DEFAULT_ACTIVITY_BATCH_SIZE;
  const log = deps.logger.child({ source: 'activities' });

  return {
    source: 'activities',
    async run(ctx: IngestContext = {}): Promise<IngestResult> {
      const tally = new Tally('activities');
      const notes: string[] = [];
      try {
        let cursor = parseActivityCursor((await readCheckpoint(deps.db, 'activities'))?.cursor);
        const resumed = cursor.pass;
        if (resumed) {
          notes.push(`resumed a ${resumed.kind} pass from ${resumed.oldest_at ?? resumed.lt}`);
          cursor = await runPass(cursor, resumed, tally, ctx);
        }
        if (!resumed || resumed.kind === 'catchup') {
          const first = planPass(cursor, deps.now(), deps.settings);
          if (first) {
            cursor = await runPass(cursor, first, tally, ctx);
            if (first.kind === 'catchup') {
              const next = planPass(cursor, deps.now(), deps.settings);
              if (next) cursor = await runPass(cursor, next, tally, ctx);
            }
          }
        }
        return { status: 'succeeded', counts: tally.counts, notes };
      } catch (err) {
        const error = syncFailure(err, 'activities');
        return { status: 'failed', counts: tally.counts, notes, error };
      }
    },
  };

  async function runPass(start: ActivityCursor, pass: Pass, tally: Tally, ctx: IngestContext): Promise<ActivityCursor> {
    const phase = pass.kind === 'catchup' ? 'catch-up' : 'incremental';
    log.info({ pass: { ...pass } }, `activities: ${phase} pass over [${pass.gte}, ${pass.lt})`);
    tally.add('passes');
    const fetchPage = (afterId: string | null): Promise<FeedPage> => {
      const p = deps.feed.page(
        { limit: pageSize, createdAt: { gte: pass.gte, lt: pass.lt }, ...(afterId ? { afterId } : {}) },
        ctx.signal ? { signal: ctx.signal } : {},
      );
      // Awaited below; until then a rejection must not count as unhandled.
      p.catch(() => {});
      return p;
    };

    // `planned` is the cursor as it will be once every scheduled write has committed;
    // writes run one at a time, in order, each moving the checkpoint from the previous one.
    let planned = start;
    let writing: Promise<void> = Promise.resolve();
    const write = (batch: BatchBuilder, from: ActivityCursor, to: ActivityCursor, pages: number, fetched: number, done: boolean) =>
      writing.then(async () => {
        const o = await deps.db.transaction(async (tx) => {
          const out = await writeBatch(tx, batch, deps.now());
          await advanceCheckpoint(tx, 'activities', from, to, deps.now());
          return out;
        });
        tally.add('pages', pages);
        tally.add('fetched', fetched);
        tally.add('inserted', o.inserted);
        tally.add('duplicates', fetched - o.inserted);
        tally.add('rollups', o.rollups);
        const fraction = done ? 1 : to.pass ? passFraction(to.pass) : 1;
        await ctx.onProgress?.(tally.progress(phase, 'fetched', pass.kind === 'catchup' ? fraction : undefined));
      });

    let batch = new BatchBuilder();
    let pages = 0;
    let fetched = 0;
    let pending = fetchPage(pass.after_id);
    try {
      for (;;) {
        const page = await pending;
        const done = !page.hasMore;
        // The next request goes out before this page is handled, and keeps going while
        // the previous batch is written: fetching, parsing and writing overlap.
        if (!done) pending = fetchPage(page.lastId);
        batch.add(page.data);
        pages += 1;
        fetched += page.data.length;
        if (done || batch.size >= batchSize) {
          const oldest = page.data[page.data.length - 1]?.created_at ?? null;
          const current = planned.pass ?? pass;
          const next = afterPage(planned, current, { lastId: page.lastId, oldestAt: oldest }, done);
          // At most one batch waits while another is written: memory stays at two batches.
          await writing;
          writing = write(batch, planned, next, pages, fetched, done);
          writing.catch(() => {});
          planned = next;
          batch = new BatchBuilder();
          pages = 0;
          fetched = 0;
        }
        if (done) {
          await writing;
          return planned;
        }
      }
    } catch (err) {
      // Never leave a write running behind a failure: the caller reports the run as over.
      // A failed write is the more telling error.
      await writing;
      throw err;
    }
  }
}
