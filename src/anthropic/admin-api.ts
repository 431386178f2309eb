import type { ClaudeCodeUsage } from './claude-code.js';
import type {
  ApiKey,
  Invite,
  KeyUsageDay,
  MutationOptions,
  OrgUser,
  SeatActivity,
  ServiceAccount,
  Workspace,
  WorkspaceMember,
} from './types.js';

/**
 * Everything Steward asks of the Admin API, behind one small interface so services
 * depend on this and not on the SDK. Listings are async iterables over every item of a
 * complete listing (auto-paginated); a listing that fails part-way throws a
 * StewardError from the iterator. Mutations send their idempotency key as
 * `Idempotency-Key`.
 */
export interface AdminApi {
  /** The organisation this key belongs to (`GET /v1/organizations/me`): its id (a uuid) and name. */
  organization(): Promise<{ id: string; name: string }>;
  listUsers(): AsyncIterable<OrgUser>;
  listInvites(): AsyncIterable<Invite>;
  /** Including archived workspaces and the default one. */
  listWorkspaces(): AsyncIterable<Workspace>;
  listWorkspaceMembers(workspaceId: string): AsyncIterable<WorkspaceMember>;
  /** Including archived accounts. Needs an OAuth `org:admin` token: an Admin API key gets 403. */
  listServiceAccounts(): AsyncIterable<ServiceAccount>;
  listApiKeys(): AsyncIterable<ApiKey>;
  /** One API key as it is now (`GET /v1/organizations/api_keys/{id}`): re-reads a key a side effect may have changed. */
  getApiKey(apiKeyId: string): Promise<ApiKey>;

  /**
   * Requests and tokens per API key per UTC day for `[start, end)` (whole days,
   * `YYYY-MM-DD`; at most 31 days, start within the last 365 and not before
   * 2026-01-01). Usage no key authenticated is left out.
   */
  keyUsage(range: { start: string; end: string }): AsyncIterable<KeyUsageDay>;
  /** Every member's activity on one UTC day (Enterprise only: 404 otherwise). */
  seatActivity(day: string): AsyncIterable<SeatActivity>;
  /**
   * Every member's activity rolled up over `[start, end)` (UTC days, at most 366; Enterprise only),
   * with `lastActivityDate`: one walk instead of one per day.
   */
  seatActivityRange(range: { start: string; end: string }): AsyncIterable<SeatActivity>;
  /** Claude Code use on one UTC day, by user email or API key name (Admin key; not in the SDK). */
  claudeCodeUsage(day: string): AsyncIterable<ClaudeCodeUsage>;
  /** Whether the Compliance API is on (`GET /v1/organizations/compliance_settings`). */
  complianceEnabled(): Promise<boolean>;

  setApiKeyStatus(apiKeyId: string, status: 'active' | 'inactive', opts: MutationOptions): Promise<ApiKey>;
  removeOrgMember(userId: string, opts: MutationOptions): Promise<{ id: string; type: string }>;
  setOrgRole(userId: string, role: OrgAssignableRole, opts: MutationOptions): Promise<OrgUser>;
  setWorkspaceMemberRole(
    workspaceId: string,
    userId: string,
    role: WorkspaceRole,
    opts: MutationOptions,
  ): Promise<WorkspaceMember>;
  removeWorkspaceMember(
    workspaceId: string,
    userId: string,
    opts: MutationOptions,
  ): Promise<{ workspace_id: string; user_id: string; type: string }>;
  deleteInvite(inviteId: string, opts: MutationOptions): Promise<{ id: string; type: string }>;
  archiveServiceAccount(serviceAccountId: string, opts: MutationOptions): Promise<ServiceAccount>;
}

/** The roles the API lets an Admin key assign (admins and owners are changed in the console only). */
export type OrgAssignableRole = 'billing' | 'claude_code_user' | 'developer' | 'managed' | 'user';

export type WorkspaceRole =
  'workspace_admin' | 'workspace_billing' | 'workspace_developer' | 'workspace_restricted_developer' | 'workspace_user';
