import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnthropicSimOptions } from '../../src/sim/anthropic/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { seedFeed } from './feed-fixtures.js';
import { NOW, policyWith, rows, snapshot, startRig, type SyncRig } from './helpers.js';

/**
 * A first catch-up read as parallel time windows (issue 21): each window has its own
 * cursor, every request goes through the one feed client and its pacer, and the rows are
 * exactly those of one cursor reading the whole range.
 */
let rigs: SyncRig[] = [];
const extra: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
  for (const d of extra.splice(0)) await d.destroy();
});

const small = { activityPageSize: 50, activityBatchSize: 100 };
const policy = (settings: string) => policyWith(`sync:\n${settings}`);

/**
 * The feed client's fetch, watched: page requests (limit 50, not the one-activity probes)
 * in flight at once, each request's window, and each answer's rate-limit window.
 */
function watchedFetch() {
  let inFlight = 0;
  const seen = {
    maxInFlight: 0,
    /** created_at.gte of every page request, in order sent. */
    windows: [] as string[],
    /** Page requests answered per rate-limit window (by its announced reset). */
    perReset: new Map<string, number>(),
    statuses: [] as number[],
  };
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const page = url.searchParams.get('limit') !== '1';
    if (page) {
      inFlight += 1;
      seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
      seen.windows.push(url.searchParams.get('created_at.gte') ?? '');
    }
    try {
      const res = await fetch(input, init);
      seen.statuses.push(res.status);
      const reset = res.headers.get('anthropic-ratelimit-requests-reset');
      if (reset) seen.perReset.set(reset, (seen.perReset.get(reset) ?? 0) + 1);
      return res;
    } finally {
      if (page) inFlight -= 1;
    }
  };
  return { fetchFn, seen };
}

async function rigWith(simOpts: AnthropicSimOptions, feed: { synthetic: number; days: number }) {
  const rig = await startRig(simOpts);
  rigs.push(rig);
  seedFeed(rig.sim, feed);
  return rig;
}

describe('parallel catch-up windows', { timeout: 120_000 }, () => {
  it('reads a first catch-up as parallel windows and ends with exactly the rows of one cursor, re-sent activities once', async () => {
    const rig = await rigWith({ feed: { redeliver: { count: 3, everyNthPage: 2 } } }, { synthetic: 900, days: 4 });
    const reference = await createTestDatabase();
    extra.push(reference);
    const one = await rig
      .service({ ...small, db: reference.db, policy: policy('  catchup_parallel: 1\n') })
      .run({ sources: ['activities'] });
    expect(one.sources[0]?.status).toBe('succeeded');

    // Each page held for a moment, as over a network, so windows visibly overlap.
    rig.sim.latency.set('compliance.activities', { fixedMs: 15 });
    const { fetchFn, seen } = watchedFetch();
    const r = await rig.service({ ...small, feed: { fetch: fetchFn } }).run({ sources: ['activities'] });
    const a = r.sources[0]!;
    expect(a.status).toBe('succeeded');
    expect(await snapshot(rig.db.db)).toEqual(await snapshot(reference.db));
    // Four days of history: four windows of a day, read two or more at a time.
    expect(a.counts['windows']).toBe(4);
    expect(new Set(seen.windows).size).toBeGreaterThanOrEqual(4);
    expect(seen.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(a.counts['inserted']).toBe(one.sources[0]!.counts['inserted']);
    expect(a.counts['duplicates']).toBeGreaterThan(0);
    // Nothing of the windows is left once the pass ended.
    expect(await rows(rig.db.db, sql`select * from activity_catchup_windows`)).toEqual([]);
  });

  it('keeps incremental passes on one cursor', async () => {
    const rig = await rigWith({}, { synthetic: 300, days: 3 });
    await rig.service(small).run({ sources: ['activities'] });
    const later = new Date(NOW.getTime() + 3_600_000);
    rig.sim.clock.set(later);
    for (let i = 0; i < 120; i++)
      rig.sim.state.addActivity({
        type: 'claude_chat_created',
        actor: { type: 'user_actor', user_id: 'user_01Alice', email_address: 'alice@example.com' },
        created_at: later.getTime() - 30 * 60_000 + i * 1000,
      });
    rig.sim.latency.set('compliance.activities', { fixedMs: 15 });
    const { fetchFn, seen } = watchedFetch();
    const r = await rig
      .service({ ...small, now: () => later, feed: { fetch: fetchFn } })
      .run({ sources: ['activities'] });
    expect(r.sources[0]).toMatchObject({ status: 'succeeded', counts: { passes: 1, inserted: 120 } });
    expect(r.sources[0]!.counts['windows']).toBeUndefined();
    expect(new Set(seen.windows).size).toBe(1);
    expect(seen.maxInFlight).toBe(1);
  });

  it('reads more windows at once when each page takes longer, never more than the policy allows', async () => {
    const whole = policy('  feed_rate_share: 1\n  catchup_parallel: 8\n');
    const run = async (latencyMs: number, p = whole) => {
      const rig = await rigWith({}, { synthetic: 1200, days: 12 });
      if (latencyMs > 0) rig.sim.latency.set('compliance.activities', { fixedMs: latencyMs });
      const { fetchFn, seen } = watchedFetch();
      const r = await rig.service({ ...small, policy: p, feed: { fetch: fetchFn } }).run({ sources: ['activities'] });
      expect(r.sources[0]?.status).toBe('succeeded');
      return seen.maxInFlight;
    };
    // The documented budget at the whole share is 10 requests a second: at 300 ms a page,
    // about five readers keep it busy (Little's law, with half as many again; six when the
    // round trip measures over 333 ms); without latency two do.
    const slow = await run(300);
    expect(slow).toBeGreaterThanOrEqual(4);
    expect(slow).toBeLessThanOrEqual(6);
    expect(await run(0)).toBeLessThanOrEqual(2);
    expect(await run(300, policy('  feed_rate_share: 1\n  catchup_parallel: 2\n'))).toBeLessThanOrEqual(2);
  });

  it('shares one budget: all windows together stay within the policy share of each rate-limit window', async () => {
    const LIMIT = 10;
    const rig = await rigWith(
      { feed: { rateLimitPerMinute: LIMIT, rateLimitWindowMs: 1000 } },
      { synthetic: 500, days: 5 },
    );
    const { fetchFn, seen } = watchedFetch();
    const r = await rig
      .service({ ...small, feed: { fetch: fetchFn, rateShare: 0.5 } })
      .run({ sources: ['activities'] });
    expect(r.sources[0]?.status).toBe('succeeded');
    expect(r.sources[0]!.counts['windows']).toBeGreaterThanOrEqual(4);
    expect(seen.statuses.filter((s) => s === 429)).toEqual([]);
    // Several rate-limit windows were used, none for more than half its requests.
    expect(seen.perReset.size).toBeGreaterThan(3);
    for (const n of seen.perReset.values()) expect(n).toBeLessThanOrEqual(LIMIT * 0.5);
  });
});
