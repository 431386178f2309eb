import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, gte, sql } from 'drizzle-orm';
import { rowHash } from '../../src/audit/hash.js';
import { verifyAuditChain, type ChainHead, type ChainProblemKind, type VerifyResult } from '../../src/audit/verify.js';
import { auditLog } from '../../src/db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { appendRows, readChain, resetAuditLog, tamper, type AuditRow } from './fixtures.js';

/**
 * Every kind of tampering an attacker with direct database access (and the rights to
 * switch the append-only trigger off) could try, each detected and located. Verify runs
 * with several batch sizes so problems on batch boundaries are found the same way.
 */
describe('audit verify: tampering is detected and located', () => {
  let t: TestDatabase;
  let original: AuditRow[];
  const N = 10;

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  beforeEach(async () => {
    await resetAuditLog(t.db);
    await appendRows(t.db, N);
    original = await readChain(t.db);
  });
  afterAll(async () => t.destroy());

  const row = (seq: number): AuditRow => original[seq - 1]!;

  async function expectProblem(
    seq: number,
    kind: ChainProblemKind,
    opts: { anchors?: ChainHead[] } = {},
  ): Promise<void> {
    for (const batchSize of [1, 3, 4, 5000]) {
      const r = await verifyAuditChain(t.db, { ...opts, batchSize });
      expect(r.ok, `batch ${batchSize}`).toBe(false);
      if (r.ok) return;
      expect({ seq: r.problem.seq, kind: r.problem.kind }, `batch ${batchSize}: ${r.problem.message}`).toEqual({
        seq,
        kind,
      });
      expect(r.problem.message).toContain(String(seq));
    }
  }

  /** A row with its hash recomputed, as a careful forger would write it. */
  function forged(base: AuditRow, change: Partial<AuditRow>): AuditRow {
    const r = { ...base, ...change };
    return { ...r, hash: rowHash(r) };
  }

  it('accepts the untouched chain', async () => {
    for (const batchSize of [1, 3, 10, 5000]) {
      expect(await verifyAuditChain(t.db, { batchSize })).toEqual({
        ok: true,
        rows: N,
        head: { seq: N, hash: row(N).hash },
        mac: { checked: false, unkeyedRows: N, keyedFrom: null, keyedRows: 0, keys: [] },
      });
    }
  });

  it('an UPDATE of a plain column: altered', async () => {
    await tamper(t.db, () => t.db.update(auditLog).set({ outcome: 'keep' }).where(eq(auditLog.seq, 4)));
    await expectProblem(4, 'altered');
  });

  it('an UPDATE inside the evidence snapshot: altered', async () => {
    await tamper(t.db, () =>
      t.db.execute(sql`update audit_log set evidence = jsonb_set(evidence, '{counts,d30}', '0') where seq = 7`),
    );
    await expectProblem(7, 'altered');
  });

  it('an UPDATE of the time: altered', async () => {
    await tamper(t.db, () => t.db.execute(sql`update audit_log set at = at - interval '1 day' where seq = 1`));
    await expectProblem(1, 'altered');
  });

  it('an UPDATE of the time below the millisecond, which the hash itself cannot see: altered', async () => {
    await tamper(t.db, () => t.db.execute(sql`update audit_log set at = at + interval '1 microsecond' where seq = 2`));
    await expectProblem(2, 'altered');
  });

  it('an UPDATE of the time to one no Date can hold: altered', async () => {
    await tamper(t.db, () => t.db.execute(sql`update audit_log set at = 'infinity' where seq = 3`));
    await expectProblem(3, 'altered');
  });

  it('an UPDATE of the newest row: altered', async () => {
    await tamper(t.db, () => t.db.update(auditLog).set({ actorLabel: 'someone else' }).where(eq(auditLog.seq, N)));
    await expectProblem(N, 'altered');
  });

  it('a DELETE of a middle row: missing', async () => {
    await tamper(t.db, () => t.db.delete(auditLog).where(eq(auditLog.seq, 5)));
    await expectProblem(5, 'missing');
  });

  it('a DELETE of several rows: missing, from the first', async () => {
    await tamper(t.db, () => t.db.execute(sql`delete from audit_log where seq between 4 and 6`));
    await expectProblem(4, 'missing');
    const r = await verifyAuditChain(t.db);
    expect(!r.ok && r.problem.message).toMatch(/Rows 4 to 6 are missing/);
  });

  it('a DELETE of the first row: missing', async () => {
    await tamper(t.db, () => t.db.delete(auditLog).where(eq(auditLog.seq, 1)));
    await expectProblem(1, 'missing');
  });

  it('a DELETE of the newest rows: invisible to the chain alone, caught by an anchor', async () => {
    const anchor = { seq: N, hash: row(N).hash };
    await tamper(t.db, () => t.db.delete(auditLog).where(gte(auditLog.seq, N - 1)));
    // What remains is a valid chain: only a head recorded elsewhere can tell it got shorter.
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: N - 2 });
    await expectProblem(N - 1, 'truncated', { anchors: [anchor] });
    const r = await verifyAuditChain(t.db, { anchors: [anchor] });
    expect(r).toMatchObject({ ok: false, rows: N - 2, head: { seq: N - 2 } });
  });

  it('a DELETE of every row: caught by an anchor', async () => {
    await tamper(t.db, () => t.db.delete(auditLog));
    await expectProblem(1, 'truncated', { anchors: [{ seq: 3, hash: row(3).hash }] });
  });

  it('an INSERT of a forged row after a gap: missing', async () => {
    await t.db.insert(auditLog).values(forged(row(N), { seq: N + 3, prevHash: row(N).hash, outcome: 'keep' }));
    await expectProblem(N + 1, 'missing');
  });

  it('an INSERT of a forged newest row with a made-up hash: altered', async () => {
    await t.db.insert(auditLog).values({ ...row(N), seq: N + 1, prevHash: row(N).hash, hash: 'f'.repeat(64) });
    await expectProblem(N + 1, 'altered');
  });

  it('an INSERT of a forged newest row that does not chain: broken link', async () => {
    await t.db.insert(auditLog).values(forged(row(N), { seq: N + 1, prevHash: row(2).hash }));
    await expectProblem(N + 1, 'broken_link');
  });

  it('an INSERT before the genesis row: inserted', async () => {
    await t.db.insert(auditLog).values(forged(row(1), { seq: 0 }));
    await expectProblem(0, 'inserted');
  });

  it('a row deleted and a forged one inserted in its place, chained to its predecessor: replaced', async () => {
    await tamper(t.db, async () => {
      await t.db.delete(auditLog).where(eq(auditLog.seq, 6));
      await t.db.insert(auditLog).values(forged(row(6), { outcome: 'keep', details: { reason: 'forged' } }));
    });
    await expectProblem(6, 'replaced');
  });

  it('a row deleted and a forged one inserted that chains to nothing: inserted', async () => {
    await tamper(t.db, async () => {
      await t.db.delete(auditLog).where(eq(auditLog.seq, 6));
      await t.db.insert(auditLog).values(forged(row(6), { prevHash: '0'.repeat(64), outcome: 'keep' }));
    });
    await expectProblem(6, 'inserted');
  });

  it('an UPDATE with the hash recomputed: replaced (the next row still points at the original)', async () => {
    const f = forged(row(3), { outcome: 'revoke' });
    await tamper(t.db, () =>
      t.db.update(auditLog).set({ outcome: f.outcome, hash: f.hash }).where(eq(auditLog.seq, 3)),
    );
    await expectProblem(3, 'replaced');
  });

  it('two rows swapped: altered at the first', async () => {
    await tamper(t.db, async () => {
      await t.db.execute(sql`update audit_log set seq = -3 where seq = 3`);
      await t.db.execute(sql`update audit_log set seq = 3 where seq = 4`);
      await t.db.execute(sql`update audit_log set seq = 4 where seq = -3`);
    });
    await expectProblem(3, 'altered');
  });

  it('two rows swapped with every hash recomputed after them: replaced', async () => {
    // The attacker rebuilds rows 3..4 so each is self-consistent and chains to its predecessor.
    const a = forged(row(4), { seq: 3, prevHash: row(2).hash });
    const b = forged(row(3), { seq: 4, prevHash: a.hash });
    await tamper(t.db, async () => {
      await t.db.delete(auditLog).where(sql`seq in (3, 4)`);
      await t.db.insert(auditLog).values([a, b]);
    });
    // Row 5 still points at the original row 4.
    await expectProblem(4, 'replaced');
  });

  it('the whole chain rebuilt from an altered row on: invisible without an anchor, rewritten with one', async () => {
    const anchor = { seq: N, hash: row(N).hash };
    const older = { seq: 2, hash: row(2).hash };
    let prev = row(4).hash;
    const rebuilt: AuditRow[] = [];
    for (let seq = 5; seq <= N; seq++) {
      const r = forged(row(seq), { prevHash: prev, ...(seq === 5 ? { outcome: 'keep' } : {}) });
      rebuilt.push(r);
      prev = r.hash;
    }
    await tamper(t.db, async () => {
      await t.db.delete(auditLog).where(gte(auditLog.seq, 5));
      await t.db.insert(auditLog).values(rebuilt);
    });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, rows: N });
    // An older anchor still matches; the one past the change does not.
    expect(await verifyAuditChain(t.db, { anchors: [older] })).toMatchObject({ ok: true });
    await expectProblem(N, 'rewritten', { anchors: [older, anchor] });
  });

  it('reports how many rows were intact before the problem', async () => {
    await tamper(t.db, () => t.db.update(auditLog).set({ outcome: 'x' }).where(eq(auditLog.seq, 8)));
    const r: VerifyResult = await verifyAuditChain(t.db, { batchSize: 3 });
    expect(r).toMatchObject({ ok: false, rows: 7, head: { seq: 7, hash: row(7).hash } });
  });

  it('honours toSeq: a problem after the snapshot is not in it', async () => {
    await tamper(t.db, () => t.db.update(auditLog).set({ outcome: 'x' }).where(eq(auditLog.seq, 9)));
    expect(await verifyAuditChain(t.db, { toSeq: 8 })).toMatchObject({ ok: true, rows: 8 });
    await expectProblem(9, 'altered');
  });
});
