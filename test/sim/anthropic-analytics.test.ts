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

describe('seat activity over a date range (analytics.users, starting_date/ending_date)', () => {
  it('rolls a range up per member with last_activity_date, omitted while that reporting is off', async () => {
    sim.config.orgType = 'enterprise';
    const [amy, bo] = ['amy', 'bo'].map((n) => sim.state.addUser({ email: `${n}@example.com` }));
    sim.state.addUserActivity({ userId: amy!.id, date: '2026-10-02', chatMessages: 3 });
    sim.state.addUserActivity({ userId: amy!.id, date: '2026-11-12', claudeCodeSessions: 1 });
    sim.state.addUserActivity({ userId: amy!.id, date: '2026-11-19', chatMessages: 1 }); // after the range

    const rows = await all(
      client.organization.analytics.users.list({ starting_date: '2026-10-01', ending_date: '2026-11-19', limit: 1000 }),
    );
    expect(rows.map((r) => [r.user?.email_address, r.last_activity_date])).toEqual([
      ['amy@example.com', '2026-11-12'],
      ['bo@example.com', null],
    ]);
    expect(rows[0]?.chat_metrics.message_count).toBe(3);
    expect(rows[0]?.claude_code_metrics.core_metrics.distinct_session_count).toBe(1);
    const single = await client.organization.analytics.users.list({
      date: '2026-11-12',
      filter: [`user_id:${amy!.id}`],
    });
    expect(single.data[0]?.last_activity_date).toBe('2026-11-12');
    expect(bo).toBeDefined();

    sim.config.analyticsUsers.lastActivityReporting = false;
    const without = await client.organization.analytics.users.list({ starting_date: '2026-10-01' });
    expect(without.data[0]).not.toHaveProperty('last_activity_date');
  });

  it('refuses ranges over 366 days, a limit over 1000, and ending_date in the future', async () => {
    sim.config.orgType = 'enterprise';
    sim.config.analyticsUsers.earliest = '2025-01-01';
    const bad = [
      { starting_date: '2025-11-01', ending_date: '2026-11-19' },
      { starting_date: '2026-11-01', limit: 1001 },
      { starting_date: '2026-11-01', ending_date: '2026-11-21' },
      { ending_date: '2026-11-19' },
    ];
    for (const params of bad) {
      await expect(client.organization.analytics.users.list(params)).rejects.toBeInstanceOf(BadRequestError);
    }
    const ok = await client.organization.analytics.users.list({
      starting_date: '2025-11-20',
      ending_date: '2026-11-19',
    });
    expect(ok.data).toEqual([]);
  });
});

describe('Claude Code usage report (GET /v1/organizations/usage_report/claude_code)', () => {
  async function report(qs: string) {
    const res = await fetch(`${sim.url}/v1/organizations/usage_report/claude_code?${qs}`, {
      headers: { 'x-api-key': sim.config.adminKey, 'anthropic-version': '2023-06-01' },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('reports one UTC day per user email and per API key name, in the documented shape', async () => {
    sim.state.addClaudeCodeUsage({
      date: '2026-11-18',
      userEmail: 'amy@example.com',
      sessions: 2,
      linesAdded: 40,
      linesRemoved: 4,
      commits: 1,
      toolActions: { edit_tool: { accepted: 5, rejected: 1 } },
      models: [{ model: 'claude-opus-4-8', input: 1000, output: 300, costCents: 12 }],
    });
    sim.state.addClaudeCodeUsage({ date: '2026-11-18', userEmail: 'amy@example.com', sessions: 1 });
    sim.state.addClaudeCodeUsage({ date: '2026-11-18', apiKeyName: 'ci-runner', customerType: 'api' });
    sim.state.addClaudeCodeUsage({ date: '2026-11-17', userEmail: 'bo@example.com' });
    const r = await report('starting_at=2026-11-18');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ has_more: false, next_page: null });
    const data = r.body['data'] as Record<string, unknown>[];
    expect(data).toHaveLength(2);
    expect(data.map((d) => d['actor'])).toEqual([
      { type: 'api_actor', api_key_name: 'ci-runner' },
      { type: 'user_actor', email_address: 'amy@example.com' },
    ]);
    expect(data[1]).toEqual({
      date: '2026-11-18T00:00:00Z',
      actor: { type: 'user_actor', email_address: 'amy@example.com' },
      organization_id: sim.state.org.uuid,
      customer_type: 'api',
      subscription_type: null,
      terminal_type: 'vscode',
      core_metrics: {
        num_sessions: 3,
        lines_of_code: { added: 40, removed: 4 },
        commits_by_claude_code: 1,
        pull_requests_by_claude_code: 0,
      },
      tool_actions: {
        edit_tool: { accepted: 5, rejected: 1 },
        multi_edit_tool: { accepted: 0, rejected: 0 },
        write_tool: { accepted: 0, rejected: 0 },
        notebook_edit_tool: { accepted: 0, rejected: 0 },
      },
      model_breakdown: [
        {
          model: 'claude-opus-4-8',
          tokens: { input: 1000, output: 300, cache_read: 0, cache_creation: 0 },
          estimated_cost: { currency: 'USD', amount: 12 },
        },
      ],
    });
  });

  it('pages with an opaque token that keeps the first page’s data boundary, and hides the last hour', async () => {
    for (let i = 0; i < 5; i++)
      sim.state.addClaudeCodeUsage({ date: '2026-11-20', userEmail: `u${i}@example.com`, at: '2026-11-20T08:00:00Z' });
    sim.state.addClaudeCodeUsage({ date: '2026-11-20', userEmail: 'late@example.com', at: '2026-11-20T09:30:00Z' });
    const first = await report('starting_at=2026-11-20&limit=2');
    expect((first.body['data'] as unknown[]).length).toBe(2);
    expect(first.body['next_page']).toMatch(/^page_/);
    // An hour passes: the late record is now visible to a new walk, but not to this one.
    sim.clock.set('2026-11-20T11:00:00Z');
    const seen = [...(first.body['data'] as { actor: { email_address: string } }[])];
    let page = first.body['next_page'] as string | null;
    while (page) {
      const next = await report(`starting_at=2026-11-20&limit=2&page=${encodeURIComponent(page)}`);
      seen.push(...(next.body['data'] as { actor: { email_address: string } }[]));
      page = next.body['next_page'] as string | null;
    }
    expect(seen.map((d) => d.actor.email_address)).toEqual([0, 1, 2, 3, 4].map((i) => `u${i}@example.com`));
    const fresh = await report('starting_at=2026-11-20&limit=1000');
    expect((fresh.body['data'] as unknown[]).length).toBe(6);
  });

  it('requires starting_at as YYYY-MM-DD and limit 1–1000, and binds the token to its day', async () => {
    for (const qs of ['', 'starting_at=2026-11-18T00:00:00Z', 'starting_at=2026-11-18&limit=1001']) {
      const r = await report(qs);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
    for (let i = 0; i < 3; i++) sim.state.addClaudeCodeUsage({ date: '2026-11-18', userEmail: `u${i}@example.com` });
    const token = (await report('starting_at=2026-11-18&limit=1')).body['next_page'] as string;
    expect((await report(`starting_at=2026-11-17&page=${encodeURIComponent(token)}`)).status).toBe(400);
    expect((await report('starting_at=2026-11-18&page=garbage')).status).toBe(400);
  });
});
