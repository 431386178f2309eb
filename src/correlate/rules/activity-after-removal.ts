import { addDays, utcDay } from '../days.js';
import { eventFingerprint } from '../fingerprint.js';
import { principalKind } from '../../domain/roles.js';
import type { ActivitySummary, Detection, KeyRecord, Snapshot, UserRecord } from '../types.js';
import type { Rule } from './types.js';

/**
 * Activity strictly after a removal: a feed event later than the removal time, or
 * usage on a UTC day after the removal day (a usage day has no finer time, so usage on
 * the removal day itself may have come before it and is not counted).
 */
export function activityAfter(a: ActivitySummary | null, removedAt: Date): { at: string; type: string | null } | null {
  if (!a) return null;
  const removalDay = utcDay(removedAt);
  if (a.lastEventAt && a.lastEventAt > removedAt) return { at: a.lastEventAt.toISOString(), type: a.lastEventType };
  if (a.lastUsageDay && a.lastUsageDay > removalDay) return { at: `${a.lastUsageDay}T00:00:00.000Z`, type: 'usage' };
  return null;
}

/** The person a key stands for: the user it acts as, else (keys with no principal) its creator. */
export function keyPerson(key: KeyRecord, snapshot: Snapshot): UserRecord | undefined {
  if (key.principal)
    return principalKind(key.principal.type) === 'user' ? snapshot.users.get(key.principal.id) : undefined;
  if (key.createdBy && principalKind(key.createdBy.type) === 'user') return snapshot.users.get(key.createdBy.id);
  return undefined;
}

/** `activity_after_removal`: a session or a key used after the person behind it was removed. */
export const activityAfterRemoval: Rule = (snapshot, policy) => {
  if (!policy.anomalies.activity_after_removal.enabled) return [];
  const out: Detection[] = [];
  for (const user of snapshot.users.values()) {
    if (user.removedAt === null) continue;
    const after = activityAfter(user.activity, user.removedAt);
    if (!after) continue;
    const subject = { type: 'user' as const, id: user.id };
    out.push({
      kind: 'activity_after_removal',
      fingerprint: eventFingerprint('activity_after_removal', subject, utcDay(user.removedAt)),
      subject,
      activityOf: user.id,
      rule: `Active at ${after.at} (${after.type ?? 'activity'}) after being removed from the organisation at ${user.removedAt.toISOString()}.`,
      thresholds: {},
      anomaly: { removedAt: user.removedAt.toISOString(), activityAt: after.at, activityType: after.type },
    });
  }
  for (const key of snapshot.keys.values()) {
    const owner = keyPerson(key, snapshot);
    if (!owner || owner.removedAt === null) continue;
    const after = activityAfter(key.activity, owner.removedAt);
    if (!after) continue;
    const subject = { type: 'api_key' as const, id: key.id };
    out.push({
      kind: 'activity_after_removal',
      fingerprint: eventFingerprint('activity_after_removal', subject, utcDay(owner.removedAt)),
      subject,
      activityOf: key.id,
      rule: `Key used at ${after.at} after ${owner.email}, whom it belongs to, was removed at ${owner.removedAt.toISOString()}.`,
      thresholds: {},
      anomaly: {
        ownerUserId: owner.id,
        ownerEmail: owner.email,
        removedAt: owner.removedAt.toISOString(),
        activityAt: after.at,
        activityType: after.type,
        firstDayAfterRemoval: addDays(utcDay(owner.removedAt), 1),
      },
    });
  }
  return out;
};
