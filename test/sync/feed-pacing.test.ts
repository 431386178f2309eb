import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { seedFeed } from './feed-fixtures.js';
import { snapshot, startRig, type SyncRig } from './helpers.js';

/**
 * Steward shares the Compliance API's budget (one window for every reader of the organisation)
 * with another reader — here a SIEM on its own Compliance Access Key — and paces itself from the
 * `anthropic-ratelimit-requests-*` headers to its policy share, instead of running into 429s.
 * The window is shortened to one second of 10 requests so the test runs in seconds.
 */
const LIMIT = 10;
const WINDOW_MS = 1000;
const SIEM_AGENT = 'test-siem/1.0';
const small = { activityPageSize: 50, activityBatchSize: 100 };

let rigs: SyncRig[] = [];
afterEach(async () => {
  await Promise.all(rigs.map((r) => r.close()));
  rigs = [];
});

/**
 * A well-behaved other reader: as many requests as it may per window (its share, the half
 * Steward leaves), each as soon as the last one answers, waiting out the announced reset when
 * its share is spent. Runs until stopped; counts what it was answered.
 */
function startSiem(url: string, key: string, share: number) {
  let stop = false;
  const answered: number[] = [];
  const done = (async () => {
    let windowReset = '';
    let used = 0;
    while (!stop) {
      const res = await fetch(`${url}/v1/compliance/activities?limit=1`, {
        headers: { 'x-api-key': key, 'user-agent': SIEM_AGENT },
      });
      await res.text();
      answered.push(res.status);
      const reset = res.headers.get('anthropic-ratelimit-requests-reset') ?? '';
      if (reset !== windowReset) {
        windowReset = reset;
        used = 0;
      }
      used += 1;
      if (used >= Math.floor(LIMIT * share) || res.status === 429) {
        await delay(Math.max(0, Date.parse(reset) - Date.now()) + 50);
      }
    }
  })();
  return {
    answered,
    async stop() {
      stop = true;
      await done;
    },
  };
}

async function rigWith(feed: { rateLimitPerMinute: number | null; rateLimitWindowMs?: number }) {
  const rig = await startRig({ feed });
  rigs.push(rig);
  seedFeed(rig.sim, { synthetic: 400, days: 3 });
  return rig;
}

describe('feed pacing from the rate-limit headers', { timeout: 120_000 }, () => {
  it('shares the budget with another reader: the rows of an unconstrained run, and not one 429 for Steward', async () => {
    const free = await rigWith({ rateLimitPerMinute: null });
    const unconstrained = await free.service(small).run({ sources: ['activities'] });
    expect(unconstrained.sources[0]?.status).toBe('succeeded');

    const shared = await rigWith({ rateLimitPerMinute: LIMIT, rateLimitWindowMs: WINDOW_MS });
    const siem = startSiem(shared.sim.url, shared.sim.addComplianceKey().key, 0.5);
    const r = await shared.service({ ...small, feed: { rateShare: 0.5 } }).run({ sources: ['activities'] });
    await siem.stop();

    expect(r.sources[0]).toMatchObject({ status: 'succeeded', counts: unconstrained.sources[0]!.counts });
    expect(await snapshot(shared.db.db)).toEqual(await snapshot(free.db.db));

    const steward = shared.sim.calls
      .byOp('compliance.activities')
      .filter((c) => c.headers['user-agent'] !== SIEM_AGENT);
    // Several windows' worth of Steward's requests, so the budget really was shared over time.
    expect(steward.length).toBeGreaterThan(3 * LIMIT * 0.5);
    expect(steward.filter((c) => c.status === 429)).toEqual([]);
    // The other reader was served alongside, not starved.
    expect(siem.answered.filter((s) => s === 200).length).toBeGreaterThanOrEqual(LIMIT * 0.5);
  });

  it('without pacing, the same budget shared with the same reader answers Steward 429s (the check above can fail)', async () => {
    const shared = await rigWith({ rateLimitPerMinute: LIMIT, rateLimitWindowMs: WINDOW_MS });
    const siem = startSiem(shared.sim.url, shared.sim.addComplianceKey().key, 0.5);
    const r = await shared.service(small).run({ sources: ['activities'] });
    await siem.stop();
    expect(r.sources[0]?.status).toBe('succeeded');
    const steward = shared.sim.calls
      .byOp('compliance.activities')
      .filter((c) => c.headers['user-agent'] !== SIEM_AGENT);
    expect(steward.filter((c) => c.status === 429).length).toBeGreaterThan(0);
  });
});
