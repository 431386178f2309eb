import type { Evidence } from '../correlate/evidence.js';
import { isOrgAdminRole } from '../correlate/roles.js';

export type ActionKind =
  | 'deactivate_key'
  | 'restore_key'
  | 'remove_member'
  | 'lower_org_role'
  | 'lower_workspace_role'
  | 'delete_invite'
  | 'archive_service_account';

export interface PlannedAction {
  kind: ActionKind;
  targetType: string;
  targetId: string;
  params: Record<string, unknown>;
  /** Whether the access can be given back from the message during the grace period. */
  restorable: boolean;
  /** What the reviewer is told will happen, e.g. "Deactivate the key (restorable for 7 days)". */
  description: string;
}

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
      const [workspaceId, userId] = splitMember(subject.id, access.workspaceId);
      if (!workspaceId || !userId) return null;
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
      const aboutRole = evidence.kind === 'stale_admin' || evidence.kind === 'privilege_grant';
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

/** Workspace memberships are named `<workspace id>/<user id>` (see correlate's membershipId). */
function splitMember(id: string, workspaceId: string | null | undefined): [string | undefined, string | undefined] {
  const i = id.indexOf('/');
  if (i > 0) return [id.slice(0, i), id.slice(i + 1)];
  return [workspaceId ?? undefined, id];
}
