import { lastActiveDay } from '../activity.js';
import { daysBetween, latestDay, utcDay } from '../days.js';
import { stateFingerprint } from '../fingerprint.js';
import type { Detection, KeyRecord } from '../types.js';
import type { Rule } from './types.js';

/** An API key that can still be used: active and still listed. */
export const isLiveKey = (key: KeyRecord): boolean => key.status === 'active' && key.removedAt === null;

/** Idle whole days since the key's last use, or since it was created if never used. */
export function keyIdleDays(key: KeyRecord, today: string): number {
  const since = utcDay(key.createdAt ?? key.firstSeenAt);
  return daysBetween(latestDay(lastActiveDay(key.activity), since)!, today);
}

/** `dormant_key`: an active key with no usage for ≥ N days, never-used keys included. */
export const dormantKey: Rule = (snapshot, policy, now) => {
  const { enabled, days } = policy.findings.dormant_key;
  if (!enabled) return [];
  const today = utcDay(now);
  const out: Detection[] = [];
  for (const key of snapshot.keys.values()) {
    if (!isLiveKey(key)) continue;
    const idle = keyIdleDays(key, today);
    if (idle < days) continue;
    const subject = { type: 'api_key' as const, id: key.id };
    const never = lastActiveDay(key.activity) === null;
    out.push({
      kind: 'dormant_key',
      fingerprint: stateFingerprint('dormant_key', subject),
      subject,
      activityOf: key.id,
      rule: never
        ? `Never used since it was created ${idle} days ago (policy: dormant after ${days} days).`
        : `Not used for ${idle} days (policy: dormant after ${days} days).`,
      thresholds: { dormant_key_days: days },
      idleDays: idle,
    });
  }
  return out;
};
