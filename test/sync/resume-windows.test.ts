import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../src/sim/anthropic/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { seedFeed } from './feed-fixtures.js';
import { policyWith, rows, snapshot, startRig, type SyncRig } from './helpers.js';

/**
 * Kill-and-resume equality for a catch-up read as parallel windows (issue 21): a run that
 * dies part-way — killed between batches, the feed failing for good, the database failing
 * inside a batch — followed by a rerun leaves exactly the rows of one uninterrupted run
 * that read the range with one cursor, on a fresh database (every table sync writes,
 * compared in full). Windows finished before the interruption are not read again; the
 * others resume from their own stored cursors.
 */
let rig: SyncRig;
const extra: TestDatabase[] = [];
afterEach(async () => {
  await rig?.close();
  for (const d of extra.splice(0)) await d.destroy();
});

const opts = { activityPageSize: 40, activityBatchSize: 80, feed: { maxRetries: 1 } };
const sequential = policyWith('sync:\n  catchup_parallel: 1\n');
const parallel = policyWith('sync:\n  catchup_parallel: 3\n');

interface WindowRow extends Record<string, unknown> {
  gte: string;
  after_id: string | null;
  done: boolean;
}

async function interruptedThenResumed(fault: FaultSpec | 'kill' | 'db') {
  if (fault === 'db') {
    // The third roll-up statement fails, after its batch's events were inserted.
    await rig.db.db.execute(sql`create table _fail (n int)`);
    await rig.db.db.execute(sql`insert into _fail values (0)`);
    await rig.db.db.execute(
      sql.raw(`create function _fail_third() returns trigger language plpgsql as $$
        begin update _fail set n = n + 1; if (select n from _fail) = 3 then raise exception 'simulated crash inside the batch'; end if; return null; end $$`),
    );
    await rig.db.db.execute(
      sql`create trigger _fail_third after insert on principal_activity_daily for each statement execute function _fail_third()`,
    );
  } else if (fault !== 'kill') rig.sim.faults.add(fault);
  let batches = 0;
  const first = await rig.service({ ...opts, policy: parallel }).run({
    sources: ['activities'],
    onProgress() {
      if (fault === 'kill' && ++batches === 3) throw new Error('killed');
    },
  });
  expect(first.sources[0]?.status).toBe('failed');
  rig.sim.faults.clear();
  if (fault === 'db') {
    await rig.db.db.execute(sql`drop trigger _fail_third on principal_activity_daily`);
    await rig.db.db.execute(sql`drop table _fail`);
    await rig.db.db.execute(sql`drop function _fail_third()`);
  }
  const left = await rows<WindowRow>(
    rig.db.db,
    sql`select gte, after_id, done_at is not null as done from activity_catchup_windows order by gte`,
  );
  const before = rig.sim.calls.byOp('compliance.activities').length;
  const second = await rig.service({ ...opts, policy: parallel }).run({ sources: ['activities'] });
  expect(second.sources[0]?.status).toBe('succeeded');
  expect(second.sources[0]?.notes.join()).toMatch(/resumed a windowed catch-up/);
  const rerun = rig.sim.calls.byOp('compliance.activities').slice(before);
  return { left, rerun, rows: await snapshot(rig.db.db) };
}

const cases: Array<[string, FaultSpec | 'kill' | 'db']> = [
  ['a kill between batches', 'kill'],
  // The first rounds of one-activity requests find where the history starts; pages follow.
  [
    'the feed failing for good mid-way',
    { op: 'compliance.activities', kind: 'server_error', after: 28, times: Infinity },
  ],
  ['the database failing inside a batch', 'db'],
];

describe('kill and resume, parallel windows', { timeout: 180_000 }, () => {
  it.each(cases)('%s, then a rerun, equals one uninterrupted sequential run', async (_what, fault) => {
    rig = await startRig({ feed: { redeliver: { count: 3, everyNthPage: 2 } } });
    seedFeed(rig.sim, { synthetic: 900, days: 4 });
    const reference = await createTestDatabase();
    extra.push(reference);
    const one = await rig.service({ ...opts, db: reference.db, policy: sequential }).run({ sources: ['activities'] });
    expect(one.sources[0]?.status).toBe('succeeded');
    const expected = await snapshot(reference.db);
    const before = rig.sim.calls.byOp('compliance.activities').length;

    const { left, rerun, rows: actual } = await interruptedThenResumed(fault);
    expect(rig.sim.calls.byOp('compliance.activities').length).toBeGreaterThan(before);
    for (const table of Object.keys(expected))
      expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
    expect(expected['activity_events']!.length).toBeGreaterThan(900);

    // The interruption left the catch-up's windows behind, some of them part-read…
    expect(left.length).toBe(4);
    expect(left.some((w) => w.done || w.after_id !== null)).toBe(true);
    // …and the rerun read each from where it stopped: none that was done, and every
    // part-read one first from its stored cursor.
    const pages = rerun.filter((c) => c.query['limit'] === '40');
    const firstRead = left.map((w) => {
      const mine = pages.filter((c) => c.query['created_at.gte'] === w.gte);
      return { gte: w.gte, requests: mine.length > 0, from: mine[0]?.query['after_id'] ?? null };
    });
    expect(firstRead).toEqual(
      left.map((w) =>
        w.done ? { gte: w.gte, requests: false, from: null } : { gte: w.gte, requests: true, from: w.after_id },
      ),
    );
  });
});
