import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RollupAccumulator } from '../../src/sync/activities/rollup.js';
import {
  isUniqueViolation,
  PageWriter,
  preparePage,
  upsertRollups,
  type PreparedPage,
  type WriteMode,
} from '../../src/sync/activities/write.js';
import type { Tx } from '../../src/db/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { rows } from './helpers.js';

let t: TestDatabase;
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t.destroy());

const act = (id: string, at: string, type = 'claude_chat_viewed') => ({
  id,
  created_at: at,
  type,
  actor: { type: 'user_actor', user_id: 'u1', email_address: 'u1@example.com' },
});
const NOW = new Date('2026-11-20T12:00:00Z');

/** One page through a writer of its own, as a batch of one page is stored. */
async function insertPage(
  tx: Tx,
  page: PreparedPage,
  now: Date,
  acc: RollupAccumulator,
  mode: WriteMode = 'careful',
): Promise<number> {
  const writer = new PageWriter(tx, () => now, acc, mode);
  return (await writer.write(page)) + (await writer.flush());
}

describe('storing activity pages', { timeout: 60_000 }, () => {
  it('stores a repeat within a page, across pages of a batch, and across batches once, and counts it once', async () => {
    const a = act('a1', '2026-11-01T10:00:00Z');
    const b = act('a2', '2026-11-01T11:00:00.250Z', 'org_user_invite_sent');
    const c = act('a3', '2026-11-02T09:00:00Z');
    await t.db.transaction(async (tx) => {
      const acc = new RollupAccumulator();
      expect(await insertPage(tx, preparePage([a, b, a]), NOW, acc)).toBe(2);
      expect(await insertPage(tx, preparePage([b, c]), NOW, acc)).toBe(1);
      expect(await upsertRollups(tx, acc)).toBe(2);
    });
    await t.db.transaction(async (tx) => {
      const acc = new RollupAccumulator();
      expect(await insertPage(tx, preparePage([c, a]), NOW, acc)).toBe(0);
      expect(await upsertRollups(tx, acc)).toBe(0);
    });
    const daily = await rows<Record<string, unknown>>(
      t.db,
      sql`select principal_id, day::text as day, principal_type, events, admin_events, first_at, last_at, last_type from principal_activity_daily order by day`,
    );
    expect(daily.map((d) => [d.day, d.events, d.admin_events, d.last_type])).toEqual([
      ['2026-11-01', 2, 1, 'org_user_invite_sent'],
      ['2026-11-02', 1, 0, 'claude_chat_viewed'],
    ]);
    expect(new Date(daily[0]!.last_at as string).toISOString()).toBe('2026-11-01T11:00:00.250Z');
    const stored = await rows<Record<string, unknown>>(
      t.db,
      sql`select id, actor_type, actor_id, raw from activity_events order by id`,
    );
    expect(stored).toEqual([
      { id: 'a1', actor_type: 'user_actor', actor_id: 'u1', raw: a },
      { id: 'a2', actor_type: 'user_actor', actor_id: 'u1', raw: b },
      { id: 'a3', actor_type: 'user_actor', actor_id: 'u1', raw: c },
    ]);
  });

  it('in fast mode stores pipelined pages of new activities as they are, a page repeating itself included', async () => {
    const pages = [0, 1, 2, 3].map((p) =>
      preparePage([act(`f${p}a`, `2026-11-03T1${p}:00:00Z`), act(`f${p}b`, `2026-11-03T1${p}:30:00Z`)]),
    );
    const repeating = preparePage([act('f9', '2026-11-03T19:00:00Z'), act('f9', '2026-11-03T19:00:00Z')]);
    const acc = new RollupAccumulator();
    await t.db.transaction(async (tx) => {
      const writer = new PageWriter(tx, () => NOW, acc, 'fast', 2);
      let stored = 0;
      for (const page of [...pages, repeating]) stored += await writer.write(page);
      stored += await writer.flush();
      expect(stored).toBe(9);
      await upsertRollups(tx, acc);
    });
    expect((await rows<{ n: number }>(t.db, sql`select count(*)::int as n from activity_events`))[0]).toEqual({ n: 9 });
    expect(await rows(t.db, sql`select events from principal_activity_daily`)).toEqual([{ events: 9 }]);
  });

  it('in fast mode fails the batch on an activity already stored, keeping nothing of it, even with later pages already sent', async () => {
    await t.db.transaction(async (tx) => {
      await insertPage(tx, preparePage([act('s1', '2026-11-03T10:00:00Z')]), NOW, new RollupAccumulator(), 'fast');
    });
    const failure = await t.db
      .transaction(async (tx) => {
        const writer = new PageWriter(tx, () => NOW, new RollupAccumulator(), 'fast', 3);
        await writer.write(preparePage([act('s2', '2026-11-03T11:00:00Z')]));
        await writer.write(preparePage([act('s1', '2026-11-03T10:00:00Z'), act('s3', '2026-11-03T12:00:00Z')]));
        await writer.write(preparePage([act('s4', '2026-11-03T13:00:00Z')]));
        await writer.flush();
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(isUniqueViolation(failure)).toBe(true);
    const ids = await rows<{ id: string }>(t.db, sql`select id from activity_events order by id`);
    expect(ids.map((r) => r.id)).toEqual(['s1']);
  });

  it('in careful mode skips what is stored and counts only what was new, pipelined', async () => {
    const fresh = [act('n1', '2026-11-03T10:00:00Z'), act('n2', '2026-11-03T11:00:00Z')];
    const mixed = [
      act('n3', '2026-11-03T12:00:00Z'),
      act('n1', '2026-11-03T10:00:00Z'),
      act('n4', '2026-11-03T13:00:00Z'),
    ];
    await t.db.transaction(async (tx) => {
      const acc = new RollupAccumulator();
      const writer = new PageWriter(tx, () => NOW, acc, 'careful', 2);
      let stored = await writer.write(preparePage(fresh));
      stored += await writer.write(preparePage(mixed));
      stored += await writer.write(preparePage([act('n2', '2026-11-03T11:00:00Z')]));
      stored += await writer.flush();
      expect(stored).toBe(4);
      expect(await upsertRollups(tx, acc)).toBe(1);
    });
    const ids = await rows<{ id: string }>(t.db, sql`select id from activity_events order by id`);
    expect(ids.map((r) => r.id)).toEqual(['n1', 'n2', 'n3', 'n4']);
    const [day] = await rows<Record<string, unknown>>(t.db, sql`select events from principal_activity_daily`);
    expect(day).toEqual({ events: 4 });
  });

  it('lets any other failure of the insert end the batch', async () => {
    const bad = { ...act('b1', '2026-11-03T10:00:00Z'), created_at: '2026-13-45T10:00:00Z' };
    await expect(
      t.db.transaction(async (tx) => {
        await insertPage(tx, preparePage([bad]), NOW, new RollupAccumulator(), 'fast');
      }),
    ).rejects.toThrow(/Failed query: insert into activity_events/);
    expect(await rows(t.db, sql`select id from activity_events`)).toEqual([]);
  });

  it('merges a later batch into a day already rolled up, whatever the order', async () => {
    const write = async (acts: ReturnType<typeof act>[]) =>
      t.db.transaction(async (tx) => {
        const acc = new RollupAccumulator();
        await insertPage(tx, preparePage(acts), NOW, acc);
        await upsertRollups(tx, acc);
      });
    await write([act('x2', '2026-11-01T12:00:00Z', 'b_type')]);
    await write([act('x1', '2026-11-01T08:00:00Z'), act('x3', '2026-11-01T12:00:00Z', 'a_type')]);
    const [d] = await rows<Record<string, unknown>>(
      t.db,
      sql`select events, first_at, last_at, last_type from principal_activity_daily`,
    );
    expect(d).toMatchObject({ events: 3, last_type: 'b_type' });
    expect(new Date(d!.first_at as string).toISOString()).toBe('2026-11-01T08:00:00.000Z');
  });
});
