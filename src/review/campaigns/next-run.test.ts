import { describe, expect, it } from 'vitest';
import { localDate, nextRunAfter } from './next-run.js';

const at = (iso: string) => new Date(iso);

describe('nextRunAfter', () => {
  it('finds the next tick of a monthly and a quarterly schedule, strictly after now', () => {
    expect(nextRunAfter('0 9 1 * *', 'UTC', at('2026-03-10T12:00:00Z'))).toEqual(at('2026-04-01T09:00:00Z'));
    expect(nextRunAfter('0 9 1 */3 *', 'UTC', at('2026-03-10T12:00:00Z'))).toEqual(at('2026-04-01T09:00:00Z'));
    expect(nextRunAfter('0 9 1 */3 *', 'UTC', at('2026-04-01T09:00:00Z'))).toEqual(at('2026-07-01T09:00:00Z'));
    expect(nextRunAfter('0 9 1 */3 *', 'UTC', at('2026-04-01T08:59:59Z'))).toEqual(at('2026-04-01T09:00:00Z'));
  });

  it('reads the schedule in the policy time zone, across a daylight-saving change', () => {
    // 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer (DST began 29 March 2026).
    expect(nextRunAfter('0 9 1 * *', 'Europe/Paris', at('2026-02-15T00:00:00Z'))).toEqual(at('2026-03-01T08:00:00Z'));
    expect(nextRunAfter('0 9 1 * *', 'Europe/Paris', at('2026-03-15T00:00:00Z'))).toEqual(at('2026-04-01T07:00:00Z'));
    // 23:30 UTC on 31 March is 08:30 on 1 April in Tokyo: that day's 09:00 is half an hour away…
    expect(nextRunAfter('0 9 1 * *', 'Asia/Tokyo', at('2026-03-31T23:30:00Z'))).toEqual(at('2026-04-01T00:00:00Z'));
    // …and once it has passed, the next is 1 May's (though it is still 1 April in UTC).
    expect(nextRunAfter('0 9 1 * *', 'Asia/Tokyo', at('2026-04-01T00:30:00Z'))).toEqual(at('2026-05-01T00:00:00Z'));
  });

  it('weekdays, seconds and rare dates', () => {
    // 2026-03-10 is a Tuesday; the next Monday 06:30 is 16 March.
    expect(nextRunAfter('30 6 * * 1', 'UTC', at('2026-03-10T00:00:00Z'))).toEqual(at('2026-03-16T06:30:00Z'));
    expect(nextRunAfter('15 0 9 * * *', 'UTC', at('2026-03-10T09:00:15Z'))).toEqual(at('2026-03-11T09:00:15Z'));
    expect(nextRunAfter('0 0 29 2 *', 'UTC', at('2026-03-01T00:00:00Z'))).toEqual(at('2028-02-29T00:00:00Z'));
    expect(nextRunAfter('0 0 1 1 *', 'UTC', at('2026-01-01T00:00:00Z'))).toEqual(at('2027-01-01T00:00:00Z'));
  });

  it('localDate names the calendar day in the zone', () => {
    expect(localDate(at('2026-03-31T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-04-01');
    expect(localDate(at('2026-03-31T23:30:00Z'), 'UTC')).toBe('2026-03-31');
  });
});
