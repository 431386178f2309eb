import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditKeyWarning } from '../../src/audit/key-check.js';
import { auditKeyring, type AuditKey } from '../../src/audit/mac.js';
import { verifyAuditChain, type ChainProblemKind } from '../../src/audit/verify.js';
import { auditLog } from '../../src/db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { appendRows, readChain, resetAuditLog, tamper } from './fixtures.js';
import { expectMacProblem, K1, K2, K3, signWith } from './keys.js';

/**
 * Key rotation of the audit MAC: rows signed with an old key still verify after rotation,
 * a dropped or misordered key is reported clearly, a leaked retired key cannot extend the
 * log; and the warning Steward logs at start when its keys do not fit the log.
 */
describe('audit verify: MAC key rotation', () => {
  let t: TestDatabase;
  const ring = (...keys: AuditKey[]) => ({ keyring: auditKeyring(keys) });
  const expectProblem = (seq: number, kind: ChainProblemKind, keys: AuditKey[]) =>
    expectMacProblem(t.db, seq, kind, keys);

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  beforeEach(async () => resetAuditLog(t.db));
  afterEach(() => signWith());
  afterAll(async () => t.destroy());

  describe('key rotation', () => {
    it('rows signed with the old key still verify after rotation; the new key signs from then on', async () => {
      signWith(K1);
      await appendRows(t.db, 3);
      signWith(K2, K1);
      await appendRows(t.db, 3, new Date('2025-04-01T00:00:00Z'));
      const rows = await readChain(t.db);
      expect(rows.map((r) => r.macKeyId)).toEqual(['k1', 'k1', 'k1', 'k2', 'k2', 'k2']);
      expect(await verifyAuditChain(t.db, ring(K2, K1))).toMatchObject({
        ok: true,
        rows: 6,
        mac: {
          keys: [
            { id: 'k1', from: 1, to: 3 },
            { id: 'k2', from: 4, to: 6 },
          ],
        },
      });
      // A second rotation: both older keys stay verify-only.
      signWith(K3, K2, K1);
      await appendRows(t.db, 1, new Date('2025-05-01T00:00:00Z'));
      expect(await verifyAuditChain(t.db, ring(K3, K2, K1))).toMatchObject({ ok: true, rows: 7 });
    });

    it('the old key dropped from the list: its rows are reported as signed with an unknown key', async () => {
      signWith(K1);
      await appendRows(t.db, 2);
      signWith(K2, K1);
      await appendRows(t.db, 2, new Date('2025-04-01T00:00:00Z'));
      const message = await expectProblem(1, 'unknown_key', [K2]);
      expect(message).toBe(
        'Row 1 is signed with key id "k1", which STEWARD_AUDIT_KEY does not hold (it holds "k2"). If it is a retired key, list it after the signing key so the rows it signed verify; otherwise the row was written by someone without Steward\'s keys.',
      );
    });

    it('no key at all: the chain verifies, and the result says the MACs were not checked', async () => {
      signWith(K1);
      await appendRows(t.db, 3);
      expect(await verifyAuditChain(t.db, { keyring: auditKeyring([]) })).toMatchObject({
        ok: true,
        rows: 3,
        mac: { checked: false, keyedFrom: 1, keyedRows: 3, keys: [] },
      });
    });

    it('the verifier lists the keys in the wrong order: a newer key then an older one reads as a retired key', async () => {
      signWith(K1);
      await appendRows(t.db, 2);
      signWith(K2, K1);
      await appendRows(t.db, 2, new Date('2025-04-01T00:00:00Z'));
      expect(await expectProblem(3, 'retired_key', [K1, K2])).toMatch(
        'Row 3 is signed with key "k2", older than key "k1" that signed row 2',
      );
    });

    it('a leaked retired key cannot extend the log: a row signed with it after the rotation is refused', async () => {
      signWith(K1);
      await appendRows(t.db, 2);
      signWith(K2, K1);
      await appendRows(t.db, 2, new Date('2025-04-01T00:00:00Z'));
      // Whoever holds the old key K1 (and not K2) appends a correctly chained, correctly MACed row.
      signWith(K1);
      await appendRows(t.db, 1, new Date('2025-05-01T00:00:00Z'));
      const message = await expectProblem(5, 'retired_key', [K2, K1]);
      expect(message).toMatch('Row 5 is signed with key "k1", older than key "k2" that signed row 4 before it');
    });

    it('the process keyring (STEWARD_AUDIT_KEY) is what verify checks with by default', async () => {
      signWith(K1);
      await appendRows(t.db, 2);
      await tamper(t.db, () =>
        t.db
          .update(auditLog)
          .set({ mac: '0'.repeat(64) })
          .where(eq(auditLog.seq, 2)),
      );
      const r = await verifyAuditChain(t.db);
      expect(r).toMatchObject({ ok: false, problem: { seq: 2, kind: 'forged' } });
    });
  });

  describe('the warning at start', () => {
    it('none for an unkeyed log, or a log signed with a key Steward holds', async () => {
      await appendRows(t.db, 1);
      expect(await auditKeyWarning(t.db, auditKeyring([]))).toBeNull();
      signWith(K1);
      await appendRows(t.db, 1, new Date('2025-04-01T00:00:00Z'));
      expect(await auditKeyWarning(t.db, auditKeyring([K2, K1]))).toBeNull();
    });

    it('a keyed log and no key set, or the newest row signed with a key no longer listed', async () => {
      signWith(K1);
      await appendRows(t.db, 2);
      expect(await auditKeyWarning(t.db, auditKeyring([]))).toMatch(
        /^The audit log is keyed \(row 2 is signed with key "k1"\) but STEWARD_AUDIT_KEY is not set/,
      );
      expect(await auditKeyWarning(t.db, auditKeyring([K2]))).toMatch(
        /^The newest audit row 2 is signed with key "k1", which STEWARD_AUDIT_KEY does not list/,
      );
    });
  });
});
