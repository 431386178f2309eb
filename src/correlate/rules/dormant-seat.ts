import { lastActiveDay } from '../activity.js';
import { daysBetween, latestDay, utcDay } from '../days.js';
import { stateFingerprint } from '../fingerprint.js';
import type { Detection, UserRecord } from '../types.js';
import type { Rule } from './types.js';

/**
 * How long a member has been idle, in whole UTC days: from their last activity, or
 * from when they (re)joined if that is later, so someone added last week is not
 * dormant for having no history.
 */
export function seatIdleDays(user: UserRecord, today: string): number {
  const since = utcDay(user.addedAt ?? user.firstSeenAt);
  return daysBetween(latestDay(lastActiveDay(user.activity), since)!, today);
}

/** `dormant_seat`: a member with no activity for ≥ N days. */
export const dormantSeat: Rule = (snapshot, policy, now) => {
  const { enabled, days } = policy.findings.dormant_seat;
  if (!enabled) return [];
  const today = utcDay(now);
  const out: Detection[] = [];
  for (const user of snapshot.users.values()) {
    if (user.removedAt !== null) continue;
    const idle = seatIdleDays(user, today);
    if (idle < days) continue;
    const subject = { type: 'user' as const, id: user.id };
    const never = lastActiveDay(user.activity) === null;
    out.push({
      kind: 'dormant_seat',
      fingerprint: stateFingerprint('dormant_seat', subject),
      subject,
      activityOf: user.id,
      rule: never
        ? `No activity on record since joining ${idle} days ago (policy: dormant after ${days} days).`
        : `No activity for ${idle} days (policy: dormant after ${days} days).`,
      thresholds: { dormant_seat_days: days },
      idleDays: idle,
    });
  }
  return out;
};
