import type { ActivitySummary } from './types.js';

/** Activity counts for one principal over the last 90 days. */
export interface ActivityWindow {
  d7: number;
  d30: number;
  d90: number;
  /** 12 weekly totals, oldest first; the last covers the 7 days ending today. */
  weekly: number[];
  requests30: number;
  tokens30: number;
  requests90: number;
  tokens90: number;
}

export const WEEKS = 12;

export const emptyWindow = (): ActivityWindow => ({
  d7: 0,
  d30: 0,
  d90: 0,
  weekly: Array.from({ length: WEEKS }, () => 0),
  requests30: 0,
  tokens30: 0,
  requests90: 0,
  tokens90: 0,
});

const epochDay = (day: string): number =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;

/**
 * Counts over 7/30/90 days (today included) and 12 weekly buckets, from the daily
 * counts the summary keeps. A person's day is their feed events or their seat actions,
 * whichever is larger (both measure the same use): `combine: 'max'`. A key's day is its
 * feed events plus its API requests: `combine: 'sum'`. Requests and tokens are the
 * usage column alone.
 */
export function windowOf(a: ActivitySummary | null | undefined, today: string, combine: 'max' | 'sum'): ActivityWindow {
  const w = emptyWindow();
  if (!a) return w;
  const now = epochDay(today);
  const days = new Set([...Object.keys(a.recentEvents), ...Object.keys(a.recentUsage)]);
  for (const day of days) {
    const age = now - epochDay(day);
    if (age < 0 || age >= 90) continue;
    const events = a.recentEvents[day] ?? 0;
    const [units, tokens] = a.recentUsage[day] ?? [0, 0];
    const n = combine === 'max' ? Math.max(events, units) : events + units;
    w.d90 += n;
    w.requests90 += units;
    w.tokens90 += tokens;
    if (age < 30) {
      w.d30 += n;
      w.requests30 += units;
      w.tokens30 += tokens;
    }
    if (age < 7) w.d7 += n;
    const week = Math.floor(age / 7);
    if (week < WEEKS) w.weekly[WEEKS - 1 - week]! += n;
  }
  return w;
}
