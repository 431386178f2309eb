import type { Policy } from '../../config/policy.js';
import { lastActiveDay } from '../activity.js';
import { daysBetween, latestDay, utcDay } from '../days.js';
import { stateFingerprint } from '../fingerprint.js';
import type { ActivitySummary, Detection, Snapshot } from '../types.js';
import type { Rule } from './types.js';

/**
 * Idle whole UTC days: from the last activity, or from `since` (when the access began)
 * if that is later, so access granted last week is not dormant for having no history.
 */
export function idleDays(activity: ActivitySummary | null, since: Date, today: string): number {
  return idleDaysFrom(lastActiveDay(activity), since, today);
}

/** Idle whole UTC days from a last day of use (null: never), or from `since` if that is later. */
export function idleDaysFrom(lastDay: string | null, since: Date, today: string): number {
  return daysBetween(latestDay(lastDay, utcDay(since))!, today);
}

/** What one dormancy rule (seats, keys) checks, and how it says so. */
export interface Dormancy<T extends { id: string; activity: ActivitySummary | null }> {
  kind: 'dormant_seat' | 'dormant_key';
  subjectType: 'user' | 'api_key';
  /** The access that can still be used. */
  live(s: Snapshot): Iterable<T>;
  /** When the access began. */
  since(t: T): Date;
  /** The last day that counts as use under this policy (default: any activity). */
  lastUsed?(t: T, policy: Policy): string | null;
  /** The rule in words, for access used before and for access never used. */
  used(idle: number, days: number, t: T, policy: Policy): string;
  neverUsed(idle: number, days: number, t: T, policy: Policy): string;
}

/** A rule that fires for live access idle for at least the policy's days for its kind. */
export function dormancyRule<T extends { id: string; activity: ActivitySummary | null }>(d: Dormancy<T>): Rule {
  return (snapshot, policy, now) => {
    const { enabled, days } = policy.findings[d.kind];
    // With the Compliance API off, "no activity" is missing data, not dormancy.
    if (!enabled || snapshot.activityUnavailable) return [];
    const today = utcDay(now);
    const out: Detection[] = [];
    for (const access of d.live(snapshot)) {
      const last = d.lastUsed ? d.lastUsed(access, policy) : lastActiveDay(access.activity);
      const idle = idleDaysFrom(last, d.since(access), today);
      if (idle < days) continue;
      const subject = { type: d.subjectType, id: access.id };
      out.push({
        kind: d.kind,
        fingerprint: stateFingerprint(d.kind, subject),
        subject,
        activityOf: access.id,
        rule: last === null ? d.neverUsed(idle, days, access, policy) : d.used(idle, days, access, policy),
        thresholds: { [`${d.kind}_days`]: days },
        idleDays: idle,
      });
    }
    return out;
  };
}
