/** UTC calendar days as `YYYY-MM-DD` strings, the form the daily tables use. */
export const DAY_MS = 86_400_000;

export function utcDay(t: Date | number): string {
  return new Date(typeof t === 'number' ? t : t.getTime()).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
}

export function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}

export function isDay(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && utcDay(Date.parse(`${v}T00:00:00Z`)) === v;
}
