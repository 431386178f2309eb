import type { ApiKeyShape, OrgType } from './state/types.js';
import { DAY_MS, HOUR_MS } from './clock.js';
import type { LatencyInput } from './latency.js';

/**
 * `deactivated` and `expired` keys answer 401 "API key has been deactivated." / "API key has
 * expired." (https://platform.claude.com/docs/en/manage-claude/compliance-errors#401-unauthorized).
 */
export type KeyStatus = 'active' | 'deactivated' | 'expired';

/** Another Compliance Access Key of the same organisation (it shares the feed's rate-limit budget). */
export interface ExtraComplianceKey {
  key: string;
  id: string;
  status: KeyStatus;
}

/**
 * Another Admin API key of the same organisation (an administrator's script, a second integration).
 * Its Admin API calls are recorded as `admin_api_key_actor` with its own `admin_api_key_id`
 * (https://platform.claude.com/docs/en/manage-claude/compliance-activity-feed#understand-the-activity-object),
 * so the feed tells its changes apart from those made with `adminKey`.
 */
export interface ExtraAdminKey {
  key: string;
  /** `admin_api_key_…`, as `admin_api_key_actor` names it. */
  id: string;
}

/**
 * Everything that makes one simulated organisation behave differently from another.
 * It stays mutable on `sim.config` so a test can, say, downgrade the org mid-run.
 */
export interface SimConfig {
  /** Admin API key (`sk-ant-admin01-…`); the SDK sends it as `Authorization: Bearer`, curl as `x-api-key`. */
  adminKey: string;
  /** Compliance Access Key (`sk-ant-api01-…`); reaches the Activity Feed only. */
  complianceKey: string;
  /** An OAuth access token with `org:admin` scope; the only credential the service-account endpoints accept. */
  oauthToken: string;
  /** A claude.ai Analytics API key (`read:analytics`), if the org has one. */
  analyticsKey: string | undefined;
  /**
   * The admin key's id as `admin_api_key_actor` names it (`admin_api_key_…`); as an `api_actor`
   * (its Activity Feed reads) the same key is `apikey_` + the same suffix (see `apiActorIdOfAdminKey`).
   */
  adminKeyId: string;
  adminKeyStatus: KeyStatus;
  /** The Compliance Access Key's id (`apikey_…`), as `api_actor.api_key_id` names it. */
  complianceKeyId: string;
  complianceKeyStatus: KeyStatus;
  /** More Compliance Access Keys of the organisation (`sim.addComplianceKey`). */
  extraComplianceKeys: ExtraComplianceKey[];
  /** More Admin API keys of the organisation (`sim.addAdminKey`). */
  extraAdminKeys: ExtraAdminKey[];
  oauthUserId: string | null;
  /** When set, the OAuth token is a WIF service account's: its calls are `service_account_actor`. */
  oauthServiceAccountId: string | null;
  /**
   * `GET /v1/organizations/compliance_settings` state. While false every `/v1/compliance/*` call is
   * 400 "Compliance API is not enabled for this organization" and no activity is recorded.
   */
  complianceEnabled: boolean;
  orgType: OrgType;
  apiKeyShape: ApiKeyShape;
  /** The SDK docs say admin keys are refused on /service_accounts; flip to model a laxer deployment. */
  serviceAccountsAcceptAdminKey: boolean;
  /** Admin keys created before the Compliance API was enabled lack `read:compliance_activities`. */
  adminKeyHasComplianceScope: boolean;
  adminKeyHasAnalyticsScope: boolean;
  /** Admin endpoints answer 400 without `anthropic-version` (the Activity Feed does not require it). */
  requireVersionHeader: boolean;
  feed: FeedConfig;
  usage: UsageConfig;
  analyticsUsers: AnalyticsUsersConfig;
  claudeCode: ClaudeCodeConfig;
  limits: LimitsConfig;
  sideEffects: SideEffectsConfig;
  emit: EmitConfig;
  /** Per-request latency by op glob (`compliance.activities`, `*`); also `sim.latency` at run time. */
  latency: LatencyInput;
}

export interface FeedConfig {
  /** An activity becomes queryable this long after `created_at` (docs: "within 1 minute"). */
  indexLagMs: number;
  /** At-least-once delivery: re-send `count` already-delivered activities on cursor pages. */
  redeliver: { count: number; everyNthPage: number } | null;
  /** Documented budget: 600 requests/minute per parent org; `null` disables the limiter. */
  rateLimitPerMinute: number | null;
  /** The budget's window (documented: one minute). Tests may shorten it; wall time, not the sim clock. */
  rateLimitWindowMs: number;
  /** Activity types accepted by the type filters besides the documented ones. */
  extraActivityTypes: string[];
  /**
   * `organization_ids[]` also returns activities whose organization is null (sign-ins, Compliance API
   * calls). The docs are silent; issue 13 reports the live API does this.
   */
  organizationFilterKeepsNullOrg: boolean;
}

export interface UsageConfig {
  /** Usage becomes visible this long after it happened ("data lags about a day"). */
  lagMs: number;
  /** `starting_at` floor from the SDK docs. */
  earliest: string;
}

export interface AnalyticsUsersConfig {
  /** The latest queryable day is today minus this many days. */
  lagDays: number;
  earliest: string;
  /** `last_activity_date` is "omitted … while last-activity reporting is not enabled for this organization". */
  lastActivityReporting: boolean;
}

export interface ClaudeCodeConfig {
  /** "only data older than 1 hour is included in responses" (claude-code-analytics-api). */
  lagMs: number;
}

export interface LimitsConfig {
  /** Active API keys allowed; reactivating past it is 400 `org_api_key_limit_exceeded`. Not published: null = none. */
  orgActiveApiKeys: number | null;
  /** Per workspace; past it 400 `workspace_api_key_limit_exceeded`. Not published: null = none. */
  workspaceActiveApiKeys: number | null;
}

export interface SideEffectsConfig {
  /**
   * Removing a user turns off (status `inactive`) the keys whose principal is that user. The SDK's
   * `APIKeyRequesterUnconfirmedError` text says removal signs the user out and turns off "some of their
   * API keys"; which ones is not documented.
   */
  userRemovalTurnsOffKeys: boolean;
}

export interface EmitConfig {
  /** Each Activity Feed call records a `compliance_api_accessed` activity, as the real feed does. */
  complianceAccess: boolean;
  /** Admin API mutations record `platform_api_key_updated`, `org_user_deleted`, … */
  adminMutations: boolean;
  /** Admin API reads record `org_users_listed`, `org_invites_listed`, … (noisy; off by default). */
  adminReads: boolean;
}

type Nested = 'feed' | 'usage' | 'analyticsUsers' | 'claudeCode' | 'limits' | 'sideEffects' | 'emit';

export type SimConfigInput = Partial<Omit<SimConfig, Nested>> & {
  feed?: Partial<FeedConfig>;
  usage?: Partial<UsageConfig>;
  analyticsUsers?: Partial<AnalyticsUsersConfig>;
  claudeCode?: Partial<ClaudeCodeConfig>;
  limits?: Partial<LimitsConfig>;
  sideEffects?: Partial<SideEffectsConfig>;
  emit?: Partial<EmitConfig>;
};

/** The same Admin key as an `api_actor` (Activity Feed reads): `apikey_` + the suffix of `admin_api_key_…`. */
export function apiActorIdOfAdminKey(adminKeyId: string): string {
  return adminKeyId.startsWith('admin_api_key_') ? `apikey_${adminKeyId.slice('admin_api_key_'.length)}` : adminKeyId;
}

export function resolveConfig(input: SimConfigInput, tagged: (prefix: string) => string): SimConfig {
  return {
    adminKey: input.adminKey ?? 'sk-ant-admin01-simulated-admin-key-AAAA',
    complianceKey: input.complianceKey ?? 'sk-ant-api01-simulated-compliance-key-AAAA',
    oauthToken: input.oauthToken ?? 'sk-ant-oat01-simulated-oauth-token-AAAA',
    analyticsKey: input.analyticsKey,
    adminKeyId: input.adminKeyId ?? tagged('admin_api_key'),
    adminKeyStatus: input.adminKeyStatus ?? 'active',
    complianceKeyId: input.complianceKeyId ?? tagged('apikey'),
    complianceKeyStatus: input.complianceKeyStatus ?? 'active',
    extraComplianceKeys: input.extraComplianceKeys ?? [],
    extraAdminKeys: input.extraAdminKeys ?? [],
    oauthUserId: input.oauthUserId ?? null,
    oauthServiceAccountId: input.oauthServiceAccountId ?? null,
    complianceEnabled: input.complianceEnabled ?? true,
    orgType: input.orgType ?? 'api',
    apiKeyShape: input.apiKeyShape ?? 'current',
    serviceAccountsAcceptAdminKey: input.serviceAccountsAcceptAdminKey ?? false,
    adminKeyHasComplianceScope: input.adminKeyHasComplianceScope ?? true,
    adminKeyHasAnalyticsScope: input.adminKeyHasAnalyticsScope ?? true,
    requireVersionHeader: input.requireVersionHeader ?? true,
    feed: {
      indexLagMs: input.feed?.indexLagMs ?? 60_000,
      redeliver: input.feed?.redeliver ?? null,
      rateLimitPerMinute: input.feed?.rateLimitPerMinute === undefined ? 600 : input.feed.rateLimitPerMinute,
      rateLimitWindowMs: input.feed?.rateLimitWindowMs ?? 60_000,
      extraActivityTypes: input.feed?.extraActivityTypes ?? [],
      organizationFilterKeepsNullOrg: input.feed?.organizationFilterKeepsNullOrg ?? true,
    },
    usage: {
      lagMs: input.usage?.lagMs ?? DAY_MS,
      earliest: input.usage?.earliest ?? '2026-01-01T00:00:00Z',
    },
    analyticsUsers: {
      lagDays: input.analyticsUsers?.lagDays ?? 1,
      earliest: input.analyticsUsers?.earliest ?? '2026-01-01',
      lastActivityReporting: input.analyticsUsers?.lastActivityReporting ?? true,
    },
    claudeCode: { lagMs: input.claudeCode?.lagMs ?? HOUR_MS },
    limits: {
      orgActiveApiKeys: input.limits?.orgActiveApiKeys ?? null,
      workspaceActiveApiKeys: input.limits?.workspaceActiveApiKeys ?? null,
    },
    sideEffects: { userRemovalTurnsOffKeys: input.sideEffects?.userRemovalTurnsOffKeys ?? true },
    emit: {
      complianceAccess: input.emit?.complianceAccess ?? true,
      adminMutations: input.emit?.adminMutations ?? true,
      adminReads: input.emit?.adminReads ?? false,
    },
    latency: input.latency ?? {},
  };
}
