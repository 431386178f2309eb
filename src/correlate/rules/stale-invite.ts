import { daysBetween, utcDay } from '../days.js';
import { stateFingerprint } from '../fingerprint.js';
import type { Detection, InviteRecord } from '../types.js';
import type { Rule } from './types.js';

/** An invite that can still be accepted. */
export function isOpenInvite(invite: InviteRecord, now: Date): boolean {
  return (
    invite.status === 'pending' && invite.removedAt === null && (invite.expiresAt === null || invite.expiresAt > now)
  );
}

/** `stale_invite`: a pending invite older than N days. */
export const staleInvite: Rule = (snapshot, policy, now) => {
  const { enabled, days } = policy.findings.stale_invite;
  if (!enabled) return [];
  const today = utcDay(now);
  const out: Detection[] = [];
  for (const invite of snapshot.invites.values()) {
    if (!isOpenInvite(invite, now)) continue;
    const age = daysBetween(utcDay(invite.invitedAt ?? invite.firstSeenAt), today);
    if (age < days) continue;
    const subject = { type: 'invite' as const, id: invite.id };
    out.push({
      kind: 'stale_invite',
      fingerprint: stateFingerprint('stale_invite', subject),
      subject,
      activityOf: null,
      rule: `Invitation pending for ${age} days (policy: stale after ${days} days).`,
      thresholds: { stale_invite_days: days },
      idleDays: age,
    });
  }
  return out;
};
