import Anthropic, { BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';

const NOW = Date.parse('2026-11-20T10:00:00Z');
let sim: AnthropicSim;
let client: Anthropic;

beforeEach(async () => {
  sim = await startAnthropicSim({ now: () => NOW });
  client = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 0 });
});
afterEach(async () => {
  await sim.close();
});

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const day = (d: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10);

describe('usage per API key (beta analytics.usage)', () => {
  it('reports daily requests grouped by api_key_id, hiding the last day of lag', async () => {
    const a = sim.state.addApiKey({ name: 'a' });
    const b = sim.state.addApiKey({ name: 'b' });
    for (let d = 0; d < 20; d++)
      sim.state.addKeyUsage({
        apiKeyId: a.id,
        date: day(d),
        requests: 10 + d,
        uncachedInputTokens: 100,
        outputTokens: 50,
      });
    sim.state.addKeyUsage({ apiKeyId: b.id, date: day(5), requests: 3, outputTokens: 1 });
    sim.state.addKeyUsage({ apiKeyId: b.id, at: '2026-11-20T02:00:00Z', requests: 99 }); // too fresh: lags a day

    const rows = await all(
      client.beta.organization.analytics.usage.list({
        starting_at: '2026-11-01T00:00:00Z',
        ending_at: '2026-11-21T00:00:00Z',
        group_by: ['api_key_id'],
        time_bucket_width: '1d',
        order_by: 'time',
        order: 'asc',
        limit: 7,
      }),
    );
    // Nov 20 (today) is still inside the one-day lag, for both keys.
    expect(rows).toHaveLength(20);
    const forA = rows.filter((r) => r.group.api_key_id === a.id);
    expect(forA.map((r) => r.usage.requests)).toEqual(Array.from({ length: 19 }, (_, d) => 10 + d));
    expect(forA[0]).toMatchObject({
      starting_at: '2026-11-01T00:00:00Z',
      ending_at: '2026-11-02T00:00:00Z',
      usage: { total_tokens: 150, output_tokens: 50 },
    });
    expect(forA[0]?.group).toMatchObject({ workspace_id: null, model: null, actor: null });
    expect(rows.filter((r) => r.group.api_key_id === b.id).map((r) => r.usage.requests)).toEqual([3]);
    const call = sim.calls.byOp('analytics.usage')[0]!;
    expect(call.headers['anthropic-beta']).toContain('analytics-usage-cost-2026-08-24');
    expect(call.query['group_by[]']).toBe('api_key_id');
    expect(sim.calls.byOp('analytics.usage')).toHaveLength(3);
  });

  it('filters by api_key_ids[] and attributes usage to the key principal', async () => {
    const user = sim.state.addUser({ email: 'pat@example.com' });
    const k = sim.state.addApiKey({ principal: { type: 'user_actor', user_id: user.id } });
    const other = sim.state.addApiKey();
    sim.state.addKeyUsage({ apiKeyId: k.id, date: day(3), requests: 4 });
    sim.state.addKeyUsage({ apiKeyId: other.id, date: day(3), requests: 8 });
    const page = await client.beta.organization.analytics.usage.list({
      starting_at: '2026-11-01T00:00:00Z',
      api_key_ids: [k.id],
      group_by: ['api_key_id', 'actor'],
    });
    expect(page.data).toHaveLength(1);
    expect(page.data[0]?.group.actor).toEqual({
      type: 'user_actor',
      user_id: user.id,
      email_address: 'pat@example.com',
      name: user.name,
      deleted: false,
    });
    expect(page.has_more).toBe(false);
    expect(page.data_refreshed_at).toBe('2026-11-19T10:00:00Z');
  });

  it('enforces the 31-day span and the 365-day window with 400s', async () => {
    await expect(
      client.beta.organization.analytics.usage.list({
        starting_at: '2026-09-01T00:00:00Z',
        ending_at: '2026-10-03T00:00:00Z',
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      client.beta.organization.analytics.usage.list({
        starting_at: '2026-09-01T00:00:00Z',
        ending_at: '2026-10-02T00:00:00Z',
      }),
    ).resolves.toBeDefined();
    await expect(
      client.beta.organization.analytics.usage.list({ starting_at: '2025-12-31T00:00:00Z' }),
    ).rejects.toBeInstanceOf(BadRequestError);
    sim.clock.set('2027-06-01T00:00:00Z');
    const err = await client.beta.organization.analytics.usage
      .list({ starting_at: '2026-05-01T00:00:00Z' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain('365 days');
    await expect(
      client.beta.organization.analytics.usage.list({ starting_at: '2026-07-01T00:00:00Z', time_bucket_width: '1d' }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it('requires the beta header and binds page tokens to their query', async () => {
    const res = await fetch(`${sim.url}/v1/organizations/analytics/usage?starting_at=2026-11-01T00:00:00Z`, {
      headers: { 'x-api-key': sim.config.adminKey, 'anthropic-version': '2023-06-01' },
    });
    expect(res.status).toBe(400);
    const k = sim.state.addApiKey();
    for (let d = 0; d < 5; d++) sim.state.addKeyUsage({ apiKeyId: k.id, date: day(d) });
    const first = await client.beta.organization.analytics.usage.list({
      starting_at: '2026-11-01T00:00:00Z',
      ending_at: '2026-11-10T00:00:00Z',
      time_bucket_width: '1d',
      limit: 2,
    });
    expect(first.next_page).toBeTruthy();
    await expect(
      client.beta.organization.analytics.usage.list({
        starting_at: '2026-11-02T00:00:00Z',
        ending_at: '2026-11-10T00:00:00Z',
        time_bucket_width: '1d',
        limit: 2,
        page: first.next_page,
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('seat activity (analytics.users, Enterprise only)', () => {
  it('answers 404 for an organisation without Claude Enterprise', async () => {
    await expect(client.organization.analytics.users.list({ date: '2026-11-18' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('lists every member for a day sorted by email, with that day’s activity', async () => {
    sim.config.orgType = 'enterprise';
    const users = ['zed', 'amy', 'kim', 'bo', 'lu'].map((n) => sim.state.addUser({ email: `${n}@example.com` }));
    sim.state.addUserActivity({ userId: users[1]!.id, date: '2026-11-18', chatMessages: 12, claudeCodeSessions: 2 });
    sim.state.addUserActivity({ userId: users[1]!.id, date: '2026-11-17', chatMessages: 5 });
    sim.state.addUserActivity({
      userId: users[3]!.id,
      date: '2026-11-18',
      metrics: { cowork_metrics: { message_count: 4 } },
    });

    const rows = await all(client.organization.analytics.users.list({ date: '2026-11-18', limit: 2 }));
    expect(rows.map((r) => r.user?.email_address)).toEqual([
      'amy@example.com',
      'bo@example.com',
      'kim@example.com',
      'lu@example.com',
      'zed@example.com',
    ]);
    expect(rows[0]).toMatchObject({
      user: { id: users[1]!.id, type: 'user' },
      chat_metrics: { message_count: 12 },
      web_search_count: 0,
    });
    expect(rows[0]?.claude_code_metrics.core_metrics.distinct_session_count).toBe(2);
    expect(rows[1]?.cowork_metrics.message_count).toBe(4);
    expect(rows[2]?.chat_metrics.message_count).toBe(0);
    expect(sim.calls.byOp('analytics.users')).toHaveLength(3);

    const range = await client.organization.analytics.users.list({
      starting_date: '2026-11-10',
      ending_date: '2026-11-19',
      filter: [`user_id:${users[1]!.id}`],
    });
    expect(range.data).toHaveLength(1);
    expect(range.data[0]?.chat_metrics.message_count).toBe(17);
  });

  it('rejects dates that are too recent or malformed', async () => {
    sim.config.orgType = 'enterprise';
    const err = await client.organization.analytics.users.list({ date: '2026-11-20' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).message).toContain('2026-11-19');
    await expect(client.organization.analytics.users.list({ date: '18-11-2026' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(
      client.organization.analytics.users.list({ date: '2026-11-18', starting_date: '2026-11-10' }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});
