import { addDays, utcDay } from '../days.js';
import { eventFingerprint } from '../fingerprint.js';
import { isOrgAdminRole, WORKSPACE_ADMIN_ROLE } from '../../domain/roles.js';
import { type Detection, type GrantRecord, type Snapshot } from '../types.js';
import { membershipId, type Subject } from '../../domain/findings.js';
import type { Rule } from './types.js';

interface Granted {
  subject: Subject;
  role: string;
  what: string;
}

/**
 * What a grant activity granted, if it was a privilege: an org admin/owner role, the
 * workspace admin role, or an admin API key. When the activity does not carry the new
 * role (workspace member added), the directory's current role says what was granted.
 */
function granted(g: GrantRecord, snapshot: Snapshot): Granted | null {
  if (g.granteeType === 'admin_api_key') {
    return {
      subject: { type: 'api_key', id: g.granteeId },
      role: 'admin_api_key',
      what: 'An admin API key was created',
    };
  }
  if (g.granteeType === 'user') {
    const role = g.role ?? snapshot.users.get(g.granteeId)?.role ?? null;
    if (!isOrgAdminRole(role) || isOrgAdminRole(g.previousRole)) return null;
    const email = snapshot.users.get(g.granteeId)?.email ?? g.granteeId;
    return {
      subject: { type: 'user', id: g.granteeId },
      role: role!,
      what: `${email} became ${role}${g.previousRole ? ` (was ${g.previousRole})` : ''}`,
    };
  }
  if (g.granteeType === 'workspace_member' && g.workspaceId) {
    const current = snapshot.memberships.find(
      (m) => m.workspaceId === g.workspaceId && m.userId === g.granteeId && m.removedAt === null,
    );
    const role = g.role ?? current?.role ?? null;
    if (role !== WORKSPACE_ADMIN_ROLE || g.previousRole === WORKSPACE_ADMIN_ROLE) return null;
    const email = snapshot.users.get(g.granteeId)?.email ?? g.granteeId;
    const ws = snapshot.workspaces.get(g.workspaceId)?.name ?? g.workspaceId;
    return {
      subject: { type: 'workspace_member', id: membershipId(g.workspaceId, g.granteeId) },
      role,
      what: `${email} became workspace admin of ${ws}`,
    };
  }
  return null;
}

/** `privilege_grant`: someone became admin/owner, a workspace admin was added, an admin key was created. */
export const privilegeGrant: Rule = (snapshot, policy, now) => {
  if (!policy.anomalies.privilege_grant.enabled) return [];
  const windowStart = addDays(utcDay(now), -policy.anomalies.lookback_days);
  const out: Detection[] = [];
  const seen = new Set<string>();
  for (const g of snapshot.recentGrants) {
    const day = utcDay(g.grantedAt);
    if (day < windowStart || g.grantedAt > now) continue;
    const grant = granted(g, snapshot);
    if (!grant) continue;
    const fingerprint = eventFingerprint('privilege_grant', grant.subject, grant.role, day);
    // The same change reported twice (retries, two activity types) is one grant.
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const by = g.actorId ? (snapshot.users.get(g.actorId)?.email ?? g.actorId) : 'an unknown actor';
    out.push({
      kind: 'privilege_grant',
      fingerprint,
      subject: grant.subject,
      activityOf: grant.subject.type === 'api_key' ? null : g.granteeId,
      rule: `${grant.what} at ${g.grantedAt.toISOString()}, by ${by}.`,
      thresholds: {},
      anomaly: {
        activityId: g.id,
        activityType: g.activityType,
        grantedAt: g.grantedAt.toISOString(),
        role: grant.role,
        previousRole: g.previousRole,
        workspaceId: g.workspaceId,
        grantedBy: g.actorId ? { type: g.actorType, id: g.actorId } : null,
      },
    });
  }
  return out;
};
