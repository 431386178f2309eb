import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../src/sim/anthropic/index.js';
import { seedOrganization } from '../../src/sim/anthropic/index.js';
import type { SourceName } from '../../src/sync/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { seedFeed } from './feed-fixtures.js';
import { NOW, policyWith, snapshot, startRig, type ServiceOverrides, type SyncRig } from './helpers.js';

/**
 * Kill-and-resume equality: for each source, a run that dies part-way (the API failing
 * for good mid-stream, a kill between batches, or the database failing inside a batch)
 * followed by a rerun must leave exactly the rows an uninterrupted run leaves on a
 * second fresh database — every row of every table sync writes, compared in full.
 */
let rig: SyncRig;
const extra: TestDatabase[] = [];
afterEach(async () => {
  await rig?.close();
  for (const d of extra.splice(0)) await d.destroy();
});

const opts: ServiceOverrides = {
  activityPageSize: 40,
  activityBatchSize: 80,
  directoryBatchSize: 10,
  admin: { pageSize: 7, maxRetries: 1 },
  feed: { maxRetries: 1 },
};

// Six weeks of history keeps seat analytics (one request per day) quick.
const seatPolicy = policyWith('sync:\n  usage_backfill_days: 42\n');
// One cursor, so the faults below land where their names say; resume-windows.test.ts
// interrupts a catch-up read as parallel windows.
const sequentialFeed = policyWith('sync:\n  catchup_parallel: 1\n');

async function seeded(): Promise<SyncRig> {
  const r = await startRig({
    orgType: 'enterprise',
    serviceAccountsAcceptAdminKey: true,
    feed: { redeliver: { count: 3, everyNthPage: 2 } },
  });
  seedOrganization(r.sim.state, NOW.getTime(), {
    users: 24,
    apiKeys: 40,
    invites: 9,
    serviceAccounts: 4,
    usageDays: 80,
    departedUsers: 3,
  });
  for (const u of [...r.sim.state.users.values()].slice(0, 6)) {
    for (let d = 1; d <= 12; d++)
      r.sim.state.addUserActivity({
        userId: u.id,
        date: new Date(NOW.getTime() - d * 86_400_000).toISOString().slice(0, 10),
        chatMessages: d,
      });
  }
  seedFeed(r.sim, { synthetic: 900, days: 4 });
  return r;
}

function service(source: SourceName, over: ServiceOverrides = {}) {
  const policy = source === 'seat_usage' ? seatPolicy : source === 'activities' ? sequentialFeed : undefined;
  return rig.service({ ...opts, ...(policy ? { policy } : {}), ...over });
}

/** The reference: one uninterrupted run of the source on its own fresh database. */
async function reference(source: SourceName): Promise<Record<string, string[]>> {
  const db = await createTestDatabase();
  extra.push(db);
  const r = await service(source, { db: db.db }).run({ sources: [source] });
  expect(r.sources[0]?.status).toBe('succeeded');
  return snapshot(db.db);
}

async function interruptedThenResumed(
  source: SourceName,
  fault: FaultSpec | 'kill' | 'db',
): Promise<Record<string, string[]>> {
  let killed = false;
  if (fault === 'db') {
    await rig.db.db.execute(sql`create table _fail (n int)`);
    await rig.db.db.execute(sql`insert into _fail values (0)`);
    await rig.db.db.execute(
      sql.raw(`create function _fail_third() returns trigger language plpgsql as $$
        begin update _fail set n = n + 1; if (select n from _fail) = 3 then raise exception 'simulated crash inside the batch'; end if; return null; end $$`),
    );
    for (const t of [
      'activity_events',
      'principal_activity_daily',
      'key_usage_daily',
      'seat_usage_daily',
      'api_keys',
    ]) {
      await rig.db.db.execute(
        sql.raw(`create trigger _fail_third after insert on ${t} for each statement execute function _fail_third()`),
      );
    }
  } else if (fault !== 'kill') rig.sim.faults.add(fault);
  let batches = 0;
  const first = await service(source).run({
    sources: [source],
    onProgress() {
      if (fault === 'kill' && ++batches === 3) {
        killed = true;
        throw new Error('killed');
      }
    },
  });
  expect(first.sources[0]?.status).toBe('failed');
  expect(killed).toBe(fault === 'kill');
  rig.sim.faults.clear();
  if (fault === 'db') {
    for (const t of ['activity_events', 'principal_activity_daily', 'key_usage_daily', 'seat_usage_daily', 'api_keys'])
      await rig.db.db.execute(sql.raw(`drop trigger _fail_third on ${t}`));
    await rig.db.db.execute(sql`drop table _fail`);
    await rig.db.db.execute(sql`drop function _fail_third()`);
  }
  const second = await service(source).run({ sources: [source] });
  expect(second.sources[0]?.status).toBe('succeeded');
  return snapshot(rig.db.db);
}

const cases: Array<[SourceName, string, FaultSpec | 'kill' | 'db']> = [
  [
    'directory',
    'API keys failing for good on page 3',
    { op: 'apiKeys.list', kind: 'server_error', after: 2, times: Infinity },
  ],
  [
    'directory',
    'workspace members failing mid-way',
    { op: 'workspaces.members.list', kind: 'overloaded', after: 2, times: Infinity },
  ],
  ['directory', 'a kill between batches', 'kill'],
  ['directory', 'the database failing inside a batch', 'db'],
  // The catch-up's first 9 requests find where the history starts (for the ETA); pages follow.
  [
    'activities',
    'the feed failing for good while finding where the history starts',
    { op: 'compliance.activities', kind: 'server_error', after: 4, times: Infinity },
  ],
  [
    'activities',
    'the feed failing for good on page 2',
    { op: 'compliance.activities', kind: 'server_error', after: 10, times: Infinity },
  ],
  [
    'activities',
    'the feed failing for good on page 9',
    { op: 'compliance.activities', kind: 'server_error', after: 17, times: Infinity },
  ],
  // Malformed until cleared: pages are read ahead and a batch may be read again (after a
  // re-sent activity), so a one-off bad page could be fetched and never used.
  [
    'activities',
    'a malformed page on page 6',
    { op: 'compliance.activities', kind: 'malformed', malformed: 'wrong_shape', after: 14, times: Infinity },
  ],
  ['activities', 'a kill between batches', 'kill'],
  ['activities', 'the database failing inside a batch', 'db'],
  [
    'key_usage',
    'the usage report failing for good on request 4',
    { op: 'analytics.usage', kind: 'server_error', after: 3, times: Infinity },
  ],
  ['key_usage', 'a kill between batches', 'kill'],
  ['key_usage', 'the database failing inside a batch', 'db'],
  [
    'seat_usage',
    'seat analytics failing for good on request 5',
    { op: 'analytics.users', kind: 'server_error', after: 4, times: Infinity },
  ],
  ['seat_usage', 'a kill between batches', 'kill'],
  ['seat_usage', 'the database failing inside a batch', 'db'],
];

describe('kill and resume', { timeout: 180_000 }, () => {
  it.each(cases)('%s: %s, then a rerun, equals an uninterrupted run', async (source, _what, fault) => {
    rig = await seeded();
    const expected = await reference(source);
    const actual = await interruptedThenResumed(source, fault);
    for (const table of Object.keys(expected))
      expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
    // Something was actually written by each source.
    const written = Object.entries(expected).filter(([t, r]) => t !== 'sync_checkpoints' && r.length > 0);
    expect(written.length).toBeGreaterThan(0);
  });
});
