import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceProgress } from '../../src/sync/types.js';
import { actors } from '../../src/sim/anthropic/index.js';
import { alice, bob, DAY, expectedRollups, HOUR, seedFeed } from './feed-fixtures.js';
import { NOW, one, policyWith, rows, startRig, type SyncRig } from './helpers.js';

let rig: SyncRig;
afterEach(async () => rig?.close());

/**
 * One cursor per pass (`sync.catchup_parallel: 1`), so requests come in a known order;
 * test/sync/catchup-windows.test.ts reads a catch-up as parallel windows.
 */
const small = {
  activityPageSize: 50,
  activityBatchSize: 100,
  policy: policyWith('sync:\n  catchup_parallel: 1\n'),
};
/** A first catch-up over a 365-day window starts with this many one-activity requests (finding where the history starts, for the ETA). */
const PROBES = 9;

async function rollups(): Promise<
  Map<string, { events: number; first: number; last: number; admin: number; type: string; lastType: string }>
> {
  const r = await rows<{ principal_id: string; day: string } & Record<string, unknown>>(
    rig.db.db,
    sql`select principal_id, day::text as day, principal_type, events, admin_events, first_at, last_at, last_type from principal_activity_daily where events > 0`,
  );
  return new Map(
    r.map((x) => [
      `${x.principal_id}|${x.day}`,
      {
        events: Number(x.events),
        first: new Date(x.first_at as string).getTime(),
        last: new Date(x.last_at as string).getTime(),
        admin: Number(x.admin_events),
        type: String(x.principal_type),
        lastType: String(x.last_type),
      },
    ]),
  );
}

async function count(table: string): Promise<number> {
  return (await rows<{ n: number }>(rig.db.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
}

function expectRollupsMatch(
  actual: Awaited<ReturnType<typeof rollups>>,
  expected: ReturnType<typeof expectedRollups>,
): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, e] of expected)
    expect({ k, ...actual.get(k)! }).toMatchObject({
      k,
      events: e.events,
      admin: e.admin,
      first: e.first,
      last: e.last,
    });
}

describe('activity feed sync', { timeout: 180_000 }, () => {
  it('catches up across many pages, keeping every activity with its raw JSON, and rolls them up per principal per day', async () => {
    rig = await startRig();
    const feed = seedFeed(rig.sim, { synthetic: 700, days: 5 });
    const progress: SourceProgress[] = [];
    const r = await rig.service(small).run({ sources: ['activities'], onProgress: (p) => void progress.push(p) });
    const a = r.sources[0]!;
    expect(a.status).toBe('succeeded');
    expect(a.counts).toMatchObject({ fetched: 711, inserted: 711, passes: 2 });
    expect(rig.sim.calls.byOp('compliance.activities').length).toBeGreaterThanOrEqual(15);
    expect(await count('activity_events')).toBe(711);

    // Stored as received, raw JSON included, unknown types and actor types too.
    const future = (
      await rows<Record<string, unknown>>(
        rig.db.db,
        sql`select * from activity_events where type = 'a_type_from_the_future'`,
      )
    )[0]!;
    expect(future).toMatchObject({ actor_type: 'user_actor', actor_id: alice['user_id'] });
    expect(future.raw).toMatchObject({
      type: 'a_type_from_the_future',
      shiny: { nested: [1, 2, 3] },
      actor: { email_address: 'alice@example.com' },
    });
    const holo = (
      await rows<Record<string, unknown>>(
        rig.db.db,
        sql`select * from activity_events where actor_type = 'hologram_actor'`,
      )
    )[0]!;
    expect(holo).toMatchObject({
      actor_id: 'user_01Bob',
      raw: expect.objectContaining({ actor: { type: 'hologram_actor', hologram_id: 'h1', user_id: 'user_01Bob' } }),
    });
    const byType = new Map(
      (
        await rows<{ actor_type: string; actor_id: string | null }>(
          rig.db.db,
          sql`select distinct actor_type, actor_id from activity_events`,
        )
      ).map((x) => [`${x.actor_type}:${x.actor_id}`, true]),
    );
    for (const k of [
      'user_actor:user_01Alice',
      'api_actor:apikey_01Key',
      'admin_api_key_actor:apikey_01Admin',
      'service_account_actor:svac_01Bot',
      'scim_directory_sync_actor:directory_01',
      'anthropic_actor:null',
    ]) {
      expect(byType.has(k), k).toBe(true);
    }

    // Roll-ups: every principal an activity names is credited, per UTC day.
    const actual = await rollups();
    expectRollupsMatch(actual, expectedRollups(feed.all()));
    const day = new Date(NOW.getTime() - 23 * HOUR).toISOString().slice(0, 10);
    expect(actual.get(`apikey_01Key|${day}`)?.type).toBe('api_key');
    expect(actual.get(`svac_01Bot|${new Date(NOW.getTime() - 27 * HOUR).toISOString().slice(0, 10)}`)?.type).toBe(
      'service_account',
    );
    expect(actual.get(`apikey_01Admin|${new Date(NOW.getTime() - 28 * HOUR).toISOString().slice(0, 10)}`)?.type).toBe(
      'admin_api_key',
    );
    // Admin events (invites, role changes, key updates; not chats or sign-ins) were checked per day above.
    const { admin } = await one<{ admin: number }>(
      rig.db.db,
      sql`select sum(admin_events)::int as admin from principal_activity_daily`,
    );
    expect(admin).toBeGreaterThan(10);

    // The correlation triggers ran off the same writes.
    expect(await count('principal_activity_summary')).toBe(
      new Set([...actual.keys()].map((k) => k.split('|')[0])).size,
    );
    expect(await count('privilege_grants')).toBeGreaterThanOrEqual(2);

    // Progress: a catch-up reports how much of the window is done and an ETA.
    const catchup = progress.filter((p) => p.phase === 'catch-up');
    expect(catchup.length).toBeGreaterThan(3);
    expect(catchup.at(-1)?.fraction).toBe(1);
    expect(catchup.some((p) => p.etaSeconds !== undefined && p.fraction! > 0 && p.fraction! < 1)).toBe(true);
    // The window ends at least a minute before now, and only one cursor is sent at a time.
    for (const c of rig.sim.calls.byOp('compliance.activities')) {
      expect(Date.parse(String(c.query['created_at.lt']))).toBeLessThanOrEqual(NOW.getTime() - 60_000);
      expect(c.auth.scheme).toBe('x-api-key');
      expect(c.headers['anthropic-version']).toBe('2023-06-01');
      expect(['1', '50']).toContain(c.query['limit']);
    }
    expect(rig.sim.calls.byOp('compliance.activities').filter((c) => c.query['limit'] === '1')).toHaveLength(PROBES);
    expect(rig.logLines.join('')).not.toContain(rig.sim.config.complianceKey);
  });

  it('catches late-indexed activities in the overlap window and stores re-polled ones once', async () => {
    rig = await startRig();
    const feed = seedFeed(rig.sim);
    await rig.service(small).run({ sources: ['activities'] });
    const before = await rollups();

    // An hour later: new activity, plus one created before the last pass ended but only
    // indexed now (inside the 10-minute overlap); one created before the overlap is lost
    // to incremental polling by design.
    const later = new Date(NOW.getTime() + HOUR);
    rig.sim.clock.set(later);
    const lateOk = rig.sim.state.addActivity(
      { type: 'claude_chat_created', actor: bob, created_at: NOW.getTime() - 3 * 60_000 },
      { visibleAt: later.getTime() - 30 * 60_000 },
    );
    const fresh = rig.sim.state.addActivity({
      type: 'claude_chat_created',
      actor: alice,
      created_at: later.getTime() - 10 * 60_000,
    });
    // Activities already stored that are re-read in the overlap: the last few minutes before the previous end.
    const overlapDupes = rig.sim.state.addActivity({
      type: 'claude_chat_viewed',
      actor: alice,
      created_at: NOW.getTime() - 5 * 60_000,
    });
    const r1 = await rig.service({ ...small, now: () => later }).run({ sources: ['activities'] });
    expect(r1.sources[0]).toMatchObject({ status: 'succeeded', counts: { passes: 1, inserted: 3 } });
    const stored = new Set(
      (await rows<{ id: string }>(rig.db.db, sql`select id from activity_events`)).map((x) => x.id),
    );
    for (const x of [lateOk, fresh, overlapDupes]) expect(stored.has(x.id)).toBe(true);

    // Run again at the same time: the overlap is re-read, nothing is new, nothing is counted twice.
    const r2 = await rig.service({ ...small, now: () => later }).run({ sources: ['activities'] });
    expect(r2.sources[0]?.counts).toMatchObject({ inserted: 0 });
    // Incremental passes store carefully from the start: no batch had to be redone.
    expect(r2.sources[0]!.counts['batches_redone']).toBeUndefined();
    expect(r2.sources[0]!.counts['fetched']).toBeGreaterThanOrEqual(1);
    expectRollupsMatch(await rollups(), expectedRollups([...feed.all(), lateOk, fresh, overlapDupes]));
    expect(before.size).toBeGreaterThan(0);
  });

  it('stores redelivered activities once and counts them once', async () => {
    rig = await startRig({ feed: { redeliver: { count: 7, everyNthPage: 1 } } });
    const feed = seedFeed(rig.sim, { synthetic: 400, days: 3 });
    const r = await rig.service(small).run({ sources: ['activities'] });
    const c = r.sources[0]!.counts;
    expect(c['duplicates']).toBeGreaterThan(20);
    // The catch-up's first batch met a re-sent activity in fast mode: it was read again
    // and stored skipping stored ones, as was the rest of the pass (the incremental pass
    // that follows is careful from the start).
    expect(c['batches_redone']).toBe(1);
    expect(c['inserted']).toBe(411);
    expect(await count('activity_events')).toBe(411);
    expectRollupsMatch(await rollups(), expectedRollups(feed.all()));
  });

  it('honours 429 retry-after, retries 500s and hung requests, and gives up when told not to retry', async () => {
    rig = await startRig();
    seedFeed(rig.sim, { synthetic: 200, days: 2 });
    rig.sim.faults.add({ op: 'compliance.activities', kind: 'rate_limit', retryAfter: 1, after: 1 });
    rig.sim.faults.add({ op: 'compliance.activities', kind: 'server_error', after: 3, times: 2 });
    rig.sim.faults.add({ op: 'compliance.activities', kind: 'hang', after: 6 });
    const t0 = Date.now();
    const r = await rig.service({ ...small, feed: { timeoutMs: 400 } }).run({ sources: ['activities'] });
    expect(r.sources[0]).toMatchObject({ status: 'succeeded', counts: { inserted: 211 } });
    const calls = rig.sim.calls.byOp('compliance.activities');
    const i429 = calls.findIndex((c) => c.status === 429);
    expect(i429).toBeGreaterThanOrEqual(0);
    expect(Date.parse(calls[i429 + 1]!.at) - Date.parse(calls[i429]!.at)).toBeGreaterThanOrEqual(950);
    expect(calls.filter((c) => c.fault === 'server_error')).toHaveLength(2);
    expect(calls.filter((c) => c.fault === 'hang')).toHaveLength(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(await count('activity_events')).toBe(211);

    // x-should-retry: false is final.
    rig.sim.faults.clear();
    rig.sim.faults.add({ op: 'compliance.activities', kind: 'server_error', shouldRetry: false });
    const before = rig.sim.calls.byOp('compliance.activities').length;
    const r2 = await rig
      .service({ ...small, now: () => new Date(NOW.getTime() + HOUR) })
      .run({ sources: ['activities'] });
    expect(r2.sources[0]).toMatchObject({ status: 'failed', error: { code: 'anthropic_unavailable', retry: false } });
    expect(rig.sim.calls.byOp('compliance.activities').length - before).toBe(1);
  });

  // A body that is not JSON is retried like any transient fault (test/sync/feed-faults.test.ts); only
  // when it keeps coming is the source failed. A page of the wrong shape is final at once.
  it.each(['invalid_json', 'wrong_shape'] as const)(
    'refuses a malformed page (%s, every time) with a clear error, writing nothing of it; the rerun completes',
    async (malformed) => {
      rig = await startRig();
      const feed = seedFeed(rig.sim, { synthetic: 300, days: 2 });
      const fault = rig.sim.faults.add({
        op: 'compliance.activities',
        kind: 'malformed',
        malformed,
        after: PROBES + 3,
        times: Infinity,
      });
      const r = await rig.service(small).run({ sources: ['activities'] });
      // Asked again by the client's retry loop (3 retries in this rig) only when it was not JSON.
      expect(fault.fired).toBe(malformed === 'invalid_json' ? 4 : 1);
      fault.remove();
      const a = r.sources[0]!;
      expect(a.status).toBe('failed');
      expect(a.error?.code).toBe('anthropic_malformed_response');
      expect(a.error?.message).toMatch(
        malformed === 'invalid_json' ? /not valid JSON/ : /wrong shape \(request-id req_\w+\): data: .*has_more/,
      );
      // Batches of two pages: the fourth page broke the second batch, so only the first is stored.
      expect(await count('activity_events')).toBe(100);
      const [cp] = await rows<{ cursor: { pass: { after_id: string } } }>(
        rig.db.db,
        sql`select cursor from sync_checkpoints where source = 'activities'`,
      );
      expect(cp?.cursor.pass.after_id).toBeTruthy();

      const r2 = await rig.service(small).run({ sources: ['activities'] });
      expect(r2.sources[0]).toMatchObject({ status: 'succeeded', counts: { inserted: 211 } });
      expect(r2.sources[0]?.notes.join()).toMatch(/resumed a catchup pass/);
      expectRollupsMatch(await rollups(), expectedRollups(feed.all()));
    },
  );

  it('writes nothing of a batch whose transaction fails, then resumes', async () => {
    rig = await startRig();
    const feed = seedFeed(rig.sim, { synthetic: 300, days: 2 });
    // A roll-up write that fails on the second batch, after the events of that batch were inserted.
    await rig.db.db.execute(sql`create table fail_once (n int)`);
    await rig.db.db.execute(sql`insert into fail_once values (0)`);
    await rig.db.db.execute(
      sql.raw(`create function fail_second() returns trigger language plpgsql as $$
      begin update fail_once set n = n + 1; if (select n from fail_once) = 2 then raise exception 'disk on fire'; end if; return null; end $$`),
    );
    await rig.db.db.execute(
      sql`create trigger fail_second after insert on principal_activity_daily for each statement execute function fail_second()`,
    );
    const r = await rig.service(small).run({ sources: ['activities'] });
    expect(r.sources[0]).toMatchObject({ status: 'failed', error: { code: 'sync_failed' } });
    expect(r.sources[0]?.error?.message).toMatch(/disk on fire/);
    expect(await count('activity_events')).toBe(100);
    await rig.db.db.execute(sql`drop trigger fail_second on principal_activity_daily`);
    const r2 = await rig.service(small).run({ sources: ['activities'] });
    expect(r2.sources[0]?.status).toBe('succeeded');
    expect(await count('activity_events')).toBe(311);
    expectRollupsMatch(await rollups(), expectedRollups(feed.all()));
  });

  it('keeps the window of an interrupted catch-up when it resumes later', async () => {
    rig = await startRig();
    seedFeed(rig.sim, { synthetic: 300, days: 2 });
    let batches = 0;
    const r = await rig.service(small).run({
      sources: ['activities'],
      onProgress() {
        if (++batches === 2) throw new Error('killed');
      },
    });
    expect(r.sources[0]?.status).toBe('failed');
    const [cp] = await rows<{ cursor: { pass: { lt: string; kind: string } } }>(
      rig.db.db,
      sql`select cursor from sync_checkpoints where source = 'activities'`,
    );
    expect(cp?.cursor.pass).toMatchObject({ kind: 'catchup', lt: '2026-11-20T11:59:00Z' });
    // Resumed a day later: the catch-up finishes with its original bound, then an incremental pass covers the day.
    const later = new Date(NOW.getTime() + DAY);
    rig.sim.clock.set(later);
    const more = rig.sim.state.addActivity({
      type: 'claude_chat_created',
      actor: actors.user('user_01Cy', 'cy@example.com'),
      created_at: NOW.getTime() + HOUR,
    });
    const r2 = await rig.service({ ...small, now: () => later }).run({ sources: ['activities'] });
    expect(r2.sources[0]).toMatchObject({ status: 'succeeded', counts: { passes: 2 } });
    const queries = rig.sim.calls.byOp('compliance.activities').map((c) => c.query['created_at.lt']);
    expect(queries).toContain('2026-11-20T11:59:00Z');
    expect(queries.at(-1)).toBe('2026-11-21T11:59:00Z');
    expect((await rows(rig.db.db, sql`select 1 from activity_events where id = ${more.id}`)).length).toBe(1);
    expect(await count('activity_events')).toBe(312);
  });
});
