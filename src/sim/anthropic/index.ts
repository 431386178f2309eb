/**
 * A simulated api.anthropic.com for tests, benchmarks and the sandbox: a real HTTP
 * server that speaks the Admin API (as SDK 1.16 calls it), compliance settings, the beta
 * usage report, the Claude Code usage report, seat analytics and the Compliance API
 * Activity Feed, with their error envelopes, paging contracts, limits and timing rules.
 * Each behaviour cites its documentation; /work/notes/anthropic-docs.md summarises them.
 *
 *   const sim = await startAnthropicSim({ now: () => Date.parse('2026-11-20T12:00:00Z') });
 *   const key = sim.state.addApiKey({ name: 'ci' });
 *   sim.state.addSyntheticActivities({ count: 1_000_000, start, end });
 *   sim.faults.add({ op: 'apiKeys.update', kind: 'rate_limit', retryAfter: 1 });
 *   sim.faults.add({ op: 'users.remove', kind: 'api_key_requester_unconfirmed' });          // once
 *   sim.faults.add({ op: 'apiKeys.update', kind: 'concurrent_membership_change', times: Infinity });
 *   sim.rateLimit.consume(550);                 // another reader spent most of this minute
 *   sim.latency.set('compliance.activities', { fixedMs: 100, jitterMs: 50 });
 *   const client = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url });
 *   …
 *   await sim.close();
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './calls.js';
import { SimClock, type NowSource } from './clock.js';
import { actors, type Actor } from './compliance/actors.js';
import { ComplianceFeed } from './compliance/feed.js';
import { RateLimiter } from './compliance/rate-limiter.js';
import { resolveConfig, type KeyStatus, type SimConfig, type SimConfigInput } from './config.js';
import { Faults } from './faults.js';
import { IdempotencyStore } from './idempotency.js';
import { IdFactory } from './ids.js';
import { Latency } from './latency.js';
import { MessagesSim } from './messages/index.js';
import { createRequestHandler } from './server.js';
import { buildOrgCore, type OrgCore, type SimState } from './org-core.js';
import { SimOrganizations, type OrganizationInput, type SimOrganization } from './organizations.js';

export interface AnthropicSimOptions extends SimConfigInput {
  /** Seeds every generated id, so fixtures are identical across runs. */
  seed?: number;
  /** The data clock (feed visibility, usage lag, expiry). Also settable later via `sim.clock`. */
  now?: NowSource;
  orgName?: string;
  port?: number;
  host?: string;
}

export type { SimState } from './org-core.js';
export type { OrganizationInput, SimOrganization } from './organizations.js';

export interface AnthropicSim {
  /** Base URL for `new Anthropic({ baseURL })` and `ANTHROPIC_BASE_URL`. */
  url: string;
  config: SimConfig;
  clock: SimClock;
  state: SimState;
  calls: CallLog;
  faults: Faults;
  /** Per-request latency by op (issue 21); also settable at start with the `latency` option. */
  latency: Latency;
  /**
   * The Compliance API's shared budget: what is left, spending it as another reader would, and
   * `take()`: one request's unit with the `anthropic-ratelimit-requests-*` headers it answers
   * with (throws the documented 429 when spent; `{}` when the limiter is off).
   */
  rateLimit: { remaining(): number | null; consume(n: number): void; take(): Record<string, string>; reset(): void };
  /** `POST /v1/messages` (the Messages API, for Claude assist): scripted answers, tool use, faults, the requests it saw. */
  messages: MessagesSim;
  /**
   * Another organisation under the same parent (issue 17): its own directory, stores and Admin
   * API key (a key reaches only its own organisation), its activities in the parent's one feed
   * carrying its `organization_id`/`organization_uuid`. Without any, the simulator is the
   * single organisation it always was.
   */
  addOrganization(opts?: OrganizationInput): SimOrganization;
  /** Every organisation under the parent, the first (`sim.state`, `sim.config`) first. */
  organizations(): SimOrganization[];
  /** Resets the Activity Feed rate-limit window. */
  resetRateLimit(): void;
  /** Another Compliance Access Key of the organisation (shares the budget); returns its value and id. */
  addComplianceKey(opts?: { key?: string; id?: string; status?: KeyStatus }): { key: string; id: string };
  /** Another Admin API key of the organisation: its changes are recorded under its own `admin_api_key_id`. */
  addAdminKey(opts?: { key?: string; id?: string }): { key: string; id: string };
  /** Stops the server; hung requests are ended, open connections closed. */
  close(): Promise<void>;
}

export async function startAnthropicSim(opts: AnthropicSimOptions = {}): Promise<AnthropicSim> {
  const ids = new IdFactory(opts.seed ?? 1);
  const clock = new SimClock(opts.now);
  const config = resolveConfig(opts, (p) => ids.tagged(p));
  const org = {
    id: ids.tagged('org'),
    uuid: ids.uuid(),
    name: opts.orgName ?? 'Simulated Organization',
    type: config.orgType,
  };
  // The parent's one Activity Feed: every organisation's activities, each naming its organisation.
  let primary: OrgCore | undefined;
  let fallbackActors: Actor[] = [];
  const feed = new ComplianceFeed(
    () => config.feed,
    () => clock.now(),
    () => {
      const users = primary!.state.activeUsers();
      const list: Actor[] = users.length ? users.map((u) => actors.user(u.id, u.email)) : fallbackActors;
      return { actors: list, organizationId: org.id, organizationUuid: org.uuid };
    },
  );
  const core = buildOrgCore({ org, config, clock, ids, feed });
  primary = core;
  // After the org's default workspace took its id, as the ids have always been handed out.
  fallbackActors = Array.from({ length: 25 }, (_, i) => actors.user(ids.tagged('user'), `person${i + 1}@example.com`));
  const state = core.state;
  const orgs = new SimOrganizations(core, (p) => ids.tagged(p));
  const calls = new CallLog();
  const faults = new Faults();
  const limiter = new RateLimiter(
    () => config.feed.rateLimitPerMinute,
    () => config.feed.rateLimitWindowMs,
  );
  const latency = new Latency(config.latency, opts.seed ?? 1);
  const hung = new Set<ServerResponse>();
  const handler = createRequestHandler({
    core,
    orgs: () => orgs.cores(),
    faults,
    calls,
    idempotency: new IdempotencyStore(),
    limiter,
    latency,
    hung,
  });
  const messages = new MessagesSim({ seed: opts.seed ?? 1, requestId: () => ids.requestId() });
  const server = createServer((req, res) =>
    messages.handles(req) ? messages.handleRequest(req, res) : handler(req, res),
  );
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}`,
    config,
    clock,
    state,
    calls,
    faults,
    latency,
    rateLimit: {
      remaining: () => limiter.remaining(),
      consume: (n: number) => limiter.consume(n),
      take: () => limiter.take(),
      reset: () => limiter.reset(),
    },
    messages,
    addOrganization: (o = {}) => orgs.add(o),
    organizations: () => orgs.list(),
    resetRateLimit: () => limiter.reset(),
    addComplianceKey: (o = {}) => {
      const added = {
        key: o.key ?? `sk-ant-api01-simulated-${ids.tagged('key').slice(4)}`,
        id: o.id ?? ids.tagged('apikey'),
        status: o.status ?? ('active' as const),
      };
      config.extraComplianceKeys.push(added);
      return { key: added.key, id: added.id };
    },
    addAdminKey: (o = {}) => {
      const added = {
        key: o.key ?? `sk-ant-admin01-simulated-${ids.tagged('key').slice(4)}`,
        id: o.id ?? ids.tagged('admin_api_key'),
      };
      config.extraAdminKeys.push(added);
      return { ...added };
    },
    close: () =>
      new Promise<void>((resolve) => {
        messages.close();
        for (const res of hung) res.socket?.destroy();
        hung.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export { actors } from './compliance/actors.js';
export { seedOrganization, type SeedOptions, type SeededOrg } from './seed.js';
export type { Actor } from './compliance/actors.js';
export type { Activity } from './compliance/entry.js';
export type { ActivityInput, AddOptions } from './compliance/feed.js';
export type { SyntheticFeedSpec } from './compliance/synthetic.js';
export { DOCUMENTED_ACTIVITY_TYPES, CLAUDE_VIEW_TYPES } from './compliance/activity-types.js';
export { apiActorIdOfAdminKey } from './config.js';
export { ADMIN_ERRORS, type AdminErrorCode } from './admin-errors.js';
export type { ClaudeCodeInput } from './analytics/claude-code-store.js';
export type { LatencySpec, LatencyInput } from './latency.js';
export type { KeyStatus, SimConfig, SimConfigInput } from './config.js';
export type { Fault, FaultKind, FaultSpec } from './faults.js';
export type { RecordedCall } from './calls.js';
export type { MessagesCall, MessagesFaultSpec, MessagesRequest, Responder, ScriptedReply } from './messages/index.js';
export { lastUserText, SIM_MESSAGES_API_KEY, toolResults } from './messages/index.js';
export type { UsageInput } from './analytics/usage-store.js';
export type { UserActivityInput, MetricsPatch } from './analytics/user-activity-store.js';
export type {
  ApiKeyInput,
  InviteInput,
  ServiceAccountInput,
  UserInput,
  WorkspaceInput,
  WorkspaceMemberInput,
} from './state/org-state.js';
export type * from './state/types.js';
