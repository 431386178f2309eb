import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  actors,
  apiActorIdOfAdminKey,
  startAnthropicSim,
  type Activity,
  type AnthropicSim,
} from '../../src/sim/anthropic/index.js';

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

async function get(
  params: string | Record<string, string | string[]>,
  key = sim.config.complianceKey,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  let qs: string;
  if (typeof params === 'string') qs = params;
  else {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) sp.append(k, x);
    qs = sp.toString();
  }
  const res = await fetch(`${sim.url}/v1/compliance/activities${qs ? `?${qs}` : ''}`, {
    headers: { 'x-api-key': key },
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

async function page(params: string | Record<string, string | string[]> = {}): Promise<FeedPage> {
  const r = await get(params);
  if (r.status !== 200) throw new Error(`status ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as FeedPage;
}

/** The activity a cursor points at: cursors are base64 JSON `{id, created_at}`, as issue 13 reports. */
function cursorId(cursor: string | null): string | undefined {
  if (cursor === null) return undefined;
  return (JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { id: string }).id;
}

const alice = actors.user('user_01Alice000000000000000000', 'alice@example.com');
const bob = actors.user('user_01Bob00000000000000000000', 'bob@example.com');

/** n activities one minute apart, ending 10 minutes before NOW. */
function seed(n: number): Activity[] {
  return Array.from({ length: n }, (_, i) =>
    sim.state.addActivity({
      created_at: new Date(NOW - 10 * 60_000 - (n - 1 - i) * 60_000),
      type: i % 3 === 0 ? 'claude_file_uploaded' : 'claude_chat_created',
      actor: i % 2 === 0 ? alice : bob,
    }),
  );
}

describe('ordering and paging', () => {
  it('returns newest first with first_id/last_id and the default limit of 100', async () => {
    const acts = seed(150);
    const p = await page();
    expect(p.data).toHaveLength(100);
    expect(p.has_more).toBe(true);
    expect(p.data.map((a) => a.id)).toEqual(
      acts
        .slice(-100)
        .reverse()
        .map((a) => a.id),
    );
    expect(cursorId(p.first_id)).toBe(acts[149]!.id);
    expect(cursorId(p.last_id)).toBe(acts[50]!.id);
    expect(JSON.parse(Buffer.from(p.last_id!, 'base64').toString('utf8'))).toEqual({
      id: acts[50]!.id,
      created_at: acts[50]!.created_at,
    });
    expect(p.data[0]).toMatchObject({
      organization_id: sim.state.org.id,
      organization_uuid: sim.state.org.uuid,
      actor: { type: 'user_actor' },
    });
  });

  it('after_id walks backwards in time until has_more is false', async () => {
    const acts = seed(57);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const p = await page(cursor ? { limit: '10', after_id: cursor } : { limit: '10' });
      seen.push(...p.data.map((a) => a.id));
      if (p.last_id) cursor = p.last_id;
      if (!p.has_more) break;
    }
    expect(seen).toEqual(acts.map((a) => a.id).reverse());
  });

  it('before_id returns the page adjacent to the cursor, walking forwards to the present', async () => {
    const acts = seed(45);
    const stored = acts[14]!.id;
    const first = await page({ limit: '10', before_id: stored });
    // Adjacent: the 10 activities right after the cursor, still newest first.
    expect(first.data.map((a) => a.id)).toEqual(
      acts
        .slice(15, 25)
        .reverse()
        .map((a) => a.id),
    );
    expect(first.has_more).toBe(true);
    const seen = [...first.data];
    let cursor = first.first_id!;
    for (;;) {
      const p = await page({ limit: '10', before_id: cursor });
      seen.push(...p.data);
      if (p.first_id) cursor = p.first_id;
      if (!p.has_more) break;
    }
    expect(new Set(seen.map((a) => a.id))).toEqual(new Set(acts.slice(15).map((a) => a.id)));
    expect(cursorId(cursor)).toBe(acts[44]!.id);
    const caughtUp = await page({ limit: '10', before_id: cursor });
    expect(caughtUp).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it('breaks created_at ties by id', async () => {
    const at = new Date(NOW - 600_000);
    for (const id of ['activity_b', 'activity_c', 'activity_a'])
      sim.state.addActivity({ id, created_at: at, type: 'claude_chat_viewed', actor: alice });
    expect((await page()).data.map((a) => a.id)).toEqual(['activity_c', 'activity_b', 'activity_a']);
    expect((await page({ after_id: 'activity_c', limit: '1' })).data.map((a) => a.id)).toEqual(['activity_b']);
  });

  it('rejects bad limits, both cursors at once, and cursors it did not issue', async () => {
    seed(3);
    const messages: Record<string, string> = {
      '0': 'limit: Input should be greater than or equal to 1',
      '5001': 'limit: Input should be less than or equal to 5000',
      abc: 'limit: Input should be a valid integer',
    };
    for (const [limit, message] of Object.entries(messages)) {
      const r = await get({ limit });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message } });
    }
    expect((await page({ limit: '5000' })).data).toHaveLength(3);
    const p = await page();
    expect((await get({ after_id: p.first_id!, before_id: p.last_id! })).status).toBe(400);
    // The documented example of a malformed cursor, and a value that is no cursor at all.
    for (const bad of ['activity_invalid123', 'not-a-cursor', 'eyJub3QiOiJ0aGlzIn0=']) {
      const r = await get({ after_id: bad });
      expect(r.status).toBe(400);
      expect((r.body as { error: { message: string } }).error.message).toBe(`Invalid activity_id format: '${bad}'`);
    }
    const wellFormed = 'activity_01XyDMpzjS89pFZXqSFUBDr6';
    const unknown = await get({ before_id: wellFormed });
    expect((unknown.body as { error: { message: string } }).error.message).toBe(
      `Invalid \`before_id\`. No activity found for \`before_id\` "${wellFormed}"`,
    );
  });
});

describe('filters', () => {
  it('applies created_at.gte/.gt/.lt/.lte and refuses bracket notation and unreadable timestamps', async () => {
    const acts = seed(20);
    const t = (i: number) => acts[i]!.created_at;
    expect((await page({ 'created_at.gte': t(5), 'created_at.lt': t(9) })).data.map((a) => a.id)).toEqual(
      acts
        .slice(5, 9)
        .reverse()
        .map((a) => a.id),
    );
    expect((await page({ 'created_at.gt': t(5), 'created_at.lte': t(9) })).data.map((a) => a.id)).toEqual(
      acts
        .slice(6, 10)
        .reverse()
        .map((a) => a.id),
    );
    const bracket = await get({ 'created_at[gt]': t(5) });
    expect(bracket.status).toBe(400);
    expect((bracket.body as { error: { message: string } }).error.message).toBe(
      "Unknown query parameter: 'created_at[gt]'. Did you mean 'created_at.gt'?",
    );
    const bad = await get({ 'created_at.gte': 'yesterday' });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { message: string } }).error.message).toBe(
      'created_at.gte: Input should be a valid datetime or date, invalid character in year',
    );
    // A date, or a time without an offset, reads as UTC.
    expect((await page({ 'created_at.gte': t(19).slice(0, 19) })).data.map((a) => a.id)).toEqual([acts[19]!.id]);
    expect((await page({ 'created_at.lt': '2020-01-01' })).data).toEqual([]);
  });

  it('filters by activity_types[], actor_ids[] and organization_ids[] (ORed within, ANDed across)', async () => {
    seed(30);
    sim.state.addActivity({
      created_at: new Date(NOW - 300_000),
      type: 'sso_login_succeeded',
      actor: alice,
      organization_id: null,
      organization_uuid: null,
    });
    const files = await page({ 'activity_types[]': 'claude_file_uploaded' });
    expect(files.data).toHaveLength(10);
    expect(new Set(files.data.map((a) => a.type))).toEqual(new Set(['claude_file_uploaded']));
    const bobsFiles = await page({
      'activity_types[]': ['claude_file_uploaded', 'sso_login_succeeded'],
      'actor_ids[]': bob['user_id'] as string,
    });
    expect(
      bobsFiles.data.every(
        (a) =>
          (a['actor'] as Record<string, unknown>)['user_id'] === bob['user_id'] && a.type === 'claude_file_uploaded',
      ),
    ).toBe(true);
    expect(bobsFiles.data).toHaveLength(5);
    // Activities with no organisation stay in an organization_ids[] result (issue 13; the docs are silent).
    expect((await page({ 'organization_ids[]': sim.state.org.uuid })).data).toHaveLength(31);
    expect(
      (await page({ 'organization_ids[]': sim.state.org.id, 'activity_types[]': 'sso_login_succeeded' })).data,
    ).toHaveLength(1);
    expect((await page({ 'organization_ids[]': 'org_01Other' })).data.map((a) => a.type)).toEqual([
      'sso_login_succeeded',
    ]);
    sim.config.feed.organizationFilterKeepsNullOrg = false;
    expect((await page({ 'organization_ids[]': sim.state.org.uuid })).data).toHaveLength(30);
    const unbracketed = await get({ activity_types: 'claude_file_uploaded' });
    expect((unbracketed.body as { error: { message: string } }).error.message).toBe(
      "Unknown query parameter: 'activity_types'. Did you mean 'activity_types[]'?",
    );
  });

  it('passes unknown activity types, actor types and fields through untouched', async () => {
    const odd = sim.state.addActivity({
      created_at: new Date(NOW - 120_000),
      type: 'quantum_widget_teleported',
      actor: { type: 'robot_actor', robot_serial: 'R2' },
      widget: { colour: 'teal' },
    });
    sim.state.addActivity({
      created_at: new Date(NOW - 110_000),
      type: 'claude_chat_created',
      actor: actors.serviceAccount('svac_01X'),
    });
    const p = await page();
    expect(p.data[1]).toEqual(odd);
    expect(p.data[0]?.actor).toMatchObject({ type: 'service_account_actor', service_account_id: 'svac_01X' });
    // Filtering is by the documented enum only, unless a test declares more types.
    const refused = await get({ 'activity_types[]': ['claude_chat_created', 'quantum_widget_teleported'] });
    expect(refused.status).toBe(400);
    expect((refused.body as { error: { message: string } }).error.message).toBe(
      'activity_types[].1: Input is not one of the permitted values.',
    );
    sim.config.feed.extraActivityTypes = ['quantum_widget_teleported'];
    expect((await page({ 'activity_types[]': 'quantum_widget_teleported' })).data).toEqual([odd]);
  });
});

describe('timing', () => {
  it('makes activities queryable only a minute after created_at, or later when indexed late', async () => {
    sim.state.addActivity({ created_at: new Date(NOW - 30_000), type: 'claude_chat_created', actor: alice });
    const late = sim.state.addActivity(
      { created_at: new Date(NOW - 3_600_000), type: 'claude_chat_created', actor: bob },
      { visibleAt: new Date(NOW + 120_000) },
    );
    expect((await page()).data).toEqual([]);
    sim.clock.set(NOW + 31_000);
    expect((await page()).data).toHaveLength(1);
    const cursor = (await page()).first_id!;
    sim.clock.set(NOW + 130_000);
    // The late one is older than the cursor: a catch-up with before_id never sees it.
    expect((await page({ before_id: cursor })).data).toEqual([]);
    expect((await page()).data.map((a) => a.id)).toContain(late.id);
  });
});

describe('access control and limits', () => {
  it('accepts the compliance key and the admin key, with rate-limit headers', async () => {
    seed(2);
    const r1 = await get({}, sim.config.complianceKey);
    expect(r1.status).toBe(200);
    expect(r1.headers.get('anthropic-ratelimit-requests-limit')).toBe('600');
    expect(r1.headers.get('request-id')).toMatch(/^req_/);
    expect((await get({}, sim.config.adminKey)).status).toBe(200);
    const bad = await get({}, 'sk-ant-api01-nope');
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'API key is invalid.' },
      request_id: bad.headers.get('request-id'),
    });
    sim.config.adminKeyHasComplianceScope = false;
    const scope = await get({}, sim.config.adminKey);
    expect(scope.status).toBe(403);
    expect(scope.body).toMatchObject({ error: { type: 'permission_error' } });
  });

  it('enforces the per-minute budget with retry-after', async () => {
    sim.config.feed.rateLimitPerMinute = 3;
    sim.resetRateLimit();
    for (let i = 0; i < 3; i++) expect((await get({})).status).toBe(200);
    const limited = await get({});
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(limited.body).toMatchObject({ error: { type: 'rate_limit_error' } });
    // Failed authentication is answered before the limiter.
    expect((await get({}, 'bad')).status).toBe(404);
    expect((await get({}, 'sk-ant-api01-unknown')).status).toBe(401);
  });

  it('records its own use as compliance_api_accessed activities', async () => {
    sim.config.emit.complianceAccess = true;
    await get({}, sim.config.adminKey);
    await get({});
    sim.clock.set(NOW + 61_000);
    const p = await page({ 'activity_types[]': 'compliance_api_accessed' });
    expect(p.data.map((a) => a['actor'])).toEqual([
      expect.objectContaining({ type: 'api_actor', api_key_id: sim.config.complianceKeyId }),
      expect.objectContaining({ type: 'api_actor', api_key_id: apiActorIdOfAdminKey(sim.config.adminKeyId) }),
    ]);
    expect(p.data[0]?.organization_id).toBeNull();
  });
});

describe('synthetic feed', () => {
  it('serves a 1,000,000-activity feed in 5000-activity pages by binary search', async () => {
    const start = Date.parse('2026-10-01T00:00:00Z');
    const feed = sim.state.addSyntheticActivities({ count: 1_000_000, start, end: NOW - 3_600_000 });
    expect(sim.state.compliance.size).toBe(1_000_000);

    let cursor: string | undefined;
    let previousLast: Activity | undefined;
    let fetched = 0;
    for (let i = 0; i < 12; i++) {
      const p = await page(cursor ? { limit: '5000', after_id: cursor } : { limit: '5000' });
      expect(p.data).toHaveLength(5000);
      expect(p.has_more).toBe(true);
      const keys = p.data.map((a) => [Date.parse(a.created_at), a.id] as const);
      if (previousLast) keys.unshift([Date.parse(previousLast.created_at), previousLast.id]);
      let descending = true;
      for (let j = 1; j < keys.length; j++) {
        const [t0, id0] = keys[j - 1]!;
        const [t1, id1] = keys[j]!;
        descending &&= t1 < t0 || (t1 === t0 && id1 < id0);
      }
      expect(descending).toBe(true);
      previousLast = p.data[4999];
      cursor = p.last_id!;
      fetched += p.data.length;
    }
    expect(fetched).toBe(60_000);
    expect(previousLast?.id).toBe(feed.keyAt(1_000_000 - 60_000).id);
    expect(cursorId(cursor!)).toBe(previousLast?.id);

    // Jump to the oldest end with a time window: the last page has has_more false.
    const oldest = await page({ limit: '5000', 'created_at.lt': feed.activityAt(3000).created_at });
    expect(oldest.has_more).toBe(false);
    expect(cursorId(oldest.last_id)).toBe(feed.keyAt(0).id);
    // And walk forward from the very first activity.
    const forward = await page({ limit: '5000', before_id: feed.keyAt(0).id });
    expect(forward.data[4999]?.id).toBe(feed.keyAt(1).id);
    expect(cursorId(forward.first_id)).toBe(feed.keyAt(5000).id);
  });

  it('spreads generated activities over the given actors and types, deterministically', async () => {
    const feed = sim.state.addSyntheticActivities({
      count: 1000,
      start: NOW - 86_400_000,
      end: NOW - 3_600_000,
      actors: [alice, bob, actors.api('apikey_01K')],
      types: ['claude_chat_created', 'brand_new_type'],
    });
    const p = await page({ limit: '1000' });
    expect(p.data).toHaveLength(1000);
    expect(new Set(p.data.map((a) => (a['actor'] as { type: string }).type))).toEqual(
      new Set(['user_actor', 'api_actor']),
    );
    expect(new Set(p.data.map((a) => a.type))).toEqual(new Set(['claude_chat_created', 'brand_new_type']));
    expect(p.data[999]).toEqual(feed.activityAt(0));
    const alices = await page({ limit: '1000', 'actor_ids[]': alice['user_id'] as string });
    expect(alices.data.length).toBeGreaterThan(250);
    expect(alices.data.length).toBeLessThan(420);
  });

  it('merges explicit activities into a synthetic feed in key order', async () => {
    const feed = sim.state.addSyntheticActivities({
      count: 100,
      start: NOW - 100_000_000,
      end: NOW - 3_600_000,
      actors: [alice],
    });
    const mid = sim.state.addActivity({
      created_at: feed.activityAt(50).created_at,
      id: 'activity_zzz',
      type: 'x',
      actor: bob,
    });
    const all = (await page({ limit: '200' })).data;
    expect(all).toHaveLength(101);
    const at = all.findIndex((a) => a.id === mid.id);
    expect(all[at + 1]?.id).toBe(feed.keyAt(50).id);
  });
});

describe('at-least-once delivery', () => {
  it('re-delivers activities across page boundaries when asked, without losing any', async () => {
    const acts = seed(40);
    sim.config.feed.redeliver = { count: 2, everyNthPage: 1 };
    const pages: FeedPage[] = [];
    let cursor: string | undefined;
    for (;;) {
      const p = await page(cursor ? { limit: '10', after_id: cursor } : { limit: '10' });
      pages.push(p);
      cursor = p.last_id ?? cursor;
      if (!p.has_more) break;
    }
    const ids = pages.flatMap((p) => p.data.map((a) => a.id));
    expect(new Set(ids)).toEqual(new Set(acts.map((a) => a.id)));
    expect(ids.length).toBeGreaterThan(acts.length);
    // The second page starts with the last two of the first, still newest first.
    expect(pages[1]!.data.slice(0, 2).map((a) => a.id)).toEqual(pages[0]!.data.slice(-2).map((a) => a.id));
    for (const p of pages) {
      const ts = p.data.map((a) => Date.parse(a.created_at));
      expect([...ts].sort((a, b) => b - a)).toEqual(ts);
    }
  });
});
