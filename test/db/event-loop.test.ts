import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type Database } from '../../src/db/client.js';

// PGlite runs queries on Steward's own thread. A chain of queries (a decision) must not
// keep the event loop from pending I/O, or Slack's next request waits for its ack.
describe('embedded database and the event loop', () => {
  let d: Database | undefined;
  afterEach(async () => d?.close());

  it('lets pending I/O callbacks run between queries, inside a transaction too', async () => {
    d = await openDatabase({});
    await d.db.execute(sql`create table t (a int primary key)`);
    let turns = 0;
    let counting = true;
    const turn = () => {
      turns++;
      if (counting) setImmediate(turn);
    };

    setImmediate(turn);
    for (let i = 0; i < 20; i++) await d.db.execute(sql`insert into t values (${i})`);
    counting = false;
    expect(turns).toBeGreaterThanOrEqual(20);

    turns = 0;
    counting = true;
    setImmediate(turn);
    await d.db.transaction(async (tx) => {
      for (let i = 20; i < 40; i++) await tx.execute(sql`insert into t values (${i})`);
    });
    counting = false;
    expect(turns).toBeGreaterThanOrEqual(20);
    const [row] = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from t`);
    expect(row?.n).toBe(40);
  });
});
