import { addDays, isDay, maxDay, minDay, utcDay } from '../days.js';

/**
 * Usage checkpoints (`key_usage`, `seat_usage`): `{ v: 1, next_day: 'YYYY-MM-DD' }`,
 * the first day not yet final. Days before it are never read again; from it (or from
 * the refresh window, whichever is earlier) every sync re-reads, because the API
 * revises recent days and stored rows are replaced with its latest values.
 */
export interface UsageCursor {
  v: 1;
  next_day: string | null;
}

export function parseUsageCursor(raw: Record<string, unknown> | null | undefined): UsageCursor {
  const d = raw?.['next_day'];
  return { v: 1, next_day: isDay(d) ? d : null };
}

/** The usage report refuses starts before this, and more than 365 days back. */
export const USAGE_API_EARLIEST = '2026-01-01';
const API_WINDOW_DAYS = 364;

export interface UsageWindow {
  /** First day to read (inclusive). */
  start: string;
  /** Day after the last one to read (exclusive). */
  end: string;
  /** Days before this are final once read. */
  finalBefore: string;
}

/**
 * Which days to read now. `end` is exclusive: `today` for key usage (a report covers
 * whole past days), `today - lag + 1` for seat analytics. Null when there is nothing.
 */
export function usageWindow(
  cursor: UsageCursor,
  now: Date,
  s: { backfillDays: number; refreshDays: number; lagDays: number; earliest?: string },
): UsageWindow | null {
  const today = utcDay(now);
  const end = addDays(today, 1 - s.lagDays);
  const floor = maxDay(
    maxDay(addDays(today, -Math.min(s.backfillDays, API_WINDOW_DAYS)), addDays(today, -API_WINDOW_DAYS)),
    s.earliest ?? USAGE_API_EARLIEST,
  );
  const finalBefore = addDays(end, -s.refreshDays);
  const start = maxDay(floor, cursor.next_day === null ? floor : minDay(cursor.next_day, finalBefore));
  return start < end ? { start, end, finalBefore } : null;
}

/** [start, end) in pieces of at most `maxDays` (31 for the usage report). */
export function chunks(start: string, end: string, maxDays: number): Array<{ start: string; end: string }> {
  const out: Array<{ start: string; end: string }> = [];
  for (let a = start; a < end;) {
    const b = minDay(addDays(a, maxDays), end);
    out.push({ start: a, end: b });
    a = b;
  }
  return out;
}

/** The cursor once everything before `readUpTo` has been stored. */
export function advanced(cursor: UsageCursor, readUpTo: string, w: UsageWindow): UsageCursor {
  const next = minDay(readUpTo, w.finalBefore);
  return { v: 1, next_day: cursor.next_day === null ? next : maxDay(cursor.next_day, next) };
}
