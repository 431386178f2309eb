import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { appendAudit } from '../../src/audit/append.js';
import { GENESIS_HASH, rowHash } from '../../src/audit/hash.js';
import { verifyAuditChain } from '../../src/audit/verify.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';
import { appendRows, makeEvidence, readChain, resetAuditLog, reviewer } from './fixtures.js';

/** When the rows of these tests say they happened. */
const AT = new Date('2025-03-01T00:00:00Z');

describe('audit chain: append', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  beforeEach(async () => resetAuditLog(t.db));
  afterAll(async () => t.destroy());

  it('starts at the genesis hash and links every row to the one before', async () => {
    await appendRows(t.db, 7);
    const rows = await readChain(t.db);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    // What comes back from the database hashes to what was stored: jsonb and times round-trip.
    for (const r of rows) expect(rowHash(r)).toBe(r.hash);
    expect(await verifyAuditChain(t.db)).toEqual({
      ok: true,
      rows: 7,
      head: { seq: 7, hash: rows[6]!.hash },
      mac: { checked: false, unkeyedRows: 7, keyedFrom: null, keyedRows: 0, keys: [] },
    });
  });

  it('records the actor, the evidence snapshot and the policy version', async () => {
    const evidence = makeEvidence();
    await appendAudit(t.db, {
      actor: reviewer,
      action: 'review.decided',
      subject: { type: 'api_key', id: 'apikey_01' },
      reviewItemId: 'ri_1',
      outcome: 'keep',
      evidence: evidence as unknown as Record<string, unknown>,
      details: { decision: 'keep', reason: 'still deploys prod', keepUntil: '2025-06-01T00:00:00.000Z' },
      policyVersion: 'abc123',
      at: AT,
    });
    await appendAudit(t.db, {
      actor: { type: 'system', job: 'review-timeouts' },
      action: 'review.escalated',
      outcome: 'escalated',
      at: AT,
    });
    const [a, b] = await readChain(t.db);
    expect(a).toMatchObject({
      actorType: 'slack_user',
      actorSlackId: 'U0ADA',
      actorAnthropicId: 'user_01',
      action: 'review.decided',
      subjectType: 'api_key',
      subjectId: 'apikey_01',
      outcome: 'keep',
      evidence,
      policyVersion: 'abc123',
    });
    expect(b).toMatchObject({ actorType: 'system', actorLabel: 'review-timeouts', actorSlackId: null, evidence: null });
  });

  it('keeps one chain under 50 concurrent appends from concurrent transactions', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.db.transaction(async (tx) => {
          // Some work in the transaction before the append, so the transactions overlap.
          await tx.execute(sql`select pg_sleep(${(i % 5) / 1000})`);
          await appendAudit(tx, {
            actor: { type: 'system', job: `writer-${i}` },
            action: 'test.concurrent',
            outcome: 'ok',
            details: { i },
            at: AT,
          });
        }),
      ),
    );
    const rows = await readChain(t.db);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.details?.i)).size).toBe(50);
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(50); // no two rows claim the same predecessor: no fork
    expect(await verifyAuditChain(t.db, { batchSize: 7 })).toMatchObject({ ok: true, rows: 50 });
  });

  it('serialises appends made outside a transaction too', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendAudit(t.db, {
          actor: { type: 'system', job: 'j' },
          action: 'test.bare',
          outcome: 'ok',
          details: { i },
          at: AT,
        }),
      ),
    );
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: 20 });
  });

  it('rolls the row back with the transaction that made it, leaving no gap', async () => {
    await appendRows(t.db, 2);
    await expect(
      t.db.transaction(async (tx) => {
        await appendAudit(tx, { actor: reviewer, action: 'review.decided', outcome: 'keep', at: AT });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await appendRows(t.db, 1);
    expect((await readChain(t.db)).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: 3 });
  });

  it(`verifies an empty log (${onPostgres() ? 'PostgreSQL' : 'PGlite'})`, async () => {
    expect(await verifyAuditChain(t.db)).toEqual({
      ok: true,
      rows: 0,
      head: null,
      mac: { checked: false, unkeyedRows: 0, keyedFrom: null, keyedRows: 0, keys: [] },
    });
  });
});

/** The database's own message: drizzle wraps it as the `cause` of its query error. */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ''}`;
  }
  return 'no error';
}

describe('audit chain: the database refuses changes', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  beforeEach(async () => {
    await resetAuditLog(t.db);
    await appendRows(t.db, 3);
  });
  afterAll(async () => t.destroy());

  it('refuses UPDATE', async () => {
    expect(await failure(t.db.execute(sql`update audit_log set outcome = 'revoke' where seq = 2`))).toMatch(
      /append-only: UPDATE refused/,
    );
  });

  it('refuses DELETE', async () => {
    expect(await failure(t.db.execute(sql`delete from audit_log where seq = 3`))).toMatch(
      /append-only: DELETE refused/,
    );
  });

  it('refuses TRUNCATE', async () => {
    expect(await failure(t.db.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE refused/);
  });

  it('is left intact by the refused statements', async () => {
    await t.db.execute(sql`update audit_log set outcome = 'x'`).catch(() => {});
    await t.db.execute(sql`delete from audit_log`).catch(() => {});
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: 3 });
  });
});
