import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { createTestDatabase, withDatabase, type TestDatabase } from '../helpers/db.js';
import { migrationsBefore } from '../helpers/migrations.js';
import { DAY, HOUR, seedFeed } from '../sync/feed-fixtures.js';
import { NOW, snapshot, startRig, type SyncRig } from '../sync/helpers.js';

/**
 * Issue 17: `activity_catchup_windows` gains `feed` (the checkpoint its pass belongs to) and
 * is keyed by (feed, gte). A database caught mid-catch-up by the upgrade keeps its windows
 * (they are the `activities` feed's) and the next sync resumes them, ending with exactly the
 * rows of one uninterrupted run.
 */
const FIRST_MIGRATION = '0027_activity_windows_feed_column';

/** A database migrated up to (not including) `tag`, as a TestDatabase. */
async function databaseBefore(tag: string): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  const folder = migrationsBefore(tag);
  if (!adminUrl) {
    const database = await openDatabase({});
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
    return { ...database, url: undefined, destroy: () => database.close() };
  }
  const name = `steward_up_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url, max: 10 });
  await migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder: folder });
  return {
    ...database,
    url,
    async destroy() {
      await database.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const dbs: TestDatabase[] = [];
const rigs: SyncRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
  for (const d of dbs.splice(0)) await d.destroy();
});

async function stored(db: TestDatabase) {
  const { sync_checkpoints: _c, activity_catchup_windows: _w, ...rest } = await snapshot(db.db);
  return rest;
}

describe('upgrading a database in the middle of a windowed catch-up', { timeout: 120_000 }, () => {
  it("keeps its windows as the `activities` feed's, and the next sync resumes them", async () => {
    const old = await databaseBefore(FIRST_MIGRATION);
    dbs.push(old);
    // The state a windowed catch-up leaves when it is stopped before any window was read.
    const gte = iso(NOW.getTime() - 365 * DAY);
    const mid = iso(NOW.getTime() - 2 * DAY);
    const lt = iso(NOW.getTime() - HOUR);
    const pass = {
      kind: 'catchup',
      gte,
      lt,
      after_id: null,
      oldest_at: null,
      data_from: iso(NOW.getTime() - 4 * DAY),
      windows: true,
    };
    await old.db.execute(sql`insert into sync_checkpoints (source, cursor, updated_at)
      values ('activities', ${JSON.stringify({ v: 1, high_water: null, pass })}::jsonb, ${NOW.toISOString()})`);
    await old.db.execute(sql`insert into activity_catchup_windows (gte, lt, updated_at)
      values (${mid}, ${lt}, ${NOW.toISOString()}), (${gte}, ${mid}, ${NOW.toISOString()})`);

    await migrateDatabase(old);
    const windows = await queryRows<{ feed: string; gte: string }>(
      old.db,
      sql`select feed, gte from activity_catchup_windows order by gte`,
    );
    expect(windows).toEqual([
      { feed: 'activities', gte },
      { feed: 'activities', gte: mid },
    ]);
    // Keyed by (feed, gte): another feed may have a window starting at the same time.
    await old.db.execute(
      sql`insert into activity_catchup_windows (feed, gte, lt) values ('activities@org-b', ${gte}, ${mid})`,
    );
    await expect(
      old.db.execute(sql`insert into activity_catchup_windows (feed, gte, lt) values ('activities', ${gte}, ${mid})`),
    ).rejects.toThrow(/activity_catchup_windows_pk|duplicate key|Failed query/);
    await old.db.execute(sql`delete from activity_catchup_windows where feed = 'activities@org-b'`);

    const rig = await startRig({}, old);
    rigs.push(rig);
    seedFeed(rig.sim, { synthetic: 200, days: 3 });
    const r = await rig.service({ activityPageSize: 50, activityBatchSize: 100 }).run({ sources: ['activities'] });
    expect(r.sources[0]).toMatchObject({ status: 'succeeded' });
    expect(r.sources[0]?.notes.join(' ')).toMatch(/resumed a windowed catch-up/);
    expect(await queryRows(old.db, sql`select * from activity_catchup_windows`)).toEqual([]);

    // The same feed read by one uninterrupted run on a fresh database: the same rows.
    const fresh = await createTestDatabase();
    dbs.push(fresh);
    const reference = await rig
      .service({ db: fresh.db, activityPageSize: 50, activityBatchSize: 100 })
      .run({ sources: ['activities'] });
    expect(reference.sources[0]?.status).toBe('succeeded');
    expect(await stored(old)).toEqual(await stored(fresh));
  });
});
