import { iso } from './clock.js';
import type { SimConfig } from './config.js';
import type { OrgState } from './state/org-state.js';
import type {
  SimApiKey,
  SimInvite,
  SimServiceAccount,
  SimUser,
  SimWorkspace,
  SimWorkspaceMember,
} from './state/types.js';

/** Wire shapes, field for field as the SDK's `.d.ts` declares them. */
export const render = {
  user(u: SimUser) {
    return { id: u.id, type: 'user', email: u.email, name: u.name, role: u.role, added_at: iso(u.createdAt) };
  },

  invite(state: OrgState, i: SimInvite) {
    return {
      id: i.id,
      type: 'invite',
      email: i.email,
      role: i.role,
      invited_at: iso(i.createdAt),
      expires_at: iso(i.expiresAt),
      accepted_at: i.acceptedAt === null ? null : iso(i.acceptedAt),
      status: state.inviteStatus(i),
      rbac_group_ids: i.rbacGroupIds,
    };
  },

  workspace(w: SimWorkspace) {
    return {
      id: w.id,
      type: 'workspace',
      name: w.name,
      created_at: iso(w.createdAt),
      archived_at: w.archivedAt === null ? null : iso(w.archivedAt),
      display_color: w.displayColor,
      compartment_id: w.compartmentId,
      data_residency: { workspace_geo: 'us', allowed_inference_geos: 'unrestricted', default_inference_geo: 'global' },
      external_key_id: null,
      tags: w.tags,
      user_profile_id: null,
    };
  },

  member(m: SimWorkspaceMember) {
    return { type: 'workspace_member', user_id: m.userId, workspace_id: m.workspaceId, workspace_role: m.role };
  },

  serviceAccount(s: SimServiceAccount) {
    return {
      id: s.id,
      type: 'service_account',
      name: s.name,
      description: s.description,
      organization_role: s.organizationRole,
      created_at: iso(s.createdAt),
      created_by_actor_id: s.createdByActorId,
      updated_at: iso(s.updatedAt),
      updated_by_actor_id: s.updatedByActorId,
      archived_at: s.archivedAt === null ? null : iso(s.archivedAt),
      archived_by_actor_id: s.archivedByActorId,
    };
  },

  apiKey(state: OrgState, config: SimConfig, k: SimApiKey) {
    const shape = k.shape ?? config.apiKeyShape;
    const out: Record<string, unknown> = {
      id: k.id,
      type: 'api_key',
      name: k.name,
      created_at: iso(k.createdAt),
      created_by: k.createdBy,
      partial_key_hint: k.hint,
      status: state.apiKeyStatus(k),
    };
    if (shape !== 'legacy') {
      out['expires_at'] = k.expiresAt === null ? null : iso(k.expiresAt);
      out['principal'] = k.principal;
      out['scope'] =
        k.workspaceId === null ? { type: 'organization' } : { type: 'workspace', workspace_id: k.workspaceId };
    }
    if (shape !== 'current') {
      // The older field named no workspace for the default one.
      out['workspace_id'] =
        k.workspaceId === null || k.workspaceId === state.defaultWorkspace.id ? null : k.workspaceId;
    }
    return out;
  },
};
