import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rowHash } from '../../src/audit/hash.js';
import { runCli } from '../../src/cli/run.js';
import { auditLog } from '../../src/db/schema/index.js';
import { appendRows, createCliDatabase, memoryIo, readChain, type CliDatabase } from './fixtures.js';
import { auditKeyEnv, K1, K2, signWith } from './keys.js';

/** `steward audit verify` with STEWARD_AUDIT_KEY: what it says about keyed, unkeyed and forged rows. */
describe('steward audit verify with STEWARD_AUDIT_KEY (CLI)', { timeout: 120_000 }, () => {
  let d: CliDatabase;
  const verify = async (key: string | undefined) => {
    const m = memoryIo();
    const env = { ...d.env, ...(key === undefined ? {} : { STEWARD_AUDIT_KEY: key }) };
    const code = await runCli(['audit', 'verify'], env, m.io);
    return { code, out: m.out, err: m.err };
  };

  beforeAll(async () => {
    d = await createCliDatabase();
    // Three rows from before the key, then three signed with k1, three with k2 after a rotation.
    await d.use(async (db) => {
      await appendRows(db.db, 3);
      signWith(K1);
      await appendRows(db.db, 3, new Date('2025-04-01T00:00:00Z'));
      signWith(K2, K1);
      await appendRows(db.db, 3, new Date('2025-05-01T00:00:00Z'));
      signWith();
    });
  }, 120_000);
  afterEach(() => signWith());
  afterAll(async () => d?.destroy());

  it('both keys: the boundary and which key signed which rows', async () => {
    const r = await verify(auditKeyEnv(K2, K1));
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out[2]).toBe(
      'Rows 1–3 are chained but not keyed (written before STEWARD_AUDIT_KEY was set); from row 4 on, chained and keyed: every MAC checked (key "k1" rows 4–6, key "k2" rows 7–9).',
    );
  });

  it('no key: chained, and says the MACs were not checked', async () => {
    const r = await verify(undefined);
    expect(r.code).toBe(0);
    expect(r.out[2]).toMatch(/^Chained; MACs NOT checked: STEWARD_AUDIT_KEY is not set, so the MACs of rows 4–9/);
  });

  it('the old key dropped: exit 1 naming the row and the key it needs', async () => {
    const r = await verify(auditKeyEnv(K2));
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/^Audit chain broken at seq 4 \(unknown_key\): Row 4 is signed with key id "k1"/);
  });

  it('a bad key: a configuration error that does not echo it', async () => {
    const r = await verify('k1:short');
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/STEWARD_AUDIT_KEY: entry 1 the key must be base64 of at least 32 random bytes/);
    expect(r.err.join('\n')).not.toContain('short');
  });

  it('a row forged as superuser with a correct SHA-256: exit 1, located', async () => {
    await d.use(async (db) => {
      const [last] = (await readChain(db.db)).slice(-1);
      const f = { ...last!, seq: 10, prevHash: last!.hash, outcome: 'keep', mac: null, macKeyId: null };
      await db.db.insert(auditLog).values({ ...f, hash: rowHash(f) });
    });
    const r = await verify(auditKeyEnv(K2, K1));
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(
      /^Audit chain broken at seq 10 \(unkeyed\): Row 10 has no MAC, but the rows from 4 on are keyed/,
    );
    expect(r.err[1]).toMatch(/^9 rows verified before it/);
  });
});
