import Anthropic from '@anthropic-ai/sdk';
import type { AdminApi, OrgAssignableRole, WorkspaceRole } from './admin-api.js';
import { parseClaudeCodePage } from './claude-code.js';
import { fromSdkError } from './sdk-errors.js';
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

export interface SdkAdminApiOptions {
  /** Admin API key (or an OAuth token the SDK sends the same way). Never logged. */
  apiKey: string;
  baseUrl: string;
  /** SDK retries on 429 (honouring retry-after), 408/409, 5xx, timeouts and lost connections. */
  maxRetries?: number;
  /** Per-request timeout; a hung request is abandoned and retried. */
  timeoutMs?: number;
  /** Items per listing page (the API allows 1–1000). */
  pageSize?: number;
  /** Usage report rows per page (1–1000). */
  reportPageSize?: number;
  /** Transport (metrics wrap it to count calls, errors and 429s). */
  fetch?: typeof fetch;
}

export const ADMIN_API_DEFAULTS = { maxRetries: 4, timeoutMs: 60_000, pageSize: 1000, reportPageSize: 1000 } as const;

/** The Admin API over `@anthropic-ai/sdk` 1.16: typed resources, auto-pagination, SDK retries. */
export function createSdkAdminApi(opts: SdkAdminApiOptions): AdminApi {
  const timeoutMs = opts.timeoutMs ?? ADMIN_API_DEFAULTS.timeoutMs;
  const client = new Anthropic({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl,
    maxRetries: opts.maxRetries ?? ADMIN_API_DEFAULTS.maxRetries,
    timeout: timeoutMs,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const limit = opts.pageSize ?? ADMIN_API_DEFAULTS.pageSize;
  const reportLimit = opts.reportPageSize ?? ADMIN_API_DEFAULTS.reportPageSize;
  const org = client.organization;

  // Errors surface from the iterator as StewardErrors, mid-listing included.
  async function* listing<T>(what: string, source: () => AsyncIterable<unknown>): AsyncGenerator<T> {
    try {
      for await (const item of source()) yield item as T;
    } catch (err) {
      throw fromSdkError(err, what, timeoutMs);
    }
  }

  async function call<T>(what: string, run: () => PromiseLike<unknown>): Promise<T> {
    try {
      return (await run()) as T;
    } catch (err) {
      throw fromSdkError(err, what, timeoutMs);
    }
  }

  const idem = (o: MutationOptions) => ({ headers: { 'Idempotency-Key': o.idempotencyKey } });

  return {
    organization: async () => {
      const me = await call<{ id: string; name: string }>('reading the organisation of the Admin key', () =>
        org.retrieve(),
      );
      return { id: me.id, name: me.name };
    },
    listUsers: () => listing<OrgUser>('listing organisation users', () => org.users.list({ limit })),
    listInvites: () => listing<Invite>('listing invites', () => org.invites.list({ limit })),
    listWorkspaces: () =>
      listing<Workspace>('listing workspaces', () =>
        org.workspaces.list({ limit, include_archived: true, include_default: true }),
      ),
    listWorkspaceMembers: (workspaceId) =>
      listing<WorkspaceMember>(`listing members of workspace ${workspaceId}`, () =>
        org.workspaces.members.list(workspaceId, { limit }),
      ),
    listServiceAccounts: () =>
      listing<ServiceAccount>('listing service accounts', () =>
        org.serviceAccounts.list({ limit, include_archived: true }),
      ),
    listApiKeys: () => listing<ApiKey>('listing API keys', () => org.apiKeys.list({ limit })),
    getApiKey: (id) => call<ApiKey>(`reading API key ${id}`, () => org.apiKeys.retrieve(id)),

    async *keyUsage({ start, end }) {
      const rows = listing<Record<string, unknown>>(`reading key usage ${start}..${end}`, () =>
        client.beta.organization.analytics.usage.list({
          starting_at: `${start}T00:00:00Z`,
          ending_at: `${end}T00:00:00Z`,
          group_by: ['api_key_id'],
          time_bucket_width: '1d',
          order_by: 'time',
          order: 'asc',
          limit: reportLimit,
        }),
      );
      for await (const row of rows) {
        const day = toKeyUsageDay(row);
        if (day) yield day;
      }
    },

    async *seatActivity(day) {
      const rows = listing<Record<string, unknown>>(`reading seat activity for ${day}`, () =>
        org.analytics.users.list({ date: day, limit }),
      );
      for await (const row of rows) {
        const seat = toSeatActivity(row);
        if (seat) yield seat;
      }
    },

    async *seatActivityRange({ start, end }) {
      const rows = listing<Record<string, unknown>>(`reading seat activity for ${start}..${end}`, () =>
        org.analytics.users.list({ starting_date: start, ending_date: end, limit }),
      );
      for await (const row of rows) {
        const seat = toSeatActivity(row);
        if (seat) yield seat;
      }
    },

    async *claudeCodeUsage(day) {
      const what = `reading Claude Code usage for ${day}`;
      let page: string | null = null;
      do {
        const query: Record<string, string | number> = { starting_at: day, limit: reportLimit };
        if (page !== null) query['page'] = page;
        const body = await call<unknown>(what, () =>
          client.get('/v1/organizations/usage_report/claude_code', { query }),
        );
        const parsed = parseClaudeCodePage(body, what);
        yield* parsed.records;
        page = parsed.nextPage;
      } while (page !== null);
    },

    complianceEnabled: async () =>
      (await call<{ state: { type: string } }>('reading compliance settings', () => org.complianceSettings.retrieve()))
        .state.type === 'enabled',

    setApiKeyStatus: (id, status, o) =>
      call<ApiKey>(`setting API key ${id} ${status}`, () => org.apiKeys.update(id, { status }, idem(o))),
    removeOrgMember: (userId, o) => call(`removing member ${userId}`, () => org.users.remove(userId, idem(o))),
    setOrgRole: (userId, role: OrgAssignableRole, o) =>
      call<OrgUser>(`setting the role of ${userId} to ${role}`, () => org.users.update(userId, { role }, idem(o))),
    setWorkspaceMemberRole: (workspaceId, userId, role: WorkspaceRole, o) =>
      call<WorkspaceMember>(`setting ${userId}'s role in ${workspaceId} to ${role}`, () =>
        org.workspaces.members.update(userId, { workspace_id: workspaceId, workspace_role: role }, idem(o)),
      ),
    removeWorkspaceMember: (workspaceId, userId, o) =>
      call(`removing ${userId} from workspace ${workspaceId}`, () =>
        org.workspaces.members.remove(userId, { workspace_id: workspaceId }, idem(o)),
      ),
    deleteInvite: (inviteId, o) => call(`deleting invite ${inviteId}`, () => org.invites.delete(inviteId, idem(o))),
    archiveServiceAccount: (id, o) =>
      call<ServiceAccount>(`archiving service account ${id}`, () => org.serviceAccounts.archive(id, idem(o))),
  };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** One usage report row → a key-day; null for usage no key authenticated. */
export function toKeyUsageDay(row: Record<string, unknown>): KeyUsageDay | null {
  const group = (row['group'] ?? {}) as Record<string, unknown>;
  const keyId = group['api_key_id'];
  const startingAt = row['starting_at'];
  if (typeof keyId !== 'string' || keyId === '' || typeof startingAt !== 'string') return null;
  const usage = (row['usage'] ?? {}) as Record<string, unknown>;
  const creation = (usage['cache_creation'] ?? {}) as Record<string, unknown>;
  return {
    apiKeyId: keyId,
    day: startingAt.slice(0, 10),
    requests: num(usage['requests']),
    uncachedInputTokens: num(usage['uncached_input_tokens']),
    outputTokens: num(usage['output_tokens']),
    cacheReadTokens: num(usage['cache_read_input_tokens']),
    cacheCreationTokens: num(creation['ephemeral_1h_input_tokens']) + num(creation['ephemeral_5m_input_tokens']),
    raw: row,
  };
}

/** One analytics row → a member's metrics; null for grouped rows that name no user. */
export function toSeatActivity(row: Record<string, unknown>): SeatActivity | null {
  const user = row['user'] as Record<string, unknown> | null | undefined;
  const id = user?.['id'];
  if (typeof id !== 'string' || id === '') return null;
  const { user: _user, distinct_user_count: _count, last_activity_date: last, ...metrics } = row;
  const email = user?.['email_address'];
  const seat: SeatActivity = { userId: id, email: typeof email === 'string' ? email : null, metrics };
  if (last === null || typeof last === 'string') seat.lastActivityDate = last;
  return seat;
}
