import { z } from 'zod';
import { StewardError } from '../../domain/errors.js';
import type { SyncSettings } from '../settings.js';

/**
 * The activity feed's checkpoint (`sync_checkpoints.cursor` for `activities`):
 *
 *   { v: 1,
 *     high_water: <lt of the last completed pass> | null,
 *     pass: null | { kind: 'catchup' | 'incremental', gte, lt, after_id, oldest_at, data_from? } }
 *
 * A pass reads the window [gte, lt) newest first, page after page (`after_id` = the
 * previous page's `last_id`). Its bounds are fixed when it starts, so an interrupted
 * pass resumes from its stored `after_id` with the same window, and every page's
 * commit moves `after_id` with the page's rows. When the last page commits, the pass
 * ends and `high_water` becomes its `lt`.
 */
const iso = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be a timestamp');
const passSchema = z.object({
  kind: z.enum(['catchup', 'incremental']),
  gte: iso,
  lt: iso,
  after_id: z.string().nullable(),
  oldest_at: iso.nullable(),
  /** Catch-up only: about where the feed's history starts inside the window (for the ETA). */
  data_from: iso.nullable().optional(),
  /**
   * Catch-up only: read as parallel time windows, each with its own cursor in
   * `activity_catchup_windows` (`after_id` and `oldest_at` above then stay null).
   */
  windows: z.boolean().optional(),
});
const cursorSchema = z.object({ v: z.literal(1), high_water: iso.nullable(), pass: passSchema.nullable() });

export type Pass = z.infer<typeof passSchema>;
export type ActivityCursor = z.infer<typeof cursorSchema>;

export const EMPTY_CURSOR: ActivityCursor = { v: 1, high_water: null, pass: null };

/** A stored cursor, or the empty one for a source never run; refuses a corrupt one. */
export function parseActivityCursor(raw: Record<string, unknown> | null | undefined): ActivityCursor {
  if (!raw || Object.keys(raw).length === 0) return EMPTY_CURSOR;
  const r = cursorSchema.safeParse(raw);
  if (!r.success) {
    throw new StewardError(
      'checkpoint_invalid',
      `The activities checkpoint is not in a form this version understands: ${r.error.issues[0]?.message ?? 'invalid'}`,
      { retry: false },
    );
  }
  return r.data;
}

const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const isoOf = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * The next pass to start (when none is in progress): a catch-up from the backfill
 * bound the first time, else an incremental pass from the high-water mark minus the
 * overlap. It ends `settle` before now. Null when the window is empty.
 */
export function planPass(
  cursor: ActivityCursor,
  now: Date,
  s: Pick<SyncSettings, 'activityBackfillMs' | 'activityOverlapMs' | 'activitySettleMs'>,
): Pass | null {
  const lt = wholeSecond(now.getTime() - s.activitySettleMs);
  const floor = wholeSecond(now.getTime() - s.activityBackfillMs);
  const incremental = cursor.high_water !== null;
  const gte = incremental ? Math.max(floor, Date.parse(cursor.high_water!) - s.activityOverlapMs) : floor;
  if (gte >= lt) return null;
  return {
    kind: incremental ? 'incremental' : 'catchup',
    gte: isoOf(gte),
    lt: isoOf(lt),
    after_id: null,
    oldest_at: null,
  };
}

/** The cursor after a page of the pass committed; `done` when the feed said no more. */
export function afterPage(
  cursor: ActivityCursor,
  pass: Pass,
  page: { lastId: string | null; oldestAt: string | null },
  done: boolean,
): ActivityCursor {
  if (done) return { v: 1, high_water: pass.lt, pass: null };
  return {
    ...cursor,
    pass: { ...pass, after_id: page.lastId ?? pass.after_id, oldest_at: page.oldestAt ?? pass.oldest_at },
  };
}

/**
 * Share of the pass's time span already read (pages go from `lt` back to where the
 * feed's history starts in the window, or `gte` when that is not known).
 */
export function passFraction(pass: Pass): number {
  if (pass.oldest_at === null) return 0;
  const lt = Date.parse(pass.lt);
  const from = Math.max(Date.parse(pass.gte), pass.data_from ? Date.parse(pass.data_from) : -Infinity);
  const span = lt - from;
  return span <= 0 ? 1 : Math.min(1, Math.max(0, (lt - Date.parse(pass.oldest_at)) / span));
}

/**
 * Narrows down where a window's history starts, to within `resolution`, by asking
 * whether anything exists before a point (`probe(t)`: is there an activity in
 * [gte, t)?). Each round asks at `fanout` points at once, cutting the span into
 * `fanout + 1` parts: about log_(fanout+1)(span / resolution) rounds of one-activity
 * requests (a binary search with one). The answer only sizes windows and feeds the
 * ETA, so it needs no more precision; asking in parallel saves round trips on a slow link.
 */
export async function findDataStart(
  gte: string,
  lt: string,
  resolutionMs: number,
  probe: (before: string) => Promise<boolean>,
  fanout = 1,
): Promise<string> {
  if (!Number.isInteger(fanout) || fanout < 1) throw new RangeError('fanout must be a positive integer');
  let lo = Date.parse(gte);
  let hi = Date.parse(lt);
  while (hi - lo > resolutionMs) {
    const points: number[] = [];
    for (let i = 1; i <= fanout; i++) {
      const p = wholeSecond(lo + ((hi - lo) * i) / (fanout + 1));
      if (p > lo && p < hi && p !== points[points.length - 1]) points.push(p);
    }
    if (points.length === 0) break;
    const found = await Promise.all(points.map((p) => probe(isoOf(p))));
    // History starts before the first point that finds something, and after the one before it.
    const first = found.indexOf(true);
    if (first === -1) lo = points[points.length - 1]!;
    else {
      hi = points[first]!;
      if (first > 0) lo = points[first - 1]!;
    }
  }
  return isoOf(lo);
}
