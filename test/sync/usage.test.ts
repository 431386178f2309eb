import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, one, policyWith, rows, startRig, type SyncRig } from './helpers.js';

let rig: SyncRig;
afterEach(async () => rig?.close());

const DAY = 86_400_000;
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY).toISOString().slice(0, 10);

describe('key usage', { timeout: 180_000 }, () => {
  it('stores requests and tokens per key per day, in requests of at most 31 days', async () => {
    rig = await startRig();
    const a = rig.sim.state.addApiKey({ name: 'a' });
    const b = rig.sim.state.addApiKey({ name: 'b' });
    for (let d = 1; d <= 70; d++) {
      rig.sim.state.addKeyUsage({
        apiKeyId: a.id,
        date: day(-d),
        requests: d,
        uncachedInputTokens: 100,
        outputTokens: 10,
        cacheReadInputTokens: 5,
        cacheCreation1hInputTokens: 2,
        cacheCreation5mInputTokens: 1,
      });
    }
    rig.sim.state.addKeyUsage({ apiKeyId: b.id, date: day(-3), requests: 7 });
    rig.sim.state.addKeyUsage({ apiKeyId: b.id, date: day(-3), requests: 5 });
    rig.sim.state.addKeyUsage({ apiKeyId: null, date: day(-3), requests: 99 });

    const r = await rig.service().run({ sources: ['key_usage'] });
    expect(r.sources[0]).toMatchObject({ status: 'succeeded' });
    const stored = await rows<Record<string, unknown>>(
      rig.db.db,
      sql`select api_key_id, day::text as day, requests, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens from key_usage_daily order by api_key_id, day`,
    );
    expect(stored).toHaveLength(71);
    const num = (x: Record<string, unknown> | undefined) =>
      x &&
      Object.fromEntries(
        Object.entries(x).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
      );
    expect(num(stored.find((x) => x.api_key_id === a.id && x.day === day(-1)))).toEqual({
      api_key_id: a.id,
      day: day(-1),
      requests: 1,
      input_tokens: 100,
      output_tokens: 10,
      cache_read_tokens: 5,
      cache_creation_tokens: 3,
    });
    expect(num(stored.find((x) => x.api_key_id === b.id))).toMatchObject({ day: day(-3), requests: 12 });
    // Usage is not feed activity: the feed's roll-up is left alone.
    expect(await rows(rig.db.db, sql`select 1 from principal_activity_daily`)).toEqual([]);

    const calls = rig.sim.calls.byOp('analytics.usage');
    for (const c of calls) {
      const span = Date.parse(String(c.query['ending_at'])) - Date.parse(String(c.query['starting_at']));
      expect(span).toBeLessThanOrEqual(31 * DAY);
      expect(c.query).toMatchObject({ 'group_by[]': 'api_key_id', time_bucket_width: '1d' });
    }
    expect(calls.length).toBeGreaterThanOrEqual(11);
    const { cursor } = await one<{ cursor: unknown }>(
      rig.db.db,
      sql`select cursor from sync_checkpoints where source = 'key_usage'`,
    );
    expect(cursor).toEqual({ v: 1, next_day: day(-7) });
    // The correlation summary learnt each key's last day of use.
    const { last } = await one<{ last: string }>(
      rig.db.db,
      sql`select last_usage_day::text as last from principal_activity_summary where principal_id = ${a.id}`,
    );
    expect(last).toBe(day(-1));
  });

  it('replaces recent days with the revised values instead of adding, and reads only from the checkpoint on', async () => {
    rig = await startRig();
    const k = rig.sim.state.addApiKey({ name: 'k' });
    rig.sim.state.addKeyUsage({ apiKeyId: k.id, date: day(-2), requests: 10 });
    rig.sim.state.addKeyUsage({ apiKeyId: k.id, date: day(-40), requests: 4 });
    await rig.service().run({ sources: ['key_usage'] });
    // The API revises day -2 upwards; a day later the sync re-reads the refresh window.
    rig.sim.state.addKeyUsage({ apiKeyId: k.id, date: day(-2), requests: 3 });
    rig.sim.state.addKeyUsage({ apiKeyId: k.id, date: day(0), requests: 8 });
    const tomorrow = new Date(NOW.getTime() + DAY);
    rig.sim.clock.set(tomorrow);
    const before = rig.sim.calls.byOp('analytics.usage').length;
    await rig.service({ now: () => tomorrow }).run({ sources: ['key_usage'] });
    const reqs = await rows<{ day: string; requests: number }>(
      rig.db.db,
      sql`select day::text as day, requests from key_usage_daily order by day`,
    );
    expect(reqs.map((x) => [x.day, Number(x.requests)])).toEqual([
      [day(-40), 4],
      [day(-2), 13],
      [day(0), 8],
    ]);
    const second = rig.sim.calls.byOp('analytics.usage').slice(before);
    expect(second).toHaveLength(1);
    expect(second[0]?.query['starting_at']).toBe(`${day(-7)}T00:00:00Z`);
  });
});

describe('seat usage', { timeout: 180_000 }, () => {
  it('stores each member’s active days with their metrics and a count of actions', async () => {
    rig = await startRig({ orgType: 'enterprise' });
    const ann = rig.sim.state.addUser({ email: 'ann@example.com' });
    const ben = rig.sim.state.addUser({ email: 'ben@example.com' });
    rig.sim.state.addUserActivity({ userId: ann.id, date: day(-1), chatMessages: 12, claudeCodeSessions: 2 });
    rig.sim.state.addUserActivity({ userId: ann.id, date: day(-5), webSearches: 3 });
    rig.sim.state.addUserActivity({ userId: ben.id, date: day(-2), coworkMessages: 4 });
    const r = await rig
      .service({ policy: policyWith('sync:\n  usage_backfill_days: 10\n') })
      .run({ sources: ['seat_usage'] });
    expect(r.sources[0]).toMatchObject({ status: 'succeeded', counts: { seat_days: 3, days: 10 } });
    const stored = await rows<{ user_id: string; day: string; actions: number; metrics: Record<string, unknown> }>(
      rig.db.db,
      sql`select user_id, day::text as day, actions, metrics from seat_usage_daily order by day`,
    );
    expect(stored.map((x) => [x.user_id, x.day, x.actions])).toEqual([
      [ann.id, day(-5), 3],
      [ben.id, day(-2), 4],
      [ann.id, day(-1), 14],
    ]);
    expect(stored[2]?.metrics).toMatchObject({ chat_metrics: { message_count: 12 } });
    expect(rig.sim.calls.byOp('analytics.users').map((c) => c.query['date'])).toContain(day(-1));
    expect(rig.sim.calls.byOp('analytics.users').map((c) => c.query['date'])).not.toContain(day(0));
  });

  it('reports "not available" for an organisation without seat analytics, and changes nothing', async () => {
    rig = await startRig({ orgType: 'api' });
    const r = await rig.service().run({ sources: ['seat_usage'] });
    expect(r.ok).toBe(true);
    expect(r.sources[0]).toMatchObject({ status: 'not_available' });
    expect(r.sources[0]?.notes.join()).toMatch(/not available.*HTTP 404/);
    expect(await rows(rig.db.db, sql`select * from sync_checkpoints where source = 'seat_usage'`)).toEqual([]);
    const { status } = await one<{ status: string }>(
      rig.db.db,
      sql`select status from job_runs where job = 'sync.seat_usage'`,
    );
    expect(status).toBe('not_available');
  });
});
