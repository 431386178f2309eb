import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, gte, sql } from 'drizzle-orm';
import { rowHash } from '../../src/audit/hash.js';
import { auditKeyring, rowMac, type AuditKey } from '../../src/audit/mac.js';
import { verifyAuditChain, type ChainProblemKind } from '../../src/audit/verify.js';
import { auditLog } from '../../src/db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { appendRows, readChain, resetAuditLog, tamper, type AuditRow } from './fixtures.js';
import { expectMacProblem, K1, K2, signWith } from './keys.js';

/**
 * The keyed MAC: what a superuser without STEWARD_AUDIT_KEY can do to the chain (append
 * a row with a correct SHA-256, rebuild the whole chain with recomputed hashes) and the
 * SHA-256 chain alone cannot see, the MAC catches and locates. Rotation: mac-rotation.test.ts.
 */
describe('audit verify: the keyed MAC', () => {
  let t: TestDatabase;
  const N = 8;
  const ring = (...keys: AuditKey[]) => ({ keyring: auditKeyring(keys) });

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  beforeEach(async () => resetAuditLog(t.db));
  afterEach(() => signWith());
  afterAll(async () => t.destroy());

  const expectProblem = (seq: number, kind: ChainProblemKind, keys: AuditKey[]) =>
    expectMacProblem(t.db, seq, kind, keys);

  /** A row with its SHA-256 recomputed, as a careful forger without the key writes it. */
  function forged(base: AuditRow, change: Partial<AuditRow>): AuditRow {
    const r = { ...base, ...change };
    return { ...r, hash: rowHash(r) };
  }

  it('signs every row appended with a key, and verify checks each MAC', async () => {
    signWith(K1);
    await appendRows(t.db, N);
    const rows = await readChain(t.db);
    for (const r of rows)
      expect({ id: r.macKeyId, mac: r.mac }).toEqual({ id: 'k1', mac: rowMac(K1.secret, 'k1', r.hash) });
    expect(await verifyAuditChain(t.db, ring(K1))).toEqual({
      ok: true,
      rows: N,
      head: { seq: N, hash: rows[N - 1]!.hash },
      mac: { checked: true, unkeyedRows: 0, keyedFrom: 1, keyedRows: N, keys: [{ id: 'k1', from: 1, to: N }] },
    });
  });

  it('rows from before the key verify as chained, unkeyed, and the boundary is reported', async () => {
    await appendRows(t.db, 3);
    signWith(K1);
    await appendRows(t.db, 4);
    const r = await verifyAuditChain(t.db, ring(K1));
    expect(r).toMatchObject({
      ok: true,
      rows: 7,
      mac: { checked: true, unkeyedRows: 3, keyedFrom: 4, keyedRows: 4, keys: [{ id: 'k1', from: 4, to: 7 }] },
    });
  });

  describe('with a keyed chain', () => {
    let original: AuditRow[];
    const row = (seq: number) => original[seq - 1]!;
    beforeEach(async () => {
      signWith(K1);
      await appendRows(t.db, N);
      signWith();
      original = await readChain(t.db);
    });

    it('a forged row appended as superuser, correct SHA-256, no MAC: unkeyed, located', async () => {
      const f = forged(row(N), { seq: N + 1, prevHash: row(N).hash, mac: null, macKeyId: null, outcome: 'keep' });
      await t.db.insert(auditLog).values(f);
      // Its SHA-256 and its link are right: the chain alone cannot tell it from a genuine row.
      expect([rowHash(f), f.prevHash]).toEqual([f.hash, row(N).hash]);
      const message = await expectProblem(N + 1, 'unkeyed', [K1]);
      expect(message).toMatch(`Row ${N + 1} has no MAC, but the rows from 1 on are keyed`);
      // Even a verifier without the key sees a row without a MAC after keyed rows.
      expect(await verifyAuditChain(t.db, { keyring: auditKeyring([]) })).toMatchObject({
        ok: false,
        problem: { seq: N + 1, kind: 'unkeyed' },
      });
    });

    it('a forged row appended with a made-up MAC and a real key id: forged, located', async () => {
      const f = forged(row(N), { seq: N + 1, prevHash: row(N).hash, outcome: 'keep' });
      await t.db.insert(auditLog).values({ ...f, mac: rowMac(Buffer.alloc(32, 9), 'k1', f.hash), macKeyId: 'k1' });
      const message = await expectProblem(N + 1, 'forged', [K1]);
      expect(message).toMatch(`Row ${N + 1} fails its MAC check under key "k1"`);
    });

    it('a row rewritten in place with its SHA-256 recomputed (and the next ones relinked): forged at the first', async () => {
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
      expect(await expectProblem(5, 'forged', [K1])).toMatch('Row 5 fails its MAC check under key "k1"');
    });

    it('the whole chain rewritten consistently, every SHA-256 recomputed: forged at the first changed row', async () => {
      let prev = '0'.repeat(64);
      const rebuilt = original.map((r) => {
        const f = forged(r, { prevHash: prev, ...(r.seq === 2 ? { outcome: 'revoke' } : {}) });
        prev = f.hash;
        return f;
      });
      await tamper(t.db, async () => {
        await t.db.delete(auditLog);
        await t.db.insert(auditLog).values(rebuilt);
      });
      // Row 1 is rewritten unchanged (same content, same hash); row 2 is the first whose hash
      // differs, and its MAC was made over the original. The chain alone sees nothing wrong.
      expect(await verifyAuditChain(t.db, { keyring: auditKeyring([]) })).toMatchObject({ ok: true, rows: N });
      expect(await expectProblem(2, 'forged', [K1])).toMatch('Row 2 fails its MAC check under key "k1"');
    });

    it('the whole chain rewritten with every MAC stripped: the MAC alone cannot tell it from a log older than the key', async () => {
      let prev = '0'.repeat(64);
      const rebuilt = original.map((r) => {
        const f = forged(r, {
          prevHash: prev,
          mac: null,
          macKeyId: null,
          ...(r.seq === 2 ? { outcome: 'revoke' } : {}),
        });
        prev = f.hash;
        return f;
      });
      await tamper(t.db, async () => {
        await t.db.delete(auditLog);
        await t.db.insert(auditLog).values(rebuilt);
      });
      // The limit the README states: verify passes but says no row is keyed, which an operator
      // who knows the key is in use reads as an alarm; the witness (witness.test.ts) proves it.
      expect(await verifyAuditChain(t.db, ring(K1))).toMatchObject({
        ok: true,
        mac: { checked: true, unkeyedRows: N, keyedFrom: null, keyedRows: 0 },
      });
    });

    it('a MAC relabelled with another key id: forged', async () => {
      await tamper(t.db, () => t.db.update(auditLog).set({ macKeyId: 'k2' }).where(eq(auditLog.seq, 3)));
      expect(await expectProblem(3, 'forged', [K2, K1])).toMatch('Row 3 fails its MAC check under key "k2"');
    });

    it("a row given another row's MAC: forged", async () => {
      await tamper(t.db, () =>
        t.db
          .update(auditLog)
          .set({ mac: row(2).mac })
          .where(eq(auditLog.seq, 6)),
      );
      expect(await expectProblem(6, 'forged', [K1])).toMatch('Row 6 fails its MAC check under key "k1"');
    });

    it('a MAC stripped from one row in the middle: unkeyed', async () => {
      await tamper(t.db, async () => {
        await t.db.execute(sql`alter table audit_log drop constraint audit_log_mac_with_key_id`);
        await t.db.update(auditLog).set({ mac: null, macKeyId: null }).where(eq(auditLog.seq, 5));
      });
      expect(await expectProblem(5, 'unkeyed', [K1])).toMatch('Row 5 has no MAC, but the rows from 1 on are keyed');
    });

    it('half a MAC (the check constraint dropped): forged', async () => {
      await tamper(t.db, async () => {
        await t.db.execute(sql`alter table audit_log drop constraint if exists audit_log_mac_with_key_id`);
        await t.db.update(auditLog).set({ mac: null }).where(eq(auditLog.seq, 7));
      });
      expect(await expectProblem(7, 'forged', [K1])).toMatch(
        'Row 7 fails its MAC check under key "k1": it has half of a MAC',
      );
    });

    it('the database refuses half a MAC while the check constraint stands', async () => {
      // Earlier tests dropped it on this shared database; put it back as the migration wrote it.
      await t.db.execute(sql`alter table audit_log drop constraint if exists audit_log_mac_with_key_id`);
      await t.db.execute(
        sql`alter table audit_log add constraint audit_log_mac_with_key_id check ((mac is null) = (mac_key_id is null))`,
      );
      await expect(
        t.db.insert(auditLog).values({ ...row(N), seq: N + 1, prevHash: row(N).hash, mac: null, macKeyId: 'k1' }),
      ).rejects.toMatchObject({ cause: { message: expect.stringContaining('audit_log_mac_with_key_id') } });
    });
  });
});
