import type { IncomingHttpHeaders } from 'node:http';
import type { SimClock } from './clock.js';
import type { KeyStatus, SimConfig } from './config.js';
import type { ComplianceFeed } from './compliance/feed.js';
import type { UsageStore } from './analytics/usage-store.js';
import type { UserActivityStore } from './analytics/user-activity-store.js';
import type { ClaudeCodeStore } from './analytics/claude-code-store.js';
import type { EmitKind } from './emitter.js';
import type { IdFactory } from './ids.js';
import type { Query } from './query.js';
import type { OrgState } from './state/org-state.js';
import type { SimOrg } from './state/types.js';

/** Which credentials an endpoint accepts; see auth.ts for the rules of each. */
export type Realm = 'admin' | 'oauth_admin' | 'compliance' | 'usage' | 'analytics';

export type CredentialKind = 'admin' | 'compliance' | 'oauth' | 'analytics' | 'unknown' | 'none';

export interface AuthInfo {
  scheme: 'x-api-key' | 'bearer' | 'none';
  credential: CredentialKind;
  /**
   * The matched key's id: as `api_actor.api_key_id` names it for a compliance key; as
   * `admin_api_key_actor.admin_api_key_id` names it for an Admin key other than `config.adminKey`.
   */
  keyId?: string;
  /** The matched key's status; absent for credentials that have none (OAuth tokens). */
  status?: KeyStatus;
  /** An unknown value shaped like a Compliance Access Key or Admin API key (`sk-ant-api01-`/`sk-ant-admin01-`). */
  complianceKind?: boolean;
}

/** The pieces of one simulator every route may read or change. */
export interface SimCore {
  config: SimConfig;
  clock: SimClock;
  ids: IdFactory;
  state: OrgState;
  feed: ComplianceFeed;
  usage: UsageStore;
  userActivity: UserActivityStore;
  claudeCode: ClaudeCodeStore;
}

export interface RouteContext {
  sim: SimCore;
  method: string;
  path: string;
  params: Record<string, string>;
  query: Query;
  body: unknown;
  headers: IncomingHttpHeaders;
  auth: AuthInfo;
  now: number;
  /**
   * Set when the credential is one organisation's own key under a parent with several: the
   * Activity Feed answers with that organisation's activities only (see organizations.ts).
   */
  feedScope?: SimOrg;
  /** Records an activity caused by this call in the Activity Feed, if emission is on. */
  emit: (kind: EmitKind, type: string, fields?: Record<string, unknown>) => void;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  /** Friendly name used by faults and the call log, e.g. `apiKeys.update`. */
  op: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path with `{param}` segments, as the SDK's route strings spell it. */
  pattern: string;
  realm: Realm;
  handle(ctx: RouteContext): RouteResult;
}

export function bodyObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
