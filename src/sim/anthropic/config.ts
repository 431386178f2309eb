import type { ApiKeyShape, OrgType } from './state/types.js';
import { DAY_MS } from './clock.js';

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
  /** Tagged ids the emitted activities attribute calls to. */
  adminKeyId: string;
  complianceKeyId: string;
  oauthUserId: string | null;
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
  emit: EmitConfig;
}

export interface FeedConfig {
  /** An activity becomes queryable this long after `created_at` (docs: "within 1 minute"). */
  indexLagMs: number;
  /** At-least-once delivery: re-send `count` already-delivered activities on cursor pages. */
  redeliver: { count: number; everyNthPage: number } | null;
  /** Documented budget: 600 requests/minute per parent org; `null` disables the limiter. */
  rateLimitPerMinute: number | null;
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
}

export interface EmitConfig {
  /** Each Activity Feed call records a `compliance_api_accessed` activity, as the real feed does. */
  complianceAccess: boolean;
  /** Admin API mutations record `platform_api_key_updated`, `org_user_deleted`, … */
  adminMutations: boolean;
  /** Admin API reads record `org_users_listed`, `org_invites_listed`, … (noisy; off by default). */
  adminReads: boolean;
}

export type SimConfigInput = Partial<Omit<SimConfig, 'feed' | 'usage' | 'analyticsUsers' | 'emit'>> & {
  feed?: Partial<FeedConfig>;
  usage?: Partial<UsageConfig>;
  analyticsUsers?: Partial<AnalyticsUsersConfig>;
  emit?: Partial<EmitConfig>;
};

export function resolveConfig(input: SimConfigInput, tagged: (prefix: string) => string): SimConfig {
  return {
    adminKey: input.adminKey ?? 'sk-ant-admin01-simulated-admin-key-AAAA',
    complianceKey: input.complianceKey ?? 'sk-ant-api01-simulated-compliance-key-AAAA',
    oauthToken: input.oauthToken ?? 'sk-ant-oat01-simulated-oauth-token-AAAA',
    analyticsKey: input.analyticsKey,
    adminKeyId: input.adminKeyId ?? tagged('apikey'),
    complianceKeyId: input.complianceKeyId ?? tagged('apikey'),
    oauthUserId: input.oauthUserId ?? null,
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
    },
    usage: {
      lagMs: input.usage?.lagMs ?? DAY_MS,
      earliest: input.usage?.earliest ?? '2026-01-01T00:00:00Z',
    },
    analyticsUsers: {
      lagDays: input.analyticsUsers?.lagDays ?? 1,
      earliest: input.analyticsUsers?.earliest ?? '2026-01-01',
    },
    emit: {
      complianceAccess: input.emit?.complianceAccess ?? true,
      adminMutations: input.emit?.adminMutations ?? true,
      adminReads: input.emit?.adminReads ?? false,
    },
  };
}
