import { daysBetween, utcDay } from '../days.js';
import { stateFingerprint } from '../fingerprint.js';
import type { Detection } from '../types.js';
import { attestedSubject, stillHeld } from './lifecycle-access.js';
import type { Rule } from './types.js';

/**
 * `unattested_access` (issue 20): access created after Steward's baseline that nobody
 * attested within `attest_days` of being asked, or whose attested purpose has ended
 * (its end date is past). "I didn't do this" went to the security channel at once, so
 * a disowned access is not reported again here.
 */
export const unattestedAccess: Rule = (snapshot, policy, now) => {
  const { enabled, attest_days: days } = policy.findings.unattested_access;
  if (!enabled) return [];
  const today = utcDay(now);
  const out: Detection[] = [];
  for (const a of snapshot.attestations.values()) {
    const subject = attestedSubject(a);
    if (!subject || !stillHeld(subject, snapshot)) continue;
    let rule: string;
    let idleDays: number | null = null;
    if (a.status === 'pending') {
      const age = daysBetween(utcDay(a.requestedAt), today);
      if (age < days) continue;
      idleDays = age;
      rule = `Nobody attested this access ${age} days after its creator was asked (policy: within ${days} days).`;
    } else if (a.status === 'attested' && a.endDate !== null && a.endDate < today) {
      rule = `The purpose you gave ended on ${a.endDate}: “${a.purpose ?? ''}”.`;
    } else continue;
    out.push({
      kind: 'unattested_access',
      fingerprint: stateFingerprint('unattested_access', subject),
      subject,
      activityOf: subject.type === 'workspace_member' ? subject.id.slice(subject.id.indexOf('/') + 1) : subject.id,
      rule,
      thresholds: { attest_days: days },
      idleDays,
    });
  }
  return out;
};
