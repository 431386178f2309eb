import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createComplianceFeedClient } from '../../src/anthropic/compliance/client.js';
import {
  actors,
  apiActorIdOfAdminKey,
  CLAUDE_VIEW_TYPES,
  DOCUMENTED_ACTIVITY_TYPES,
  startAnthropicSim,
  type Activity,
  type AnthropicSim,
} from '../../src/sim/anthropic/index.js';

/**
 * The Activity Feed's documented contract, beyond paging: parameter strictness, authentication,
 * the shared rate-limit budget, compliance settings and the feed's record of its own use.
 */
interface FeedPage {
  data: Activity[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

const NOW = Date.parse('2026-11-20T12:00:00Z');
let sim: AnthropicSim;

beforeEach(async () => {
  sim = await startAnthropicSim({ now: () => NOW, emit: { complianceAccess: false } });
});
afterEach(async () => {
  await sim.close();
});

async function get(qs: string, key: string | null = sim.config.complianceKey) {
  const res = await fetch(`${sim.url}/v1/compliance/activities${qs ? `?${qs}` : ''}`, {
    headers: key === null ? {} : { 'x-api-key': key },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const message = (b: Record<string, unknown>) => (b['error'] as { message: string }).message;

async function page(qs: string): Promise<FeedPage> {
  const r = await get(qs);
  if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as unknown as FeedPage;
}

const alice = actors.user('user_01Alice000000000000000000', 'alice@example.com');
const bob = actors.user('user_01Bob00000000000000000000', 'bob@example.com');

function seed(n: number): Activity[] {
  return Array.from({ length: n }, (_, i) =>
    sim.state.addActivity({
      created_at: new Date(NOW - 10 * 60_000 - (n - 1 - i) * 60_000),
      type: ['claude_chat_created', 'claude_chat_viewed', 'claude_file_uploaded'][i % 3]!,
      actor: i % 2 === 0 ? alice : bob,
    }),
  );
}

describe('query parameters', () => {
  it('refuses unknown parameters, naming the defined one for near misses', async () => {
    const cases: Record<string, string> = {
      'foo=1': "Unknown query parameter: 'foo'.",
      'created_at[gte]=2026-11-01T00:00:00Z':
        "Unknown query parameter: 'created_at[gte]'. Did you mean 'created_at.gte'?",
      'actor_ids=user_01': "Unknown query parameter: 'actor_ids'. Did you mean 'actor_ids[]'?",
      'organization_ids[0]=org_1': "Unknown query parameter: 'organization_ids[0]'. Did you mean 'organization_ids[]'?",
      'page=abc': "Unknown query parameter: 'page'.",
    };
    for (const [qs, text] of Object.entries(cases)) {
      const r = await get(qs);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: text } });
    }
  });

  it('accepts only documented activity types, in activity_types[] and exclude_activity_types[] alike', async () => {
    expect(DOCUMENTED_ACTIVITY_TYPES).toHaveLength(514);
    expect(CLAUDE_VIEW_TYPES).toContain('claude_chat_viewed');
    const acts = seed(9);
    const onlyViews = await page('activity_types[]=claude_chat_viewed');
    expect(onlyViews.data.map((a) => a.id)).toEqual(
      acts
        .filter((a) => a.type === 'claude_chat_viewed')
        .map((a) => a.id)
        .reverse(),
    );
    const noViews = await page(
      'exclude_activity_types[]=claude_chat_viewed&exclude_activity_types[]=claude_file_uploaded',
    );
    expect(new Set(noViews.data.map((a) => a.type))).toEqual(new Set(['claude_chat_created']));
    expect(noViews.data).toHaveLength(3);
    const both = await get('activity_types[]=claude_chat_viewed&exclude_activity_types[]=claude_chat_created');
    expect(both.status).toBe(400);
    expect(message(both.body)).toBe('activity_types[] cannot be combined with exclude_activity_types[].');
    const unknown = await get('exclude_activity_types[]=claude_chat_viewed&exclude_activity_types[]=made_up');
    expect(message(unknown.body)).toBe('exclude_activity_types[].1: Input is not one of the permitted values.');
  });

  it('merges user_ids[] into actor_ids[]', async () => {
    seed(8);
    const viaAlias = await page(`user_ids[]=${alice['user_id'] as string}`);
    expect(viaAlias.data).toHaveLength(4);
    const merged = await page(`actor_ids[]=${bob['user_id'] as string}&user_ids[]=${alice['user_id'] as string}`);
    expect(merged.data).toHaveLength(8);
  });

  it('orders oldest first with order=asc, cursors relative to that order', async () => {
    const acts = seed(25);
    const ids = acts.map((a) => a.id);
    const first = await page('order=asc&limit=10');
    expect(first.data.map((a) => a.id)).toEqual(ids.slice(0, 10));
    const next = await page(`order=asc&limit=10&after_id=${encodeURIComponent(first.last_id!)}`);
    expect(next.data.map((a) => a.id)).toEqual(ids.slice(10, 20));
    const back = await page(`order=asc&limit=5&before_id=${encodeURIComponent(next.first_id!)}`);
    expect(back.data.map((a) => a.id)).toEqual(ids.slice(5, 10));
    expect(back.has_more).toBe(true);
    const last = await page(`order=asc&limit=10&after_id=${encodeURIComponent(next.last_id!)}`);
    expect(last).toMatchObject({ has_more: false });
    expect(last.data.map((a) => a.id)).toEqual(ids.slice(20));
    const bad = await get('order=newest');
    expect(message(bad.body)).toBe("order: Input should be 'asc' or 'desc'");
  });

  it('issues base64 JSON cursors that keep working after their activity drops out of a filter', async () => {
    const acts = seed(6);
    const p = await page('limit=2');
    expect(JSON.parse(Buffer.from(p.last_id!, 'base64').toString('utf8'))).toEqual({
      id: acts[4]!.id,
      created_at: acts[4]!.created_at,
    });
    // The position is in the cursor itself: a filtered walk continues from it.
    const chats = await page(`activity_types[]=claude_chat_created&after_id=${encodeURIComponent(p.last_id!)}`);
    expect(chats.data.map((a) => a.id)).toEqual([acts[3]!.id, acts[0]!.id]);
  });
});

describe('authentication and compliance settings', () => {
  it('answers 404 Not found without a usable key kind, and 401 for a key that does not authenticate', async () => {
    seed(1);
    for (const key of [null, 'sk-ant-api03-a-claude-api-key', sim.config.oauthToken]) {
      const r = await get('', key);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error: { type: 'not_found_error', message: 'Not found' } });
      expect(r.headers.get('anthropic-ratelimit-requests-limit')).toBeNull();
    }
    const invalid = await get('', 'sk-ant-admin01-not-a-key-of-this-org');
    expect(invalid.status).toBe(401);
    expect(message(invalid.body)).toBe('API key is invalid.');
    sim.config.complianceKeyStatus = 'deactivated';
    expect(message((await get('')).body)).toBe('API key has been deactivated.');
    sim.config.adminKeyStatus = 'expired';
    const expired = await get('', sim.config.adminKey);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: { type: 'authentication_error', message: 'API key has expired.' } });
    // None of these spent the budget.
    expect(sim.rateLimit.remaining()).toBe(600);
  });

  it('follows compliance settings: 400 on every call and nothing recorded while the API is off', async () => {
    sim.config.emit.complianceAccess = true;
    sim.config.feed.indexLagMs = 0;
    const admin = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 0 });
    expect(await admin.organization.complianceSettings.retrieve()).toEqual({
      type: 'compliance_settings',
      state: { type: 'enabled' },
    });
    const off = await admin.organization.complianceSettings.update({ state: { type: 'disabled' } });
    expect(off.state).toEqual({ type: 'disabled' });
    expect(sim.config.complianceEnabled).toBe(false);
    const refused = await get('');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: { type: 'invalid_request_error', message: 'Compliance API is not enabled for this organization' },
    });
    // The refusal still came after authentication, so it spent a unit and says so.
    expect(refused.headers.get('anthropic-ratelimit-requests-remaining')).toBe('599');
    await admin.organization.apiKeys.list();
    sim.state.addApiKey();
    // The string shorthand is accepted; the answer is always the object form.
    const on = await admin.organization.complianceSettings.update({
      state: 'enabled' as unknown as { type: 'enabled' },
    });
    expect(on).toEqual({ type: 'compliance_settings', state: { type: 'enabled' } });
    const types = (await page('')).data.map((a) => a.type);
    // The two changes are recorded (the first before recording stopped); the refused read is not.
    expect(types).toEqual(['org_compliance_api_settings_updated', 'org_compliance_api_settings_updated']);
    expect((await page('activity_types[]=compliance_api_accessed')).data).toHaveLength(1);
  });
});

describe('the shared rate-limit budget', () => {
  it('reports the budget on every authenticated answer, shared by keys, endpoints and other readers', async () => {
    seed(2);
    const first = await get('');
    expect(first.headers.get('anthropic-ratelimit-requests-limit')).toBe('600');
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('599');
    expect(first.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const second = sim.addComplianceKey();
    expect((await get('', second.key)).headers.get('anthropic-ratelimit-requests-remaining')).toBe('598');
    const badParam = await get('bogus=1', sim.config.adminKey);
    expect(badParam.status).toBe(400);
    expect(badParam.headers.get('anthropic-ratelimit-requests-remaining')).toBe('597');
    sim.rateLimit.consume(590); // a SIEM on its own key read 590 pages this minute
    expect((await get('')).headers.get('anthropic-ratelimit-requests-remaining')).toBe('6');
    sim.rateLimit.consume(6);
    const limited = await get('');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      error: {
        type: 'rate_limit_error',
        message: expect.stringContaining('600 requests per minute per parent organization') as unknown,
      },
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    sim.rateLimit.reset();
    expect((await get('', second.key)).status).toBe(200);
  });

  it('marks a deterministic 500 with x-should-retry: false, once or persistently', async () => {
    seed(1);
    const fault = sim.faults.add({ op: 'compliance.activities', kind: 'server_error', shouldRetry: false, times: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await get('');
      expect(r.status).toBe(500);
      expect(r.headers.get('x-should-retry')).toBe('false');
      expect(r.body).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    }
    expect((await get('')).status).toBe(200);
    expect(fault.fired).toBe(2);
  });
});

describe('what the feed records of its own use', () => {
  it('records each authenticated call as compliance_api_accessed with url, method, status, body and request id', async () => {
    sim.config.emit.complianceAccess = true;
    const ok = await get('limit=5', sim.config.adminKey);
    const refused = await get('limit=0');
    await get('', 'sk-ant-api03-not-authenticated'); // never recorded
    sim.clock.set(NOW + 61_000);
    const records = (await page('activity_types[]=compliance_api_accessed')).data;
    expect(records).toHaveLength(2);
    const [second, first] = records;
    expect(first).toMatchObject({
      type: 'compliance_api_accessed',
      organization_id: null,
      organization_uuid: null,
      request_method: 'GET',
      status_code: 200,
      request_body: '',
      request_id: ok.headers.get('request-id'),
      url: expect.stringMatching(/\/v1\/compliance\/activities\?limit=5$/) as unknown,
      actor: { type: 'api_actor', api_key_id: apiActorIdOfAdminKey(sim.config.adminKeyId) },
    });
    expect(second).toMatchObject({
      status_code: 400,
      request_id: refused.headers.get('request-id'),
      actor: { type: 'api_actor', api_key_id: sim.config.complianceKeyId },
    });
    // One Admin key, two spellings of the same suffix.
    expect(apiActorIdOfAdminKey(sim.config.adminKeyId).slice('apikey_'.length)).toBe(
      sim.config.adminKeyId.slice('admin_api_key_'.length),
    );
  });

  it('passes service-account and federated-identity actors through', async () => {
    const wif = actors.federatedIdentity(
      'https://token.actions.githubusercontent.com',
      'repo:acme/app:ref:refs/heads/main',
    );
    sim.state.addActivity({ type: 'platform_federated_authentication', actor: wif, created_at: NOW - 600_000 });
    sim.state.addActivity({
      type: 'platform_api_key_updated',
      actor: actors.serviceAccount('svac_01Deploy'),
      created_at: NOW - 500_000,
      api_key_id: 'apikey_01X',
      updates: [{ type: 'workspace', previous_value: 'wrkspc_01A', current_value: 'wrkspc_01B' }],
    });
    const [updated, federated] = (await page('')).data;
    expect(federated?.actor).toEqual({
      type: 'federated_identity_actor',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:acme/app:ref:refs/heads/main',
      audience: ['https://api.anthropic.com'],
      ip_address: '198.51.100.10',
      user_agent: 'github-actions',
    });
    expect(updated).toMatchObject({
      actor: { type: 'service_account_actor', service_account_id: 'svac_01Deploy' },
      updates: [{ type: 'workspace', previous_value: 'wrkspc_01A', current_value: 'wrkspc_01B' }],
    });
  });
});

describe('latency', () => {
  it('holds a route’s answers by its configured latency, settable at run time, without changing them', async () => {
    seed(3);
    sim.latency.set('compliance.activities', { fixedMs: 400, jitterMs: 100 });
    const order: string[] = [];
    const slow = get('limit=3').then((r) => {
      order.push('feed');
      return r;
    });
    const fast = fetch(`${sim.url}/v1/organizations/me`, {
      headers: { 'x-api-key': sim.config.adminKey, 'anthropic-version': '2023-06-01' },
    }).then((r) => {
      order.push('admin');
      return r;
    });
    const [feed, admin] = await Promise.all([slow, fast]);
    expect(order).toEqual(['admin', 'feed']);
    expect(admin.status).toBe(200);
    expect((feed.body as unknown as FeedPage).data).toHaveLength(3);
    sim.latency.clear();
    expect(sim.latency.delayFor('compliance.activities')).toBe(0);
  });

  it('ends a response still held by latency when the simulator closes', async () => {
    sim.latency.set('*', { fixedMs: 60_000 });
    const pending = get('').then(
      () => 'answered',
      () => 'closed',
    );
    await expect.poll(() => sim.calls.byOp('compliance.activities').length).toBe(1);
    await sim.close();
    expect(await pending).toBe('closed');
    sim = await startAnthropicSim({ now: () => NOW });
  });
});

describe("Steward's feed client against the strict feed", () => {
  it('walks the opaque cursors it is given, sends only documented parameters, and reads the budget', async () => {
    const acts = seed(23);
    sim.rateLimit.consume(100);
    const client = createComplianceFeedClient({ apiKey: sim.config.complianceKey, baseUrl: sim.url, maxRetries: 0 });
    const seen: string[] = [];
    let afterId: string | undefined;
    let remaining: number[] = [];
    for (;;) {
      const p = await client.page({
        limit: 10,
        createdAt: { gte: new Date(NOW - 86_400_000), lt: new Date(NOW) },
        activityTypes: ['claude_chat_created', 'claude_chat_viewed', 'claude_file_uploaded'],
        ...(afterId ? { afterId } : {}),
      });
      seen.push(...p.data.map((a) => a.id));
      remaining = [...remaining, p.rateLimit!.remaining];
      if (!p.hasMore) break;
      afterId = p.lastId!;
    }
    expect(seen).toEqual(acts.map((a) => a.id).reverse());
    expect(remaining).toEqual([499, 498, 497]);
    const budget = (await client.page({ limit: 1 })).rateLimit;
    expect(budget).toMatchObject({ limit: 600, remaining: 496 });
    expect(budget?.resetAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
