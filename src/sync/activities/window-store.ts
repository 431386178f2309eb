import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';
import { StewardError } from '../../domain/errors.js';
import type { CheckpointName } from '../checkpoints.js';
import type { BatchEnd } from './range-reader.js';
import type { TimeWindow } from './windows.js';

/** A window of a parallel catch-up as stored (`activity_catchup_windows`). */
export interface StoredWindow extends TimeWindow {
  afterId: string | null;
  oldestAt: string | null;
  done: boolean;
}

/**
 * The windows of a new catch-up, in the transaction that marks the pass as windowed. `feed` is
 * the checkpoint the pass belongs to (`activities`, `activities@<organisation id>`): each
 * organisation's feed has its own windows (issue 17).
 */
export async function createWindows(
  tx: Executor,
  feed: CheckpointName,
  windows: readonly TimeWindow[],
  now: Date,
): Promise<void> {
  // A pass that was abandoned without ending (its checkpoint rewritten by hand) leaves nothing behind.
  await tx.execute(sql`delete from activity_catchup_windows where feed = ${feed}`);
  await tx.execute(
    sql`insert into activity_catchup_windows (feed, gte, lt, updated_at)
        select ${feed}, w.gte, w.lt, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(windows)}::jsonb) as w(gte text, lt text)`,
  );
}

/** Every window of the feed's catch-up in progress, newest first. */
export async function loadWindows(ex: Executor, feed: CheckpointName): Promise<StoredWindow[]> {
  const rows = await queryRows<{
    gte: string;
    lt: string;
    after_id: string | null;
    oldest_at: string | null;
    done: boolean;
  }>(
    ex,
    sql`select gte, lt, after_id, oldest_at, done_at is not null as done
        from activity_catchup_windows where feed = ${feed} order by gte desc`,
  );
  return rows.map((r) => ({ gte: r.gte, lt: r.lt, afterId: r.after_id, oldestAt: r.oldest_at, done: r.done }));
}

/**
 * Moves a window's cursor past a batch, inside the batch's transaction. Guarded by the
 * cursor this reader started the batch from: if another run moved it meanwhile, nothing
 * is written and a retryable `sync_conflict` rolls the batch back.
 */
export async function advanceWindow(
  tx: Executor,
  feed: CheckpointName,
  gte: string,
  expectedAfterId: string | null,
  end: BatchEnd,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const moved = await queryRows(
    tx,
    sql`update activity_catchup_windows set
          after_id = ${end.lastId},
          oldest_at = coalesce(${end.oldestAt}, oldest_at),
          done_at = case when ${end.done}::boolean then ${at}::timestamptz end,
          updated_at = ${at}::timestamptz
        where feed = ${feed} and gte = ${gte} and after_id is not distinct from ${expectedAfterId} and done_at is null
        returning gte`,
  );
  if (moved.length === 0) {
    throw new StewardError(
      'sync_conflict',
      `Another sync of ${feed} moved the catch-up window from ${gte} while this one ran; this run stopped without writing.`,
      { retry: true },
    );
  }
}

/** Ends the feed's catch-up windows, in the transaction that moves the pass's checkpoint on. */
export async function endWindows(tx: Executor, feed: CheckpointName): Promise<void> {
  const open = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from activity_catchup_windows where feed = ${feed} and done_at is null`,
  );
  if ((open[0]?.n ?? 0) > 0) {
    throw new StewardError('sync_conflict', `The ${feed} catch-up still has windows to read.`, { retry: true });
  }
  await tx.execute(sql`delete from activity_catchup_windows where feed = ${feed}`);
}
