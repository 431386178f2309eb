import { describe, expect, it } from 'vitest';
import { chooseConcurrency, splitWindows, windowCount, windowsFraction } from './windows.js';

const DAY = 86_400_000;

describe('splitWindows', () => {
  const range = { gte: '2025-11-20T11:59:00Z', lt: '2026-11-20T11:59:00Z' };

  it('tiles the range without gap or overlap, newest first', () => {
    const w = splitWindows({ ...range, dataFrom: '2026-08-22T00:00:00Z' }, 8);
    expect(w[0]!.lt).toBe(range.lt);
    expect(w[w.length - 1]!.gte).toBe(range.gte);
    for (let i = 0; i + 1 < w.length; i++) expect(w[i]!.gte).toBe(w[i + 1]!.lt);
    for (const x of w) expect(Date.parse(x.gte)).toBeLessThan(Date.parse(x.lt));
  });

  it('cuts the span that holds history into equal parts on UTC midnights; the oldest reaches down to gte', () => {
    const w = splitWindows({ ...range, dataFrom: '2026-08-22T00:00:00Z' }, 4);
    expect(w).toHaveLength(4);
    for (const x of w.slice(0, -1)) expect(Date.parse(x.gte) % DAY).toBe(0);
    const inner = w.slice(1, -1).map((x) => (Date.parse(x.lt) - Date.parse(x.gte)) / DAY);
    // 90 days of history in four: 22–23 days each.
    for (const d of inner) expect(d).toBeGreaterThanOrEqual(22);
    for (const d of inner) expect(d).toBeLessThanOrEqual(23.5);
    expect(w[3]).toEqual({ gte: range.gte, lt: '2026-09-13T00:00:00Z' });
  });

  it('uses the whole range when where history starts is unknown', () => {
    const w = splitWindows(range, 4);
    expect(w).toHaveLength(4);
    expect(Date.parse(w[3]!.lt) - Date.parse(range.gte)).toBeGreaterThan(90 * DAY);
  });

  it('never makes a window shorter than a day, and one window for a short range', () => {
    expect(splitWindows({ gte: '2026-11-18T10:00:00Z', lt: '2026-11-20T11:59:00Z' }, 16)).toHaveLength(2);
    expect(splitWindows({ gte: '2026-11-20T10:00:00Z', lt: '2026-11-20T11:59:00Z' }, 16)).toEqual([
      { gte: '2026-11-20T10:00:00Z', lt: '2026-11-20T11:59:00Z' },
    ]);
    expect(splitWindows(range, 1)).toEqual([range]);
  });

  it('refuses a nonsense count or range', () => {
    expect(() => splitWindows(range, 0)).toThrow(/positive integer/);
    expect(() => splitWindows({ gte: range.lt, lt: range.gte }, 2)).toThrow(/end after it starts/);
  });
});

describe('chooseConcurrency', () => {
  const base = { requestsPerMinute: 600, share: 1, maxParallel: 8, remaining: 32 };

  it('starts with two readers before any latency is known', () => {
    expect(chooseConcurrency({ ...base, latencyMs: undefined })).toBe(2);
  });

  it('reads enough windows at once to use the budget at the observed latency (Little’s law)', () => {
    // 10 requests a second × 0.3 s × 1.5 headroom = 4.5 → 5.
    expect(chooseConcurrency({ ...base, latencyMs: 300 })).toBe(5);
    // Half the budget: 5 a second × 0.3 s × 1.5 → 3.
    expect(chooseConcurrency({ ...base, share: 0.5, latencyMs: 300 })).toBe(3);
    // Slower responses call for more readers.
    expect(chooseConcurrency({ ...base, share: 0.5, latencyMs: 1000 })).toBe(8);
    expect(chooseConcurrency({ ...base, share: 0.5, latencyMs: 100 })).toBe(2);
  });

  it('keeps two at low latency, so the database has a second window to store', () => {
    expect(chooseConcurrency({ ...base, latencyMs: 2 })).toBe(2);
  });

  it('never exceeds the policy maximum, the windows left, or the share of one budget window', () => {
    expect(chooseConcurrency({ ...base, latencyMs: 5000 })).toBe(8);
    expect(chooseConcurrency({ ...base, latencyMs: 5000, remaining: 3 })).toBe(3);
    expect(chooseConcurrency({ ...base, latencyMs: 100_000, requestsPerMinute: 6, share: 0.5 })).toBe(3);
    expect(chooseConcurrency({ ...base, latencyMs: 5000, maxParallel: 1 })).toBe(1);
    expect(chooseConcurrency({ ...base, latencyMs: 300, remaining: 1 })).toBe(1);
  });
});

describe('windowCount', () => {
  it('one window when reading sequentially, four per reader otherwise', () => {
    expect(windowCount(1)).toBe(1);
    expect(windowCount(4)).toBe(16);
  });
});

describe('windowsFraction', () => {
  const w = (gte: string, lt: string, oldestAt: string | null, done = false) => ({ gte, lt, oldestAt, done });

  it('counts each window by the span read, done ones in full', () => {
    const ws = [
      w('2026-11-10T00:00:00Z', '2026-11-20T00:00:00Z', null, true),
      w('2026-11-01T00:00:00Z', '2026-11-10T00:00:00Z', '2026-11-05T00:00:00Z'),
      w('2026-10-22T00:00:00Z', '2026-11-01T00:00:00Z', null),
    ];
    // 10 + 5 of 29 days.
    expect(windowsFraction(ws)).toBeCloseTo(15 / 29, 6);
  });

  it('counts the oldest window from where history starts, when known', () => {
    const ws = [
      w('2026-11-10T00:00:00Z', '2026-11-20T00:00:00Z', null, true),
      w('2025-11-20T00:00:00Z', '2026-11-10T00:00:00Z', null),
    ];
    expect(windowsFraction(ws, '2026-11-05T00:00:00Z')).toBeCloseTo(10 / 15, 6);
    expect(windowsFraction([])).toBe(1);
  });
});
