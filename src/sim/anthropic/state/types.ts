/** Records the simulated organisation is made of. Times are epoch milliseconds. */
export type TimeInput = Date | string | number;

/** `api`: a Claude Console/Platform organisation. `enterprise`: Claude Enterprise (has seat analytics). */
export type OrgType = 'api' | 'enterprise';

export type OrganizationRole =
  | 'admin'
  | 'billing'
  | 'claude_code_user'
  | 'developer'
  | 'managed'
  | 'membership_admin'
  | 'owner'
  | 'primary_owner'
  | 'user';

export type WorkspaceRole =
  'workspace_admin' | 'workspace_billing' | 'workspace_developer' | 'workspace_restricted_developer' | 'workspace_user';

export interface SimOrg {
  id: string;
  uuid: string;
  name: string;
  type: OrgType;
}

/** Ordering key shared by every list: creation time, then insertion sequence. */
export interface Ordered {
  id: string;
  seq: number;
  createdAt: number;
}

export interface SimUser extends Ordered {
  email: string;
  name: string;
  role: OrganizationRole;
  /** Set when the user left or was removed; the record stays so old cursors still resolve. */
  removedAt: number | null;
  /** When a removal (or a refused one) signed the user out of their sessions. */
  signedOutAt: number | null;
}

export interface SimInvite extends Ordered {
  email: string;
  role: OrganizationRole;
  expiresAt: number;
  acceptedAt: number | null;
  deletedAt: number | null;
  rbacGroupIds: string[];
}

export interface SimWorkspace extends Ordered {
  name: string;
  archivedAt: number | null;
  displayColor: string;
  compartmentId: string;
  isDefault: boolean;
  tags: Record<string, string>;
}

export interface SimWorkspaceMember extends Ordered {
  workspaceId: string;
  userId: string;
  role: WorkspaceRole;
  removedAt: number | null;
}

export interface SimServiceAccount extends Ordered {
  name: string;
  description: string | null;
  organizationRole: 'admin' | 'developer';
  createdByActorId: string | null;
  updatedAt: number;
  updatedByActorId: string | null;
  archivedAt: number | null;
  archivedByActorId: string | null;
  /** Live federation rules targeting this account; archiving is refused while any exist. */
  liveFederationRules: number;
}

export type ApiKeyActor =
  { type: 'user_actor'; user_id: string } | { type: 'service_account_actor'; service_account_id: string };

/**
 * `current`: `scope` + `principal` (SDK 1.x). `legacy`: the older top-level
 * `workspace_id` (null for the default workspace) and no scope/principal.
 * `both`: every field, as an API mid-migration might send.
 */
export type ApiKeyShape = 'current' | 'legacy' | 'both';

export interface SimApiKey extends Ordered {
  name: string;
  createdBy: { id: string; type: 'user' | 'service_account' } | null;
  expiresAt: number | null;
  hint: string | null;
  principal: ApiKeyActor | null;
  /** null: organisation-scoped (principal-bound keys only). */
  workspaceId: string | null;
  status: 'active' | 'inactive' | 'archived';
  shape: ApiKeyShape | undefined;
}
