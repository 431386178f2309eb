import type { AdminApi, OrgAssignableRole, WorkspaceRole } from '../anthropic/admin-api.js';
import { StewardError } from '../domain/errors.js';
import type { OutboxAction } from './outbox.js';

/** The part of the Admin API the outbox needs: the operations that remove or restore access, and a key's re-read. */
export type AccessControl = Pick<
  AdminApi,
  | 'setApiKeyStatus'
  | 'removeOrgMember'
  | 'setOrgRole'
  | 'setWorkspaceMemberRole'
  | 'deleteInvite'
  | 'archiveServiceAccount'
  | 'getApiKey'
>;

/**
 * Runs one outbox action against the Admin API. Throws what the adapter throws, or
 * `action_malformed` (never retried: the same row fails the same way) for a row whose
 * kind or parameters this version cannot carry out.
 */
export async function executeAction(access: AccessControl, action: OutboxAction): Promise<Record<string, unknown>> {
  const opts = { idempotencyKey: action.idempotencyKey };
  const p = action.params;
  const required = (name: string): string => {
    const v = p[name];
    if (typeof v !== 'string' || v === '') throw malformed(action, `its parameter ${name} is missing`);
    return v;
  };
  switch (action.kind) {
    case 'deactivate_key':
      return result(await access.setApiKeyStatus(action.targetId, 'inactive', opts));
    case 'restore_key':
      return result(await access.setApiKeyStatus(action.targetId, 'active', opts));
    case 'remove_member':
      return result(await access.removeOrgMember(action.targetId, opts));
    case 'lower_org_role':
      return result(await access.setOrgRole(action.targetId, required('role') as OrgAssignableRole, opts));
    case 'lower_workspace_role':
      return result(
        await access.setWorkspaceMemberRole(
          required('workspaceId'),
          required('userId'),
          required('role') as WorkspaceRole,
          opts,
        ),
      );
    case 'delete_invite':
      return result(await access.deleteInvite(action.targetId, opts));
    case 'archive_service_account':
      return result(await access.archiveServiceAccount(action.targetId, opts));
    default:
      throw malformed(action, `its kind "${action.kind}" is not one Steward carries out`);
  }
}

/** Removals whose target is already gone have nothing left to do. */
export const GONE_IS_DONE = new Set(['remove_member', 'delete_invite', 'archive_service_account']);

/** What is kept of the API's answer: its identifying fields, never key material. */
function result(r: object): Record<string, unknown> {
  const o = r as Record<string, unknown>;
  const keep = [
    'id',
    'type',
    'status',
    'role',
    'workspace_role',
    'workspace_id',
    'user_id',
    'archived_at',
    'partial_key_hint',
  ];
  return Object.fromEntries(keep.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

function malformed(action: OutboxAction, why: string): StewardError {
  return new StewardError('action_malformed', `Outbox action ${action.id} cannot run: ${why}.`, {
    retry: false,
    details: { kind: action.kind, targetId: action.targetId },
  });
}
