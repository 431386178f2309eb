import { daysBetween, latestDay, utcDay } from '../days.js';
import { stateFingerprint } from '../fingerprint.js';
import { isOrgAdminRole, WORKSPACE_ADMIN_ROLE } from '../../domain/roles.js';
import { type Detection, type Snapshot, type UserRecord } from '../types.js';
import { membershipId } from '../../domain/findings.js';
import type { Rule } from './types.js';

/** Whole days since the last admin event, or since the role was granted if that is later. */
function adminIdleDays(user: UserRecord, holdingSince: Date, today: string): number {
  return daysBetween(latestDay(user.activity?.lastAdminDay, utcDay(holdingSince))!, today);
}

function orgRoleSince(user: UserRecord, snapshot: Snapshot): Date {
  const granted = snapshot.lastGrantAt.get(user.id);
  const joined = user.addedAt ?? user.firstSeenAt;
  return granted && granted > joined ? granted : joined;
}

/** `stale_admin`: an org admin/owner or a workspace admin with no admin activity for ≥ N days. */
export const staleAdmin: Rule = (snapshot, policy, now) => {
  const { enabled, days } = policy.findings.stale_admin;
  if (!enabled) return [];
  const today = utcDay(now);
  const out: Detection[] = [];
  const describe = (idle: number, never: boolean) =>
    never
      ? `No administrative activity on record in ${idle} days holding the role (policy: stale after ${days} days).`
      : `No administrative activity for ${idle} days (policy: stale after ${days} days).`;

  for (const user of snapshot.users.values()) {
    if (user.removedAt !== null || !isOrgAdminRole(user.role)) continue;
    const idle = adminIdleDays(user, orgRoleSince(user, snapshot), today);
    if (idle < days) continue;
    const subject = { type: 'user' as const, id: user.id };
    out.push({
      kind: 'stale_admin',
      fingerprint: stateFingerprint('stale_admin', subject),
      subject,
      activityOf: user.id,
      rule: describe(idle, !user.activity?.lastAdminDay),
      thresholds: { stale_admin_days: days },
      idleDays: idle,
    });
  }

  for (const m of snapshot.memberships) {
    if (m.removedAt !== null || m.role !== WORKSPACE_ADMIN_ROLE) continue;
    const user = snapshot.users.get(m.userId);
    if (!user || user.removedAt !== null) continue;
    const id = membershipId(m.workspaceId, m.userId);
    const granted = snapshot.lastGrantAt.get(id);
    const since = granted && granted > m.firstSeenAt ? granted : m.firstSeenAt;
    const idle = adminIdleDays(user, since, today);
    if (idle < days) continue;
    const subject = { type: 'workspace_member' as const, id };
    out.push({
      kind: 'stale_admin',
      fingerprint: stateFingerprint('stale_admin', subject),
      subject,
      activityOf: user.id,
      rule: describe(idle, !user.activity?.lastAdminDay),
      thresholds: { stale_admin_days: days },
      idleDays: idle,
    });
  }
  return out;
};
