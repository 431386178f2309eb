import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createCorrelationService } from '../../src/correlate/service.js';
import { createLogger } from '../../src/log.js';
import { DAY } from './feed-fixtures.js';
import { NOW, one, policyWith, rows, startRig, type SyncRig } from './helpers.js';

/**
 * Issue 13 item 7, end to end through the SDK against the simulator: the first seat-usage sync
 * asks `analytics.users` once with `starting_date`/`ending_date` for every member's
 * `last_activity_date` over the year, then reads per day only the evidence window (90 days)
 * instead of 365 days; a seat idle for longer than that window is known idle since its real last
 * day. Later syncs go on per day from the checkpoint. Without `last_activity_date` the per-day
 * reads cover the whole backfill as before; a fault in the ranged walk is retried or resumed.
 */
let rig: SyncRig;
afterEach(async () => rig?.close());

const day = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY).toISOString().slice(0, 10);

async function seed(opts: { lastActivityReporting?: boolean } = {}) {
  rig = await startRig({ orgType: 'enterprise', analyticsUsers: opts });
  const s = rig.sim.state;
  const added = NOW.getTime() - 300 * DAY;
  const carl = s.addUser({ email: 'carl@example.com', addedAt: added });
  const dana = s.addUser({ email: 'dana@example.com', addedAt: added });
  const eve = s.addUser({ email: 'eve@example.com', addedAt: added });
  // Carl last used his seat 200 days ago, far beyond the per-day window; Dana uses hers.
  s.addUserActivity({ userId: carl.id, date: day(200), chatMessages: 5 });
  s.addUserActivity({ userId: dana.id, date: day(40), chatMessages: 2 });
  s.addUserActivity({ userId: dana.id, date: day(3), chatMessages: 7 });
  // The directory, so correlation knows the members.
  await rig.service().run({ sources: ['directory'] });
  return { carl, dana, eve };
}

const ranged = () => rig.sim.calls.byOp('analytics.users').filter((c) => c.query['starting_date'] !== undefined);
const perDayCalls = () => rig.sim.calls.byOp('analytics.users').filter((c) => c.query['date'] !== undefined);

async function lastUsageDay(id: string): Promise<string | null> {
  const r = await one<{ d: string | null }>(
    rig.db.db,
    sql`select last_usage_day::text as d from principal_activity_summary where principal_id = ${id}`,
  );
  return r.d;
}

describe('seat activity in one ranged call', { timeout: 180_000 }, () => {
  it('first sync: one ranged walk for the year, per-day reads for 90 days only; dormancy beyond them is known', async () => {
    const { carl, dana, eve } = await seed();
    const r = await rig.service().run({ sources: ['seat_usage'] });
    expect(r.sources[0]).toMatchObject({
      status: 'succeeded',
      counts: { range_members_read: 3, last_active_days: 2, days: 90 },
    });
    expect(ranged().map((c) => [c.query['starting_date'], c.query['ending_date']])).toEqual([['2026-01-01', day(0)]]);
    expect(perDayCalls()).toHaveLength(90);
    expect(perDayCalls().map((c) => c.query['date'])).not.toContain(day(200));

    // Carl's last day comes from the range alone (count unknown: 1, no metrics); Dana's days are real.
    const stored = await rows<{ user_id: string; day: string; actions: number; metrics: unknown }>(
      rig.db.db,
      sql`select user_id, day::text as day, actions, metrics from seat_usage_daily order by day`,
    );
    expect(stored.map((x) => [x.user_id, x.day, x.actions, x.metrics === null])).toEqual([
      [carl.id, day(200), 1, true],
      [dana.id, day(40), 2, false],
      [dana.id, day(3), 7, false],
    ]);
    expect(await lastUsageDay(carl.id)).toBe(day(200));
    expect(await lastUsageDay(dana.id)).toBe(day(3));

    const c = await createCorrelationService({
      db: rig.db.db,
      logger: createLogger({ level: 'silent' }),
      policy: policyWith(''),
      now: () => NOW,
    }).correlate({});
    const dormant = new Map(c.findings.filter((f) => f.kind === 'dormant_seat').map((f) => [f.subject.id, f]));
    expect([...dormant.keys()].sort()).toEqual([carl.id, eve.id].sort());
    expect(dormant.get(carl.id)!.evidence.rule).toMatch(/^No activity for 200 days/);
    expect(dormant.get(eve.id)!.evidence.rule).toMatch(/^No activity on record since joining 300 days ago/);

    // The next sync goes on per day from the checkpoint, with no ranged walk.
    const again = await rig.service().run({ sources: ['seat_usage'] });
    expect(again.sources[0]?.status).toBe('succeeded');
    expect(ranged()).toHaveLength(1);
  });

  it('reads per day over the whole backfill where last_activity_date is not reported', async () => {
    const { carl } = await seed({ lastActivityReporting: false });
    const r = await rig.service({ policy: policyWith('sync:\n  usage_backfill_days: 120\n') }).run({
      sources: ['seat_usage'],
    });
    expect(r.sources[0]).toMatchObject({ status: 'succeeded', counts: { range_members_read: 3, days: 120 } });
    expect(r.sources[0]?.notes).toContain(
      'seat analytics do not report last_activity_date here: read day by day over the backfill',
    );
    expect(ranged()).toHaveLength(1);
    // Beyond the backfill nothing is known of Carl, as before.
    expect(await lastUsageDay(carl.id).catch(() => null)).toBeNull();
  });

  it('retries a 500 on the ranged walk; a persistent failure fails the run and the next one starts over', async () => {
    const { carl } = await seed();
    rig.sim.faults.add({ op: 'analytics.users', kind: 'server_error' });
    const r = await rig.service().run({ sources: ['seat_usage'] });
    expect(r.sources[0]?.status).toBe('succeeded');
    expect(ranged()).toHaveLength(2);
    expect(await lastUsageDay(carl.id)).toBe(day(200));

    await rig.db.db.execute(sql`delete from sync_checkpoints where source = 'seat_usage'`);
    await rig.db.db.execute(sql`delete from seat_usage_daily`);
    rig.sim.faults.add({ op: 'analytics.users', kind: 'server_error', times: Infinity });
    const failed = await rig.service().run({ sources: ['seat_usage'] });
    expect(failed.sources[0]?.status).toBe('failed');
    expect(await rows(rig.db.db, sql`select * from seat_usage_daily`)).toEqual([]);
    expect(await rows(rig.db.db, sql`select * from sync_checkpoints where source = 'seat_usage'`)).toEqual([]);

    rig.sim.faults.clear();
    const resumed = await rig.service().run({ sources: ['seat_usage'] });
    expect(resumed.sources[0]).toMatchObject({ status: 'succeeded', counts: { last_active_days: 2, days: 90 } });
    expect(await rows(rig.db.db, sql`select * from seat_usage_daily where user_id = ${carl.id}`)).toHaveLength(1);
  });

  it('an organisation without seat analytics: one 404 on the ranged call, "not available", nothing stored', async () => {
    rig = await startRig({ orgType: 'api' });
    const r = await rig.service().run({ sources: ['seat_usage'] });
    expect(r.sources[0]).toMatchObject({ status: 'not_available' });
    expect(r.sources[0]?.notes.join()).toMatch(/not available.*HTTP 404/);
    expect(rig.sim.calls.byOp('analytics.users')).toHaveLength(1);
    expect(await rows(rig.db.db, sql`select * from sync_checkpoints where source = 'seat_usage'`)).toEqual([]);
  });
});
