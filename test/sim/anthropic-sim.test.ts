import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  InternalServerError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedOrganization, startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';

let sim: AnthropicSim;

beforeEach(async () => {
  sim = await startAnthropicSim();
  for (let i = 0; i < 30; i++) sim.state.addApiKey({ createdAt: Date.parse('2026-05-01T00:00:00Z') + i * 1000 });
});
afterEach(async () => {
  await sim.close();
});

function sdk(opts: { maxRetries?: number; timeout?: number } = {}): Anthropic {
  return new Anthropic({
    apiKey: sim.config.adminKey,
    baseURL: sim.url,
    maxRetries: opts.maxRetries ?? 2,
    ...(opts.timeout ? { timeout: opts.timeout } : {}),
  });
}

describe('the simulator', () => {
  it('is a real HTTP server on 127.0.0.1 that the unmodified SDK talks to', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await sdk().organization.apiKeys.list({ limit: 5 });
    expect(page.data).toHaveLength(5);
    expect(page.has_more).toBe(true);
  });

  it('close() resolves while a request hangs, and ends it', async () => {
    const other = await startAnthropicSim();
    other.faults.add({ op: '*', kind: 'hang' });
    const pending = fetch(`${other.url}/v1/organizations/me`).then(
      () => 'answered',
      () => 'ended',
    );
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    await expect(pending).resolves.toBe('ended');
  });
});

describe('seedOrganization', () => {
  it('builds the same plausible org for a seed, with departed owners and dormant keys', async () => {
    const now = Date.parse('2026-11-20T12:00:00Z');
    const a = await startAnthropicSim({ now: () => now, seed: 3 });
    const b = await startAnthropicSim({ now: () => now, seed: 3 });
    try {
      const org = seedOrganization(a.state, now, { users: 12, apiKeys: 40 });
      seedOrganization(b.state, now, { users: 12, apiKeys: 40 });
      const client = new Anthropic({ apiKey: a.config.adminKey, baseURL: a.url, maxRetries: 0 });
      const keys: { id: string; created_by: { id: string } | null }[] = [];
      for await (const k of client.organization.apiKeys.list({ limit: 100 })) keys.push(k);
      expect(keys).toHaveLength(40);
      expect(JSON.stringify([...a.state.apiKeys.values()])).toBe(JSON.stringify([...b.state.apiKeys.values()]));
      expect(org.departed).toHaveLength(2);
      const departedIds = new Set(org.departed.map((u) => u.id));
      const users: unknown[] = [];
      for await (const u of client.organization.users.list()) users.push(u);
      expect(users).toHaveLength(10);
      expect(keys.some((k) => k.created_by === null)).toBe(true);
      expect(keys.some((k) => k.created_by && departedIds.has(k.created_by.id)) || org.departed.length === 0).toBe(
        true,
      );
      const usage = await client.beta.organization.analytics.usage.list({
        starting_at: '2026-10-21T00:00:00Z',
        ending_at: '2026-11-20T00:00:00Z',
        group_by: ['api_key_id'],
        limit: 1000,
      });
      const used = new Set(usage.data.map((r) => r.group.api_key_id));
      for (const k of org.dormantKeys) expect(used.has(k.id)).toBe(false);
      expect(used.size).toBeGreaterThan(10);
      // One dormant key is used through Claude Code only, reported by its name.
      expect(org.claudeCodeOnlyKeys).toHaveLength(1);
      const cc = await fetch(`${a.url}/v1/organizations/usage_report/claude_code?starting_at=2026-11-19&limit=1000`, {
        headers: { 'x-api-key': a.config.adminKey, 'anthropic-version': '2023-06-01' },
      });
      const ccRows = ((await cc.json()) as { data: { actor: Record<string, string> }[] }).data;
      expect(ccRows.map((r) => r.actor['api_key_name']).filter(Boolean)).toEqual([org.claudeCodeOnlyKeys[0]!.name]);
      expect(ccRows.some((r) => r.actor['type'] === 'user_actor')).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('faults', () => {
  it('rate_limit: the SDK waits retry-after and succeeds', async () => {
    const fault = sim.faults.add({ op: 'apiKeys.list', kind: 'rate_limit', retryAfter: 1 });
    const started = Date.now();
    const page = await sdk().organization.apiKeys.list({ limit: 3 });
    expect(page.data).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fault.fired).toBe(1);
    expect(
      sim.calls.byOp('apiKeys.list').map((c) => [c.status, c.fault, c.headers['x-stainless-retry-count']]),
    ).toEqual([
      [429, 'rate_limit', '0'],
      [200, undefined, '1'],
    ]);
  });

  it('rate_limit: carries retry-after and the rate-limit headers on the wire', async () => {
    sim.faults.add({ op: 'GET /v1/organizations/api_keys', kind: 'rate_limit', retryAfter: 7 });
    const res = await fetch(`${sim.url}/v1/organizations/api_keys`, {
      headers: { 'x-api-key': sim.config.adminKey, 'anthropic-version': '2023-06-01' },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
      request_id: res.headers.get('request-id'),
    });
  });

  it('x-should-retry: false stops the SDK from retrying a 500', async () => {
    sim.faults.add({ op: 'apiKeys.retrieve', kind: 'server_error', shouldRetry: false, times: Infinity });
    const id = [...sim.state.apiKeys.keys()][0]!;
    const err = await sdk({ maxRetries: 3 })
      .organization.apiKeys.retrieve(id)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(sim.calls.byOp('apiKeys.retrieve')).toHaveLength(1);
  });

  it('server_error and overloaded are retried by the SDK', async () => {
    sim.faults.add({ op: 'apiKeys.list', kind: 'server_error', retryAfterMs: 5 });
    sim.faults.add({ op: 'apiKeys.list', kind: 'overloaded', retryAfterMs: 5, after: 1 });
    const page = await sdk().organization.apiKeys.list();
    expect(page.data).toHaveLength(20);
    expect(sim.calls.byOp('apiKeys.list').map((c) => c.status)).toEqual([500, 529, 200]);
  });

  it('overloaded answers 529 with overloaded_error', async () => {
    sim.faults.add({ op: 'organization.retrieve', kind: 'overloaded', times: Infinity });
    const err = await sdk({ maxRetries: 0 })
      .organization.retrieve()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 529, type: 'overloaded_error' });
  });

  it('after: K lets K pages through, so the fault lands mid-pagination', async () => {
    sim.faults.add({ op: 'apiKeys.list', kind: 'rate_limit', after: 2, times: 1, retryAfterMs: 5 });
    const keys: unknown[] = [];
    for await (const k of sdk().organization.apiKeys.list({ limit: 7 })) keys.push(k);
    expect(keys).toHaveLength(30);
    const calls = sim.calls.byOp('apiKeys.list');
    expect(calls.map((c) => c.status)).toEqual([200, 200, 429, 200, 200, 200]);
    expect(calls[2]?.query['after_id']).toBe(calls[3]?.query['after_id']);
  });

  it('rate_limit without retries left surfaces RateLimitError', async () => {
    sim.faults.add({ op: 'apiKeys.*', kind: 'rate_limit', times: Infinity, retryAfterMs: 1 });
    await expect(sdk({ maxRetries: 1 }).organization.apiKeys.list()).rejects.toBeInstanceOf(RateLimitError);
    expect(sim.calls.length).toBe(2);
  });

  it('hang: the SDK timeout fires as APIConnectionTimeoutError', async () => {
    sim.faults.add({ op: 'apiKeys.list', kind: 'hang', times: Infinity });
    const err = await sdk({ maxRetries: 0, timeout: 300 })
      .organization.apiKeys.list()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(sim.calls.last()?.status).toBeNull();
  });

  it('malformed invalid_json: the SDK call fails', async () => {
    sim.faults.add({ op: 'apiKeys.list', kind: 'malformed', malformed: 'invalid_json' });
    await expect(sdk().organization.apiKeys.list()).rejects.toThrow(/JSON|Unexpected|Unterminated/);
  });

  it('malformed wrong_shape: valid JSON, wrong fields', async () => {
    sim.faults.add({ op: 'compliance.activities', kind: 'malformed', malformed: 'wrong_shape' });
    const res = await fetch(`${sim.url}/v1/compliance/activities`, {
      headers: { 'x-api-key': sim.config.complianceKey },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Array.isArray(body['data'])).toBe(false);
  });

  it('drop: the socket is destroyed; the SDK sees a connection error, and retries through it', async () => {
    sim.faults.add({ op: 'apiKeys.list', kind: 'drop' });
    await expect(sdk({ maxRetries: 0 }).organization.apiKeys.list()).rejects.toBeInstanceOf(APIConnectionError);
    sim.faults.add({ op: 'apiKeys.list', kind: 'drop' });
    await expect(sdk({ maxRetries: 2 }).organization.apiKeys.list()).resolves.toBeDefined();
  });

  it('faults can be removed and cleared', async () => {
    const f = sim.faults.add({ op: '*', kind: 'server_error', times: Infinity, shouldRetry: false });
    await expect(sdk().organization.retrieve()).rejects.toBeInstanceOf(InternalServerError);
    f.remove();
    await expect(sdk().organization.retrieve()).resolves.toMatchObject({ type: 'organization' });
    sim.faults.add({ op: (r) => r.path.endsWith('/me'), kind: 'server_error', shouldRetry: false });
    sim.faults.clear();
    await expect(sdk().organization.retrieve()).resolves.toMatchObject({ type: 'organization' });
  });
});
