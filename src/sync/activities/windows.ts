import { DAY_MS } from '../days.js';

/**
 * Planning of a parallel catch-up (issue 21): the pass's range cut into time windows that
 * are read concurrently, each with its own cursor, and how many to read at once. Pure.
 *
 * Windows tile the range without gap or overlap, `created_at.gte` inclusive and
 * `created_at.lt` exclusive, as the docs advise for consecutive windows ("Use
 * created_at.gte for the lower bound and created_at.lt for the upper bound so that
 * consecutive windows tile without gaps or overlap",
 * https://platform.claude.com/docs/en/manage-claude/compliance-integration-patterns), so
 * the activities read are exactly those of one sequential read of the range.
 */
export interface TimeWindow {
  gte: string;
  lt: string;
}

/** More windows than readers, so a reader that finishes early takes another and none idles at the end. */
export const WINDOWS_PER_READER = 4;

const isoOf = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Cuts [gte, lt) into at most `count` windows, newest first. The span that holds history
 * (from `dataFrom`, when known, to `lt`) is cut into equal parts; inner boundaries fall on
 * UTC midnights, so a principal's day is written by one window only (its roll-up row is
 * not contended), and no window is shorter than a day. The oldest window reaches down to
 * `gte`, so nothing before `dataFrom` (an estimate) is skipped.
 */
export function splitWindows(
  range: { gte: string; lt: string; dataFrom?: string | null },
  count: number,
): TimeWindow[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  const gte = Date.parse(range.gte);
  const lt = Date.parse(range.lt);
  if (!(gte < lt)) throw new RangeError('the range must end after it starts');
  const dataFrom = range.dataFrom ? Date.parse(range.dataFrom) : Number.NaN;
  const from = Number.isNaN(dataFrom) ? gte : Math.min(Math.max(gte, dataFrom), lt);
  const span = lt - from;
  const parts = Math.max(1, Math.min(count, Math.floor(span / DAY_MS)));
  const bounds: number[] = [lt];
  for (let i = parts - 1; i >= 1; i--) {
    const b = Math.floor((from + (span * i) / parts) / DAY_MS) * DAY_MS;
    if (b > gte && b < bounds[bounds.length - 1]!) bounds.push(b);
  }
  bounds.push(gte);
  const out: TimeWindow[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) out.push({ gte: isoOf(bounds[i + 1]!), lt: isoOf(bounds[i]!) });
  // Keep the caller's exact text at the ends (it may carry other digits than isoOf prints).
  out[0]!.lt = range.lt;
  out[out.length - 1]!.gte = range.gte;
  return out;
}

export interface ConcurrencyInput {
  /** Recent round trip of one page request in ms; undefined before the first one. */
  latencyMs: number | undefined;
  /** The budget's limit per window as the responses report it (documented: 600 a minute). */
  requestsPerMinute: number;
  /** `sync.feed_rate_share`: the part of the budget Steward may use. */
  share: number;
  /** `sync.catchup_parallel`: the most windows read at once. */
  maxParallel: number;
  /** Windows not yet finished. */
  remaining: number;
}

/** Above what the budget and latency call for, so a reader busy committing does not leave the budget unused. */
export const LATENCY_HEADROOM = 1.5;

/**
 * How many windows to read at once. A reader has one request in flight at a time (each
 * page's cursor comes from the one before), so to use the budget's rate R (requests a
 * second: limit × share / 60) with a round trip of L seconds it takes about R × L readers
 * (Little's law), with half as many again: each window also spends time committing its batches, and starts its first page with nothing in flight. At least two, so the database has a second window's
 * pages to store while the first waits for its next page or commits. Never more than
 * `maxParallel`, than the windows left, or than the share of one budget window allows
 * in flight (the pacer holds requests beyond the share until the reset in any case).
 */
export function chooseConcurrency(i: ConcurrencyInput): number {
  const allowance = Math.max(1, Math.floor(i.requestsPerMinute * i.share));
  const cap = Math.max(1, Math.min(i.maxParallel, i.remaining, allowance));
  if (i.latencyMs === undefined) return Math.min(2, cap);
  const perSecond = (i.requestsPerMinute * i.share) / 60;
  const wanted = Math.ceil(perSecond * (Math.max(0, i.latencyMs) / 1000) * LATENCY_HEADROOM);
  return Math.min(cap, Math.max(2, wanted));
}

/** How many windows to cut a catch-up into for this many parallel readers. */
export function windowCount(maxParallel: number): number {
  return maxParallel <= 1 ? 1 : maxParallel * WINDOWS_PER_READER;
}

/**
 * Share of a windowed catch-up read: each window counts by the time span it has covered
 * (from its `lt` down to its oldest stored activity), done ones in full; the oldest window
 * counts from `dataFrom` when known, as the sequential pass does.
 */
export function windowsFraction(
  windows: ReadonlyArray<TimeWindow & { oldestAt: string | null; done: boolean }>,
  dataFrom?: string | null,
): number {
  const floor = dataFrom ? Date.parse(dataFrom) : Number.NEGATIVE_INFINITY;
  let total = 0;
  let read = 0;
  for (const w of windows) {
    const lt = Date.parse(w.lt);
    const from = Math.min(lt, Math.max(Date.parse(w.gte), floor));
    const span = lt - from;
    total += span;
    if (w.done) read += span;
    else if (w.oldestAt !== null) read += Math.min(span, Math.max(0, lt - Date.parse(w.oldestAt)));
  }
  return total <= 0 ? 1 : Math.min(1, read / total);
}
