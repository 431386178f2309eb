import type { Policy } from '../config/policy.js';
import { ANOMALY_KINDS, type FindingKind } from '../domain/findings.js';
import { isLiveKey } from './rules/dormant-key.js';
import { isOpenInvite } from './rules/stale-invite.js';
import { stillHeld } from './rules/lifecycle-access.js';
import { isOrgAdminRole, WORKSPACE_ADMIN_ROLE } from '../domain/roles.js';
import type { OpenFindingRecord, Snapshot } from './types.js';

export type ResolutionReason =
  | 'no_longer_dormant'
  | 'key_inactive'
  | 'principal_removed'
  | 'owner_found'
  | 'admin_role_removed'
  | 'admin_active'
  | 'invite_closed'
  | 'no_longer_applies'
  | 'actor_now_known'
  | 'rule_disabled'
  | 'exempted'
  | 'certified'
  | 'attested';

export function kindEnabled(policy: Policy, kind: FindingKind): boolean {
  switch (kind) {
    case 'dormant_seat':
    case 'dormant_key':
    case 'unowned_key':
    case 'stale_admin':
    case 'stale_invite':
    case 'unattested_access':
      return policy.findings[kind].enabled;
    default:
      return policy.anomalies[kind].enabled;
  }
}

/**
 * Why an open finding that this run did not produce no longer holds, or null when it
 * stays open: anomalies are events and stay until handled (unless the actor turned out
 * to be in the directory after all, or their rule was switched off).
 */
export function resolutionOf(f: OpenFindingRecord, s: Snapshot, policy: Policy, now: Date): ResolutionReason | null {
  if (!kindEnabled(policy, f.kind)) return 'rule_disabled';
  const { type, id } = f.subject;
  if (f.kind === 'unknown_actor') {
    const known = s.users.has(id) || s.keys.has(id) || s.serviceAccounts.has(id) || s.listedElsewhere?.has(id);
    return known ? 'actor_now_known' : null;
  }
  if (ANOMALY_KINDS.has(f.kind)) return null;
  // Missing activity proves nothing: a dormancy finding stays as it was while it cannot be read.
  if (s.activityUnavailable && (f.kind === 'dormant_seat' || f.kind === 'dormant_key')) return null;
  switch (f.kind) {
    case 'dormant_seat': {
      const u = s.users.get(id);
      return !u || u.removedAt !== null ? 'principal_removed' : 'no_longer_dormant';
    }
    case 'dormant_key': {
      const k = s.keys.get(id);
      return !k || !isLiveKey(k) ? 'key_inactive' : 'no_longer_dormant';
    }
    case 'unowned_key': {
      const k = s.keys.get(id);
      return !k || !isLiveKey(k) ? 'key_inactive' : 'owner_found';
    }
    case 'stale_admin': {
      if (type === 'workspace_member') {
        const [workspaceId, userId] = [id.slice(0, id.indexOf('/')), id.slice(id.indexOf('/') + 1)];
        const u = s.users.get(userId);
        if (!u || u.removedAt !== null) return 'principal_removed';
        const m = s.memberships.find((x) => x.workspaceId === workspaceId && x.userId === userId);
        return !m || m.removedAt !== null || m.role !== WORKSPACE_ADMIN_ROLE ? 'admin_role_removed' : 'admin_active';
      }
      const u = s.users.get(id);
      if (!u || u.removedAt !== null) return 'principal_removed';
      return isOrgAdminRole(u.role) ? 'admin_active' : 'admin_role_removed';
    }
    case 'stale_invite': {
      const i = s.invites.get(id);
      return !i || !isOpenInvite(i, now) ? 'invite_closed' : 'no_longer_applies';
    }
    case 'unattested_access': {
      if (type === 'api_key') {
        const k = s.keys.get(id);
        if (!k || !isLiveKey(k)) return 'key_inactive';
      } else if (!stillHeld(f.subject, s)) return 'admin_role_removed';
      return 'attested';
    }
    default:
      return 'no_longer_applies';
  }
}
