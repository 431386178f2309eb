import type { OutboxAction } from '../actions/outbox.js';
import type { PlannedAction } from '../domain/actions.js';
import type { Evidence } from '../domain/evidence.js';
import { membershipId } from '../domain/findings.js';
import { LOWERED_ORG_ROLE, LOWERED_WORKSPACE_ROLE } from './revocation.js';

export interface Holding {
  type: string;
  id: string;
  label: string;
}

const asHoldings = (list: unknown): Holding[] =>
  Array.isArray(list) ? (list as Holding[]).filter((h) => typeof h?.id === 'string') : [];

/** The accesses a leaver alert lists (correlate's `leaver` rule puts them in the evidence). */
export function leaverHoldings(e: Evidence): Holding[] {
  return e.kind === 'leaver' ? asHoldings(e.anomaly?.holdings) : [];
}

/** Keys the leaver created that others still use: unowned now, not revoked with them. */
export function leaverUnownedKeys(e: Evidence): Holding[] {
  return e.kind === 'leaver' ? asHoldings(e.anomaly?.unownedKeys) : [];
}

/**
 * What one per-item **Revoke** in a leaver alert does: the seat is the member's removal
 * (roles go with it), a role is lowered, a key deactivated. Its outbox idempotency key is
 * the one **Revoke all** would use for the same access, so the two never act twice.
 */
export function holdingRevocation(h: Holding, e: Evidence): PlannedAction | null {
  switch (h.type) {
    case 'seat':
      return {
        kind: 'remove_member',
        targetType: 'user',
        targetId: h.id,
        params: { label: h.label },
        restorable: false,
        description: `Remove ${h.label} from the organisation (seat and roles)`,
      };
    case 'org_role':
      return {
        kind: 'lower_org_role',
        targetType: 'user',
        targetId: h.id,
        params: { role: LOWERED_ORG_ROLE, previousRole: h.label, label: `${h.label} role` },
        restorable: false,
        description: `Lower the organisation role from ${h.label} to ${LOWERED_ORG_ROLE}`,
      };
    case 'workspace_admin':
      return {
        kind: 'lower_workspace_role',
        targetType: 'workspace_member',
        targetId: membershipId(h.id, e.subject.id),
        params: {
          workspaceId: h.id,
          userId: e.subject.id,
          role: LOWERED_WORKSPACE_ROLE,
          previousRole: 'workspace_admin',
          label: `workspace admin of ${h.label}`,
        },
        restorable: false,
        description: `Lower the workspace role in ${h.label} to ${LOWERED_WORKSPACE_ROLE}`,
      };
    case 'api_key':
      return {
        kind: 'deactivate_key',
        targetType: 'api_key',
        targetId: h.id,
        params: { label: h.label },
        restorable: true,
        description: `Deactivate the key ${h.label}`,
      };
    default:
      return null;
  }
}

/**
 * The outbox action already under way for a holding, if any: its own, or for a role, the
 * member's removal (which ends every role; lowering one after it would find no member).
 */
export function holdingAction(h: Holding, e: Evidence, actions: readonly OutboxAction[]): OutboxAction | null {
  const planned = holdingRevocation(h, e);
  const own = planned && actions.find((a) => a.kind === planned.kind && a.targetId === planned.targetId);
  if (own) return own;
  if (h.type === 'org_role' || h.type === 'workspace_admin')
    return actions.find((a) => a.kind === 'remove_member' && a.targetId === e.subject.id) ?? null;
  return null;
}

/**
 * What **Revoke all** does besides removing the member (which ends their seat and
 * roles): every live key they created or that acts as them is deactivated, each its own
 * outbox action with its own idempotency key.
 */
export function leaverExtraRevocations(e: Evidence): PlannedAction[] {
  return leaverHoldings(e)
    .filter((h) => h.type === 'api_key')
    .map((h) => holdingRevocation(h, e)!);
}
