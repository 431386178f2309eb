import type { PlannedAction } from '../domain/actions.js';
import type { Evidence } from '../domain/evidence.js';
import { splitMembershipId } from '../domain/findings.js';
import { isOrgAdminRole } from '../domain/roles.js';

/** The org role a demoted admin keeps: plain membership. */
export const LOWERED_ORG_ROLE = 'user';
export const LOWERED_WORKSPACE_ROLE = 'workspace_user';

/**
 * What "Revoke" does for a finding: the smallest removal that ends the access the
 * finding is about. Null when nothing can be removed through the Admin API (an unknown
 * actor, an admin API key grant) — those findings offer Acknowledge only.
 */
export function revocationFor(evidence: Evidence): PlannedAction | null {
  const { subject, access } = evidence;
  // Nothing in the directory to remove: the actor is unknown, the person already gone,
  // or the grant was an admin API key (not manageable through the Admin API).
  if (evidence.kind === 'unknown_actor') return null;
  if (evidence.kind === 'activity_after_removal' && subject.type === 'user') return null;
  if (evidence.kind === 'privilege_grant' && subject.type === 'api_key') return null;
  switch (subject.type) {
    case 'api_key':
      return {
        kind: 'deactivate_key',
        targetType: 'api_key',
        targetId: subject.id,
        params: {},
        restorable: true,
        description: 'Deactivate the key (it can be restored during the grace period)',
      };
    case 'invite':
      return {
        kind: 'delete_invite',
        targetType: 'invite',
        targetId: subject.id,
        params: {},
        restorable: false,
        description: 'Delete the invite',
      };
    case 'service_account':
      return {
        kind: 'archive_service_account',
        targetType: 'service_account',
        targetId: subject.id,
        params: {},
        restorable: false,
        description: 'Archive the service account',
      };
    case 'workspace_member': {
      const member = splitMembershipId(subject.id);
      const workspaceId = member.workspaceId ?? access.workspaceId;
      const userId = member.userId;
      if (!workspaceId || !userId) return null;
      // A plain membership (a workspace campaign certifies those too) has no role to lower.
      if (access.kind !== 'workspace_admin' && access.role === LOWERED_WORKSPACE_ROLE) return null;
      return {
        kind: 'lower_workspace_role',
        targetType: 'workspace_member',
        targetId: subject.id,
        params: { workspaceId, userId, role: LOWERED_WORKSPACE_ROLE, previousRole: access.role ?? null },
        restorable: false,
        description: `Lower the workspace role to ${LOWERED_WORKSPACE_ROLE}`,
      };
    }
    case 'user': {
      const role = access.role ?? '';
      // A certification of an admin role (issue 16) is about the role, as a stale-admin finding is.
      const aboutRole =
        evidence.kind === 'stale_admin' || evidence.kind === 'privilege_grant' || evidence.access.kind === 'org_admin';
      if (aboutRole && isOrgAdminRole(role)) {
        return {
          kind: 'lower_org_role',
          targetType: 'user',
          targetId: subject.id,
          params: { role: LOWERED_ORG_ROLE, previousRole: role },
          restorable: false,
          description: `Lower the organisation role from ${role} to ${LOWERED_ORG_ROLE}`,
        };
      }
      if (aboutRole) return null;
      return {
        kind: 'remove_member',
        targetType: 'user',
        targetId: subject.id,
        params: {},
        restorable: false,
        description: 'Remove the member from the organisation (frees the seat)',
      };
    }
    default:
      return null;
  }
}
