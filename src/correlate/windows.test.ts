import { describe, expect, it } from 'vitest';
import { dayAgo, NOW } from '../../test/support/snapshot-builder.js';
import type { ActivitySummary } from './types.js';
import { windowOf } from './windows.js';

const today = NOW.toISOString().slice(0, 10);
const summary = (events: Record<number, number>, usage: Record<number, [number, number]> = {}): ActivitySummary => ({
  firstEventAt: null,
  lastEventAt: null,
  lastEventType: null,
  lastEventDay: null,
  lastUseDay: null,
  lastAdminDay: null,
  lastUsageDay: null,
  recentEvents: Object.fromEntries(Object.entries(events).map(([d, n]) => [dayAgo(Number(d)), n])),
  recentUsage: Object.fromEntries(Object.entries(usage).map(([d, n]) => [dayAgo(Number(d)), n])),
});

describe('activity windows from the recent daily counts', () => {
  it('counts 7/30/90 days with today included and day 90 excluded', () => {
    const w = windowOf(summary({ 0: 1, 6: 2, 7: 4, 29: 8, 30: 16, 89: 32, 90: 64, 200: 128 }), today, 'max');
    expect([w.d7, w.d30, w.d90]).toEqual([3, 15, 63]);
  });

  it('buckets 12 weeks oldest first, the last ending today', () => {
    const w = windowOf(summary({ 0: 1, 6: 1, 7: 2, 83: 5, 84: 9 }), today, 'max');
    expect(w.weekly).toEqual([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2]);
  });

  it('a person: the larger of feed events and seat actions per day', () => {
    const w = windowOf(summary({ 1: 3, 2: 10 }, { 1: [5, 0], 2: [4, 0] }), today, 'max');
    expect(w.d7).toBe(15);
  });

  it('a key: feed events plus requests, with requests and tokens over 30 and 90 days', () => {
    const w = windowOf(summary({ 1: 2 }, { 1: [100, 5000], 40: [10, 700] }), today, 'sum');
    expect(w).toMatchObject({
      d7: 102,
      d30: 102,
      d90: 112,
      requests30: 100,
      tokens30: 5000,
      requests90: 110,
      tokens90: 5700,
    });
  });

  it('nothing on record: zeros', () => {
    expect(windowOf(null, today, 'sum').weekly).toEqual(Array(12).fill(0));
  });
});
