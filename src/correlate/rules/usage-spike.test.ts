import { describe, expect, it } from 'vitest';
import type { SpikeCandidate } from '../types.js';
import { dayAgo, daysAgo, key, NOW, policy, snapshot } from '../../../test/support/snapshot-builder.js';
import { usageSpike } from './usage-spike.js';

const day = (keyId: string, n: number, requests: number, baselineMean: number): SpikeCandidate => ({
  keyId,
  day: dayAgo(n),
  requests,
  baselineSum: baselineMean * 14,
});

const run = (candidates: SpikeCandidate[], keys = [key('apikey_a'), key('apikey_b')]) =>
  usageSpike(snapshot({ keys, spikeCandidates: candidates }), policy(), NOW);

describe('usage_spike', () => {
  it('fires above factor × the trailing mean and above the floor', () => {
    const [d, ...rest] = run([day('apikey_a', 1, 5000, 200)]);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      fingerprint: `usage_spike:api_key:apikey_a:${dayAgo(1)}`,
      thresholds: { factor: 5, baseline_days: 14, min_requests: 1000 },
      anomaly: { firstDay: dayAgo(1), peakRequests: 5000, baselineMean: 200, days: 1 },
    });
    expect(d?.rule).toBe(
      `5,000 requests on ${dayAgo(1)}, 25.0× its 14-day mean of 200 (policy: above 5× the mean and above 1,000 requests).`,
    );
  });

  it('needs both: strictly above the floor and strictly above factor × mean', () => {
    expect(run([day('apikey_a', 1, 1000, 10), day('apikey_b', 1, 5000, 1000)])).toEqual([]);
  });

  it('reports consecutive spike days as one episode named by its first day', () => {
    const out = run([day('apikey_a', 3, 5000, 200), day('apikey_a', 2, 9000, 500), day('apikey_a', 1, 6000, 1000)]);
    expect(out).toHaveLength(1);
    expect(out[0]?.fingerprint).toBe(`usage_spike:api_key:apikey_a:${dayAgo(3)}`);
    expect(out[0]?.anomaly).toMatchObject({ days: 3, peakDay: dayAgo(2), peakRequests: 9000 });
  });

  it('reports a later, separate spike as a new finding', () => {
    const out = run([day('apikey_a', 6, 5000, 200), day('apikey_a', 1, 5000, 200)]);
    expect(out.map((d) => d.fingerprint)).toEqual([
      `usage_spike:api_key:apikey_a:${dayAgo(6)}`,
      `usage_spike:api_key:apikey_a:${dayAgo(1)}`,
    ]);
  });

  it('ignores episodes that ended before the lookback window', () => {
    expect(run([day('apikey_a', 8, 5000, 200)])).toEqual([]);
  });

  it('does not judge a key younger than its baseline, nor a key it does not know', () => {
    expect(run([day('apikey_new', 1, 5000, 0)], [key('apikey_new', { createdAt: daysAgo(10) })])).toEqual([]);
    expect(run([day('apikey_unknown', 1, 5000, 0)])).toEqual([]);
  });

  it('fires for a key that wakes up with a burst after a quiet baseline', () => {
    const [d] = run([day('apikey_a', 1, 4000, 0)]);
    expect(d?.rule).toMatch(/after 14 days without use/);
  });
});
