/**
 * Dates an operator types: `YYYY-MM-DD` (a UTC day) or an ISO 8601 time with a zone.
 * Returns null for anything else, including impossible days like 2025-02-30.
 */
export function parseDay(text: string, edge: 'start' | 'end'): Date | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const at = new Date(Date.UTC(y, m - 1, d));
    if (at.getUTCFullYear() !== y || at.getUTCMonth() !== m - 1 || at.getUTCDate() !== d) return null;
    // An end date names a whole day: the period runs to the start of the next one.
    if (edge === 'end') at.setUTCDate(at.getUTCDate() + 1);
    return at;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}
