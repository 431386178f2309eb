/**
 * Correlation measures idleness in whole UTC days: roll-ups are daily, so "exactly N
 * days" has to mean the same thing for a feed event at 23:59 and a usage day.
 */

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a time, in UTC. */
export function utcDay(t: Date): string {
  return t.toISOString().slice(0, 10);
}

export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export function addDays(day: string, n: number): string {
  return utcDay(new Date(dayStart(day).getTime() + n * DAY_MS));
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dayStart(to).getTime() - dayStart(from).getTime()) / DAY_MS);
}

/** The later of two days; null only when both are. */
export function laterDay(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a >= b ? a : b;
}

export function latestDay(...days: Array<string | null | undefined>): string | null {
  return days.reduce<string | null>((acc, d) => laterDay(acc, d), null);
}
