/**
 * What the Admin API adapter hands to the rest of Steward: the wire objects as the API
 * sends them (so ingest can keep them verbatim as `raw`), typed with the fields Steward
 * reads. Fields that older API versions omit are optional.
 */

export interface OrgUser {
  id: string;
  email: string;
  name: string;
  role: string;
  added_at: string;
  type?: string;
}

export interface Invite {
  id: string;
  email: string;
  role: string;
  status: string;
  invited_at: string;
  expires_at: string;
  accepted_at?: string | null;
  type?: string;
}

export interface Workspace {
  id: string;
  name: string;
  created_at: string;
  archived_at: string | null;
  type?: string;
}

export interface WorkspaceMember {
  workspace_id: string;
  user_id: string;
  workspace_role: string;
  type?: string;
}

export interface ServiceAccount {
  id: string;
  name: string;
  description?: string | null;
  organization_role?: string;
  created_at: string;
  created_by_actor_id: string | null;
  archived_at: string | null;
  type?: string;
}

/** `user_actor` | `service_account_actor`, or an actor type added later. */
export type KeyPrincipal =
  | { type: 'user_actor'; user_id: string }
  | { type: 'service_account_actor'; service_account_id: string }
  | ({ type: string } & Record<string, unknown>);

export interface ApiKey {
  id: string;
  name: string;
  status: string;
  created_at: string;
  /** null: the creator is not recorded (legacy, federated or system-created keys). */
  created_by: { id: string; type: string } | null;
  partial_key_hint: string | null;
  /** Current shape (SDK 1.x); absent on the older shape. */
  expires_at?: string | null;
  principal?: KeyPrincipal | null;
  scope?:
    | { type: 'organization' }
    | { type: 'workspace'; workspace_id: string }
    | ({ type: string } & Record<string, unknown>);
  /** Older shape: the workspace at the top level, null for the default workspace. */
  workspace_id?: string | null;
  type?: string;
}

/** One API key's usage over one UTC day, from the usage report grouped by `api_key_id`. */
export interface KeyUsageDay {
  apiKeyId: string;
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  requests: number;
  uncachedInputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  /** The report row as the API sent it. */
  raw: Record<string, unknown>;
}

/** One member's activity over one day, from the Enterprise analytics endpoint. */
export interface SeatActivity {
  userId: string;
  email: string | null;
  /** The metrics tree as the API sent it (chat_metrics, claude_code_metrics, …). */
  metrics: Record<string, unknown>;
  /**
   * Most recent UTC day with counted activity inside the requested window; null when none;
   * undefined when the organisation does not report it (SDK `last_activity_date`).
   */
  lastActivityDate?: string | null;
}

/** Every mutation carries one: sent as `Idempotency-Key`, so a retried call is applied once. */
export interface MutationOptions {
  idempotencyKey: string;
}
