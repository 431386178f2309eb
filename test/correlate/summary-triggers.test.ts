import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * Correlation reads `principal_activity_summary` and `privilege_grants`; database
 * triggers keep them in step with whatever ingest writes to the roll-ups and the raw
 * feed, however it batches and upserts.
 */
describe('summaries maintained by the database as ingest writes', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.destroy());

  const summary = (id: string) =>
    queryRows(
      t.db,
      sql`select principal_type, first_event_at::text as first, last_event_at::text as last, last_event_type as type,
                 last_event_day::text as day, last_admin_day::text as admin, last_usage_day::text as usage
          from principal_activity_summary where principal_id = ${id}`,
    ).then((r) => r[0]);

  it('keeps the latest activity per principal across batches, upserts and late days', async () => {
    await t.db
      .execute(sql`insert into principal_activity_daily (principal_id, day, principal_type, events, admin_events, first_at, last_at, last_type) values
      ('user_a', '2026-05-01', 'user_actor', 2, 0, '2026-05-01T08:00Z', '2026-05-01T09:00Z', 'claude_chat_created'),
      ('user_a', '2026-05-03', 'user_actor', 1, 1, '2026-05-03T08:00Z', '2026-05-03T08:00Z', 'org_user_invite_sent')`);
    // The same day again, later in the day (ingest upserting a running count).
    await t.db
      .execute(sql`insert into principal_activity_daily as d (principal_id, day, principal_type, events, admin_events, first_at, last_at, last_type)
      values ('user_a', '2026-05-03', 'user_actor', 1, 0, '2026-05-03T20:00Z', '2026-05-03T20:00Z', 'claude_file_uploaded')
      on conflict (org_id, principal_id, day) do update set events = d.events + excluded.events, last_at = excluded.last_at, last_type = excluded.last_type`);
    // An older day arriving late changes nothing but the first activity.
    await t.db
      .execute(sql`insert into principal_activity_daily (principal_id, day, principal_type, events, admin_events, first_at, last_at, last_type)
      values ('user_a', '2026-04-01', 'user_actor', 1, 1, '2026-04-01T08:00Z', '2026-04-01T08:00Z', 'old')`);
    expect(await summary('user_a')).toEqual({
      principal_type: 'user_actor',
      first: '2026-04-01 08:00:00+00',
      last: '2026-05-03 20:00:00+00',
      type: 'claude_file_uploaded',
      day: '2026-05-03',
      admin: '2026-05-03',
      usage: null,
    });
  });

  it('records the last day with usage: requests for keys, seat actions for users; zero days do not count', async () => {
    await t.db.execute(
      sql`insert into key_usage_daily (api_key_id, day, requests) values ('apikey_k', '2026-05-01', 10), ('apikey_k', '2026-05-02', 0)`,
    );
    await t.db.execute(
      sql`insert into key_usage_daily (api_key_id, day, requests) values ('apikey_k', '2026-04-20', 5)`,
    );
    await t.db.execute(
      sql`update key_usage_daily set requests = 3 where api_key_id = 'apikey_k' and day = '2026-05-02'`,
    );
    await t.db.execute(
      sql`insert into seat_usage_daily (user_id, day, actions) values ('user_a', '2026-05-07', 4), ('user_s', '2026-05-08', 0)`,
    );
    expect(await summary('apikey_k')).toMatchObject({ principal_type: 'api_key', usage: '2026-05-02', last: null });
    expect(await summary('user_a')).toMatchObject({ usage: '2026-05-07', day: '2026-05-03' });
    expect(await summary('user_s')).toMatchObject({ usage: null });
  });

  it('keeps the daily counts of the last 120 active days, latest value per day', async () => {
    const recent = (id: string) =>
      queryRows<{ e: Record<string, number>; u: Record<string, number[]> }>(
        t.db,
        sql`select events as e, usage as u from principal_activity_recent where principal_id = ${id}`,
      ).then((r) => r[0]);
    expect(await recent('user_a')).toEqual({
      e: { '2026-04-01': 1, '2026-05-01': 2, '2026-05-03': 2 },
      u: { '2026-05-07': [4, 0] },
    });
    expect((await recent('apikey_k'))?.u).toEqual({
      '2026-04-20': [5, 0],
      '2026-05-01': [10, 0],
      '2026-05-02': [3, 0],
    });
    await t.db.execute(sql`insert into principal_activity_daily (principal_id, day, principal_type, events) values
      ('user_a', '2025-12-01', 'user_actor', 9), ('user_a', '2026-09-01', 'user_actor', 1)`);
    expect((await recent('user_a'))?.e).toEqual({ '2026-09-01': 1 });
  });

  it('drops a day exactly 120 days before the newest and keeps the day after, returning an object untouched when nothing is that old', async () => {
    const days = async (j: Record<string, number>) =>
      (
        await queryRows<{ r: Record<string, number> }>(
          t.db,
          sql`select steward_recent_days(${JSON.stringify(j)}::jsonb) as r`,
        )
      )[0]!.r;
    expect(await days({ '2026-01-01': 1, '2026-01-02': 2, '2026-05-01': 3 })).toEqual({
      '2026-01-02': 2,
      '2026-05-01': 3,
    });
    expect(await days({ '2026-05-01': 3, '2026-01-02': 2 })).toEqual({ '2026-01-02': 2, '2026-05-01': 3 });
    expect(await days({ '2025-12-31': 7, '2026-01-01': 1, '2026-05-01': 3 })).toEqual({ '2026-05-01': 3 });
    expect(await days({})).toEqual({});
  });

  it('knows which principals the directory lists, whichever arrives first', async () => {
    const listed = (id: string) =>
      queryRows<{ d: boolean }>(
        t.db,
        sql`select in_directory as d from principal_activity_summary where principal_id = ${id}`,
      ).then((r) => r[0]?.d);
    await t.db.execute(sql`insert into org_users (id, email, role) values ('user_listed_first', 'a@x.test', 'user')`);
    await t.db.execute(sql`insert into principal_activity_daily (principal_id, day, principal_type, events) values
      ('user_listed_first', '2026-05-01', 'user_actor', 1), ('user_ghost', '2026-05-01', 'user_actor', 1)`);
    expect(await listed('user_listed_first')).toBe(true);
    expect(await listed('user_ghost')).toBe(false);
    expect(await listed('user_a')).toBe(false);
    await t.db.execute(sql`insert into org_users (id, email, role) values ('user_a', 'a2@x.test', 'user')
                           on conflict (org_id, id) do update set email = excluded.email`);
    expect(await listed('user_a')).toBe(true);
    await t.db.execute(sql`insert into api_keys (id, name, status) values ('apikey_k', 'k', 'active')`);
    expect(await listed('apikey_k')).toBe(true);
  });

  it('extracts possible privilege grants from raw activities as they are stored, once each', async () => {
    const insert = () =>
      t.db.execute(sql`insert into activity_events (id, created_at, type, actor_type, actor_id, raw) values
        ('act_1', '2026-05-10T10:00Z', 'claude_user_role_updated', 'user_actor', 'user_boss', '{"user_id":"user_g","previous_role":"user","current_role":"admin"}'),
        ('act_2', '2026-05-10T11:00Z', 'platform_workspace_member_added', 'user_actor', 'user_boss', '{"user_id":"user_w","workspace_id":"wrkspc_1"}'),
        ('act_3', '2026-05-10T12:00Z', 'admin_api_key_created', 'user_actor', 'user_boss', '{"admin_api_key_id":"admkey_1"}'),
        ('act_4', '2026-05-10T13:00Z', 'claude_chat_created', 'user_actor', 'user_boss', '{}'),
        ('act_5', '2026-05-10T14:00Z', 'claude_user_role_updated', 'user_actor', 'user_boss', '{}')
        on conflict (id) do nothing`);
    await insert();
    await insert();
    const rows = await queryRows(
      t.db,
      sql`select id, grantee_type, grantee_id, workspace_id, role, previous_role, actor_id from privilege_grants order by id`,
    );
    expect(rows).toEqual([
      {
        id: 'act_1',
        grantee_type: 'user',
        grantee_id: 'user_g',
        workspace_id: null,
        role: 'admin',
        previous_role: 'user',
        actor_id: 'user_boss',
      },
      {
        id: 'act_2',
        grantee_type: 'workspace_member',
        grantee_id: 'user_w',
        workspace_id: 'wrkspc_1',
        role: null,
        previous_role: null,
        actor_id: 'user_boss',
      },
      {
        id: 'act_3',
        grantee_type: 'admin_api_key',
        grantee_id: 'admkey_1',
        workspace_id: null,
        role: 'admin_api_key',
        previous_role: null,
        actor_id: 'user_boss',
      },
    ]);
  });

  it('keeps a row per organisation the activity or usage named, and one for activity naming none', async () => {
    const rows = (id: string) =>
      queryRows<{ org: string; day: string | null; usage: string | null; listed: boolean; e: Record<string, number> }>(
        t.db,
        sql`select s.org_id as org, s.last_event_day::text as day, s.last_usage_day::text as usage, s.in_directory as listed,
                   r.events as e
            from principal_activity_summary s
            left join principal_activity_recent r on r.org_id = s.org_id and r.principal_id = s.principal_id
            where s.principal_id = ${id} order by s.org_id`,
      );
    // One person, one account id, in two organisations; listed in A only so far.
    await t.db.execute(
      sql`insert into org_users (org_id, id, email, role) values ('org-a', 'user_both', 'b@x.test', 'user')`,
    );
    await t.db
      .execute(sql`insert into principal_activity_daily (org_id, principal_id, day, principal_type, events) values
      ('org-a', 'user_both', '2026-06-01', 'user_actor', 2),
      ('org-b', 'user_both', '2026-06-05', 'user_actor', 1),
      ('', 'user_both', '2026-06-03', 'user_actor', 4)`);
    await t.db.execute(
      sql`insert into seat_usage_daily (org_id, user_id, day, actions) values ('org-b', 'user_both', '2026-06-09', 3)`,
    );
    expect(await rows('user_both')).toEqual([
      { org: '', day: '2026-06-03', usage: null, listed: true, e: { '2026-06-03': 4 } },
      { org: 'org-a', day: '2026-06-01', usage: null, listed: true, e: { '2026-06-01': 2 } },
      { org: 'org-b', day: '2026-06-05', usage: '2026-06-09', listed: false, e: { '2026-06-05': 1 } },
    ]);
    // Listed in B now: B's row says so, A's and the '' row are untouched.
    await t.db.execute(
      sql`insert into org_users (org_id, id, email, role) values ('org-b', 'user_both', 'b@x.test', 'user')`,
    );
    expect((await rows('user_both')).map((r) => [r.org, r.listed])).toEqual([
      ['', true],
      ['org-a', true],
      ['org-b', true],
    ]);
    // The end of a catch-up summarises everything again, per organisation, to the same rows.
    const before = await rows('user_both');
    await t.db.execute(sql`select steward_summarise_all_activity()`);
    expect(await rows('user_both')).toEqual(before);
  });

  it('gives each privilege grant the organisation of its activity', async () => {
    await t.db.execute(sql`insert into activity_events (id, org_id, created_at, type, actor_type, actor_id, raw) values
      ('act_org_1', 'org-b', '2026-06-10T10:00Z', 'claude_user_role_updated', 'user_actor', 'user_boss', '{"user_id":"user_both","current_role":"admin"}')`);
    const [g] = await queryRows(
      t.db,
      sql`select org_id, grantee_id, role from privilege_grants where id = 'act_org_1'`,
    );
    expect(g).toEqual({ org_id: 'org-b', grantee_id: 'user_both', role: 'admin' });
    const [earlier] = await queryRows(t.db, sql`select org_id from privilege_grants where id = 'act_1'`);
    expect(earlier).toEqual({ org_id: '' });
  });
});
