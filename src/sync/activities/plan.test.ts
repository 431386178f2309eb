import { describe, expect, it } from 'vitest';
import {
  afterPage,
  EMPTY_CURSOR,
  findDataStart,
  parseActivityCursor,
  passFraction,
  planPass,
  type ActivityCursor,
} from './plan.js';

const S = { activityBackfillMs: 365 * 86_400_000, activityOverlapMs: 10 * 60_000, activitySettleMs: 60_000 };
const NOW = new Date('2026-11-20T12:00:30.500Z');

describe('activity checkpoint', () => {
  it('starts with a catch-up from the backfill bound to a whole second at least a minute ago', () => {
    expect(planPass(EMPTY_CURSOR, NOW, S)).toEqual({
      kind: 'catchup',
      gte: '2025-11-20T12:00:30Z',
      lt: '2026-11-20T11:59:30Z',
      after_id: null,
      oldest_at: null,
    });
  });

  it('continues incrementally from the high-water mark minus the overlap', () => {
    const c: ActivityCursor = { v: 1, high_water: '2026-11-20T11:00:00Z', pass: null };
    expect(planPass(c, NOW, S)).toMatchObject({
      kind: 'incremental',
      gte: '2026-11-20T10:50:00Z',
      lt: '2026-11-20T11:59:30Z',
    });
  });

  it('never reaches back past the backfill bound, and plans nothing for an empty window', () => {
    const old: ActivityCursor = { v: 1, high_water: '2020-01-01T00:00:00Z', pass: null };
    expect(planPass(old, NOW, S)?.gte).toBe('2025-11-20T12:00:30Z');
    const future: ActivityCursor = { v: 1, high_water: '2026-11-20T12:30:00Z', pass: null };
    expect(planPass(future, NOW, S)).toBeNull();
  });

  it('moves the cursor page by page, keeping the window, and ends the pass at its upper bound', () => {
    const pass = planPass(EMPTY_CURSOR, NOW, S)!;
    const mid = afterPage(EMPTY_CURSOR, pass, { lastId: 'a_9', oldestAt: '2026-05-22T00:00:00Z' }, false);
    expect(mid).toEqual({
      v: 1,
      high_water: null,
      pass: { ...pass, after_id: 'a_9', oldest_at: '2026-05-22T00:00:00Z' },
    });
    // An empty page keeps the cursor where it was.
    expect(afterPage(mid, mid.pass!, { lastId: null, oldestAt: null }, false).pass).toEqual(mid.pass);
    expect(afterPage(mid, mid.pass!, { lastId: 'a_20', oldestAt: '2026-01-01T00:00:00Z' }, true)).toEqual({
      v: 1,
      high_water: pass.lt,
      pass: null,
    });
  });

  it('reports the share of the window read', () => {
    const pass = {
      kind: 'catchup' as const,
      gte: '2026-01-01T00:00:00Z',
      lt: '2026-01-11T00:00:00Z',
      after_id: 'x',
      oldest_at: '2026-01-08T12:00:00Z',
    };
    expect(passFraction(pass)).toBeCloseTo(0.25);
    expect(passFraction({ ...pass, oldest_at: null })).toBe(0);
    // When the history starts later than the window, the share is of the history.
    expect(passFraction({ ...pass, data_from: '2026-01-06T00:00:00Z' })).toBeCloseTo(0.5);
  });

  it('finds where the history starts in a window to within the resolution, in about log2(span) probes', async () => {
    const start = Date.parse('2026-07-04T05:06:07Z');
    let probes = 0;
    const found = await findDataStart('2025-11-20T00:00:00Z', '2026-11-20T00:00:00Z', 86_400_000, async (before) => {
      probes += 1;
      return Date.parse(before) > start;
    });
    expect(Date.parse(found)).toBeLessThanOrEqual(start);
    expect(start - Date.parse(found)).toBeLessThanOrEqual(86_400_000);
    expect(probes).toBeLessThanOrEqual(9);
    // Nothing anywhere: the start is the end.
    expect(await findDataStart('2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z', 86_400_000, async () => false)).toMatch(
      /^2026-01-30/,
    );
  });

  it('asks several points at once when given a fanout: fewer rounds, the same precision', async () => {
    const start = Date.parse('2026-08-22T07:00:00Z');
    let rounds = 0;
    let inFlight = 0;
    let widest = 0;
    const found = await findDataStart(
      '2025-11-20T00:00:00Z',
      '2026-11-20T00:00:00Z',
      86_400_000,
      async (before) => {
        inFlight += 1;
        widest = Math.max(widest, inFlight);
        if (inFlight === 1) rounds += 1;
        await new Promise((r) => setImmediate(r));
        inFlight -= 1;
        return Date.parse(before) > start;
      },
      4,
    );
    expect(Date.parse(found)).toBeLessThanOrEqual(start);
    expect(start - Date.parse(found)).toBeLessThanOrEqual(86_400_000);
    expect(widest).toBe(4);
    // log5(365) ≈ 3.7 rounds instead of nine.
    expect(rounds).toBeLessThanOrEqual(4);
    await expect(
      findDataStart('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 1000, async () => true, 0),
    ).rejects.toThrow(/fanout/);
  });

  it('reads what it wrote, treats no cursor as a first run, and refuses a corrupt one', () => {
    const pass = planPass(EMPTY_CURSOR, NOW, S)!;
    const c = afterPage(EMPTY_CURSOR, pass, { lastId: 'a', oldestAt: '2026-06-01T00:00:00Z' }, false);
    expect(parseActivityCursor(JSON.parse(JSON.stringify(c)))).toEqual(c);
    expect(parseActivityCursor(null)).toEqual(EMPTY_CURSOR);
    expect(parseActivityCursor({})).toEqual(EMPTY_CURSOR);
    expect(() => parseActivityCursor({ v: 2 })).toThrow(/activities checkpoint/);
  });
});
