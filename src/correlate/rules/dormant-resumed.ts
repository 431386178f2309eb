import { lastActiveDay, lastActivityOf } from '../activity.js';
import { utcDay } from '../days.js';
import { eventFingerprint } from '../fingerprint.js';
import type { ActivitySummary, Detection } from '../types.js';
import { isLiveKey, keyIdleDays } from './dormant-key.js';
import { seatIdleDays, seatLastUsed } from './dormant-seat.js';
import type { Rule } from './types.js';

/**
 * `dormant_resumed`: activity from a principal under an open dormant finding. It fires
 * once per dormancy episode (named by the day the dormant finding opened), when the
 * principal is active again and the new activity is on or after that day; activity that
 * merely arrived late for a time before the finding is not a resumption.
 */
export const dormantResumed: Rule = (snapshot, policy, now) => {
  if (!policy.anomalies.dormant_resumed.enabled) return [];
  const today = utcDay(now);
  const out: Detection[] = [];
  for (const f of snapshot.openFindings) {
    let activity: ActivitySummary | null;
    let stillDormant: boolean;
    let active: string | null;
    if (f.kind === 'dormant_seat' && f.subject.type === 'user') {
      const user = snapshot.users.get(f.subject.id);
      if (!user || user.removedAt !== null) continue;
      activity = user.activity;
      stillDormant = seatIdleDays(user, today, policy) >= policy.findings.dormant_seat.days;
      // Background views are not a resumption either (findings.dormant_seat.count_views).
      active = seatLastUsed(user, policy);
    } else if (f.kind === 'dormant_key' && f.subject.type === 'api_key') {
      const key = snapshot.keys.get(f.subject.id);
      if (!key || !isLiveKey(key)) continue;
      activity = key.activity;
      stillDormant = keyIdleDays(key, today) >= policy.findings.dormant_key.days;
      active = lastActiveDay(activity);
    } else {
      continue;
    }
    const openedDay = utcDay(f.firstDetectedAt);
    if (stillDormant || active === null || active < openedDay) continue;
    const resumed = lastActivityOf(activity, f.subject.type === 'api_key' ? 'api_usage' : 'seat_usage');
    out.push({
      kind: 'dormant_resumed',
      fingerprint: eventFingerprint('dormant_resumed', f.subject, openedDay),
      subject: f.subject,
      activityOf: f.subject.id,
      rule: `Active again (${resumed?.type ?? 'activity'} at ${resumed?.at ?? active}) while under a dormant finding opened on ${openedDay}.`,
      thresholds: {},
      anomaly: {
        dormantFinding: f.fingerprint,
        dormantFindingOpenedAt: f.firstDetectedAt.toISOString(),
        resumedAt: resumed?.at ?? null,
        resumedWith: resumed?.type ?? null,
      },
    });
  }
  return out;
};
