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
  return daysBetween(latestDay(lastActiveDay(activity), utcDay(since))!, today);
}

/** What one dormancy rule (seats, keys) checks, and how it says so. */
export interface Dormancy<T extends { id: string; activity: ActivitySummary | null }> {
  kind: 'dormant_seat' | 'dormant_key';
  subjectType: 'user' | 'api_key';
  /** The access that can still be used. */
  live(s: Snapshot): Iterable<T>;
  /** When the access began. */
  since(t: T): Date;
  /** The rule in words, for access used before and for access never used. */
  used(idle: number, days: number): string;
  neverUsed(idle: number, days: number): string;
}

/** A rule that fires for live access idle for at least the policy's days for its kind. */
export function dormancyRule<T extends { id: string; activity: ActivitySummary | null }>(d: Dormancy<T>): Rule {
  return (snapshot, policy, now) => {
    const { enabled, days } = policy.findings[d.kind];
    if (!enabled) return [];
    const today = utcDay(now);
    const out: Detection[] = [];
    for (const access of d.live(snapshot)) {
      const idle = idleDays(access.activity, d.since(access), today);
      if (idle < days) continue;
      const subject = { type: d.subjectType, id: access.id };
      out.push({
        kind: d.kind,
        fingerprint: stateFingerprint(d.kind, subject),
        subject,
        activityOf: access.id,
        rule: lastActiveDay(access.activity) === null ? d.neverUsed(idle, days) : d.used(idle, days),
        thresholds: { [`${d.kind}_days`]: days },
        idleDays: idle,
      });
    }
    return out;
  };
}
