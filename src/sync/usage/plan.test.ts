import { describe, expect, it } from 'vitest';
import { advanced, chunks, parseUsageCursor, usageWindow } from './plan.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const S = { backfillDays: 365, refreshDays: 7, lagDays: 1 };

describe('usage windows', () => {
  it('first reads back to the API floor (2026-01-01 here), up to yesterday', () => {
    expect(usageWindow({ v: 1, next_day: null }, NOW, S)).toEqual({
      start: '2026-01-01',
      end: '2026-11-20',
      finalBefore: '2026-11-13',
    });
  });

  it('stays within the 365 days the API allows', () => {
    const later = new Date('2027-06-15T08:00:00Z');
    expect(usageWindow({ v: 1, next_day: null }, later, S)?.start).toBe('2026-06-16');
    expect(usageWindow({ v: 1, next_day: null }, later, { ...S, backfillDays: 30 })?.start).toBe('2027-05-16');
  });

  it('resumes from the checkpoint, but always re-reads the refresh window', () => {
    expect(usageWindow({ v: 1, next_day: '2026-10-01' }, NOW, S)?.start).toBe('2026-10-01');
    expect(usageWindow({ v: 1, next_day: '2026-11-19' }, NOW, S)?.start).toBe('2026-11-13');
  });

  it('for seat analytics (one more day of lag) ends a day earlier', () => {
    expect(usageWindow({ v: 1, next_day: null }, NOW, { ...S, lagDays: 2 })?.end).toBe('2026-11-19');
  });

  it('is empty when the refresh window is zero days and nothing is due', () => {
    expect(usageWindow({ v: 1, next_day: '2026-11-20' }, NOW, { ...S, refreshDays: 0 })).toBeNull();
  });

  it('splits into ≤31-day chunks', () => {
    expect(chunks('2026-01-01', '2026-03-10', 31)).toEqual([
      { start: '2026-01-01', end: '2026-02-01' },
      { start: '2026-02-01', end: '2026-03-04' },
      { start: '2026-03-04', end: '2026-03-10' },
    ]);
    expect(chunks('2026-01-01', '2026-01-01', 31)).toEqual([]);
  });

  it('advances to what was read, never into the refresh window, never backwards', () => {
    const w = usageWindow({ v: 1, next_day: null }, NOW, S)!;
    expect(advanced({ v: 1, next_day: null }, '2026-02-01', w)).toEqual({ v: 1, next_day: '2026-02-01' });
    expect(advanced({ v: 1, next_day: '2026-02-01' }, '2026-11-20', w)).toEqual({ v: 1, next_day: '2026-11-13' });
    expect(advanced({ v: 1, next_day: '2026-11-13' }, '2026-11-01', w)).toEqual({ v: 1, next_day: '2026-11-13' });
  });

  it('reads a stored cursor, ignoring anything that is not a day', () => {
    expect(parseUsageCursor({ v: 1, next_day: '2026-05-01' })).toEqual({ v: 1, next_day: '2026-05-01' });
    expect(parseUsageCursor({ next_day: '2026-02-30' })).toEqual({ v: 1, next_day: null });
    expect(parseUsageCursor(null)).toEqual({ v: 1, next_day: null });
  });
});
