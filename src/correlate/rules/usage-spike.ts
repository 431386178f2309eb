import { addDays, daysBetween, utcDay } from '../days.js';
import { eventFingerprint } from '../fingerprint.js';
import type { Detection, SpikeCandidate } from '../types.js';
import type { Rule } from './types.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * `usage_spike`: a key's daily requests above factor × its trailing mean over the
 * baseline days, and above the floor. Consecutive spike days are one episode, named by
 * its first day, so a spike is reported once however many runs see it. A key younger
 * than the baseline has no baseline yet and is not judged.
 */
export const usageSpike: Rule = (snapshot, policy, now) => {
  const { enabled, factor, baseline_days: baselineDays, min_requests: floor } = policy.anomalies.usage_spike;
  if (!enabled) return [];
  const today = utcDay(now);
  const windowStart = addDays(today, -policy.anomalies.lookback_days);

  const byKey = new Map<string, SpikeCandidate[]>();
  for (const c of snapshot.spikeCandidates) {
    const mean = c.baselineSum / baselineDays;
    if (c.day > today || c.requests <= floor || c.requests <= factor * mean) continue;
    const key = snapshot.keys.get(c.keyId);
    if (!key) continue;
    if (daysBetween(utcDay(key.createdAt ?? key.firstSeenAt), c.day) < baselineDays) continue;
    const list = byKey.get(c.keyId) ?? [];
    list.push(c);
    byKey.set(c.keyId, list);
  }

  const out: Detection[] = [];
  for (const [keyId, days] of byKey) {
    days.sort((a, b) => (a.day < b.day ? -1 : 1));
    for (const episode of consecutiveRuns(days)) {
      const first = episode[0]!;
      const last = episode[episode.length - 1]!;
      if (last.day < windowStart) continue;
      const peak = episode.reduce((p, c) => (c.requests > p.requests ? c : p));
      const mean = peak.baselineSum / baselineDays;
      const subject = { type: 'api_key' as const, id: keyId };
      out.push({
        kind: 'usage_spike',
        fingerprint: eventFingerprint('usage_spike', subject, first.day),
        subject,
        activityOf: keyId,
        rule:
          `${fmt(peak.requests)} requests on ${peak.day}, ${mean > 0 ? `${(peak.requests / mean).toFixed(1)}× its ${baselineDays}-day mean of ${fmt(mean)}` : `after ${baselineDays} days without use`}` +
          ` (policy: above ${factor}× the mean and above ${fmt(floor)} requests).`,
        thresholds: { factor, baseline_days: baselineDays, min_requests: floor },
        anomaly: {
          firstDay: first.day,
          lastDay: last.day,
          days: episode.length,
          peakDay: peak.day,
          peakRequests: peak.requests,
          baselineMean: Math.round(mean * 100) / 100,
          daily: episode.map((e) => ({
            day: e.day,
            requests: e.requests,
            baselineMean: Math.round((e.baselineSum / baselineDays) * 100) / 100,
          })),
        },
      });
    }
  }
  return out;
};

function consecutiveRuns(days: SpikeCandidate[]): SpikeCandidate[][] {
  const runs: SpikeCandidate[][] = [];
  for (const d of days) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev && daysBetween(prev.day, d.day) === 1) run.push(d);
    else runs.push([d]);
  }
  return runs;
}
