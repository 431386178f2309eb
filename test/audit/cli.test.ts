import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, gte } from 'drizzle-orm';
import { runCli } from '../../src/cli/run.js';
import { auditLog } from '../../src/db/schema/index.js';
import { createCliDatabase, memoryIo, tamper, type CliDatabase } from './fixtures.js';
import { parseCsv } from './csv-reader.js';
import { seedScenario, type Scenario } from './scenario.js';

// Each CLI run opens (and on PGlite, boots) the database from its environment: slow on a busy machine.
describe('steward audit (CLI)', { timeout: 120_000 }, () => {
  let d: CliDatabase;
  let s: Scenario;
  let dir: string;
  const cli = async (...args: string[]) => {
    const m = memoryIo();
    const code = await runCli(['audit', ...args], d.env, m.io);
    return { code, out: m.out, err: m.err };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-cli-'));
    d = await createCliDatabase();
    await d.use(async () => {}); // create and migrate it here, not inside the first test
  }, 120_000);
  afterAll(async () => {
    await d?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verify: an empty log', async () => {
    const r = await cli('verify');
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out[0]).toMatch(/^0 rows verified: the audit log is empty/);
  });

  it('verify: "N rows verified" and the head to anchor, exit 0', async () => {
    s = await d.use((db) => seedScenario(db.db));
    const r = await cli('verify', '--batch-size', '4');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(new RegExp(`^${s.rows} rows verified in \\d+\\.\\d s`));
    expect(r.out[1]).toMatch(new RegExp(`^Head: ${s.rows}:[0-9a-f]{64}$`));
    const anchor = r.out[1]!.slice('Head: '.length);
    const anchored = await cli('verify', '--anchor', anchor);
    expect(anchored.code).toBe(0);
    expect(anchored.out[0]).toContain('1 anchor matched');
  });

  it('export: CSV on stdout, the period ending with the whole --until day', async () => {
    const r = await cli('export', '--since', '2025-03-01', '--until', '2025-03-31');
    expect(r.code).toBe(0);
    const records = parseCsv(`${r.out.join('\n')}\n`);
    expect(records).toHaveLength(1 + s.march.length);
    expect(records.slice(1).map((rec) => Number(rec[0]))).toEqual(s.march.map((m) => m.seq));
    expect(r.err).toEqual([`${s.march.length} decisions (csv, audit rows up to seq ${s.rows}).`]);
  });

  it('export: JSON to a file, one review item', async () => {
    const file = join(dir, 'one.json');
    const r = await cli('export', '--review', 'ri_twice', '--format', 'json', '--out', file);
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out).toEqual([`2 decisions written to ${file} (json, audit rows up to seq ${s.rows}).`]);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      row_count: number;
      chain: { ok: boolean };
      rows: { decision: string }[];
    };
    expect(doc).toMatchObject({ row_count: 2, chain: { ok: true } });
    expect(doc.rows.map((x) => x.decision)).toEqual(['not_mine', 'revoke']);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('report: an HTML file', async () => {
    const file = join(dir, 'report.html');
    const r = await cli(
      'report',
      '--since',
      '2025-03-01T00:00:00Z',
      '--until',
      '2025-04-01T00:00:00+00:00',
      '--out',
      file,
    );
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe(
      `Report written to ${file}: ${s.march.length} decisions on 7 items, audit rows up to seq ${s.rows}.`,
    );
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<dd data-count="decisions">${s.march.length}</dd>`);
  });

  it.each([
    [['export', '--since', '2025-02-30'], '--since must be a date'],
    [['export', '--since', 'yesterday'], '--since must be a date'],
    [['export', '--since', '2025-03-01', '--until', '2025-03-01T10:00'], '--until must be a date'],
    [['export', '--since', '2025-03-10', '--until', '2025-03-01'], '--until must be after --since'],
    [['export', '--since', '2025-03-01', '--format', 'xml'], '--format must be csv or json'],
    [['export', '--since', '2025-03-01', '--frobnicate'], '--frobnicate'],
    [['export', '--since'], '--since'],
    [['export'], '--since <date> is required'],
    [['report', '--since', '2025-03-01'], '--out <file.html> is required'],
    [['verify', '--anchor', '12:abc'], '--anchor must be <seq>:<sha256 hex>'],
    [['verify', '--batch-size', '0'], '--batch-size must be a positive integer'],
    [['verify', 'extra'], 'extra'],
    [['prune'], 'unknown subcommand "prune"'],
    [[], 'missing subcommand'],
  ])('usage error %j → exit 2 naming the problem', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(message);
    expect(r.err.join('\n')).toContain('steward audit verify'); // the usage follows
  });

  it('--help prints the usage', async () => {
    const r = await cli('export', '--help');
    expect(r.code).toBe(0);
    expect(r.out[0]).toContain('steward audit export --since <date>');
  });

  it('verify: a deleted row → exit 1, located; exports still written but exit 1', async () => {
    await d.use((db) => tamper(db.db, () => db.db.delete(auditLog).where(eq(auditLog.seq, 5))));
    const r = await cli('verify');
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/^Audit chain broken at seq 5 \(missing\): Row 5 is missing/);
    expect(r.err[1]).toMatch(/^4 rows verified before it/);

    const file = join(dir, 'broken.json');
    const e = await cli('export', '--since', '2025-03-01', '--format', 'json', '--out', file);
    expect(e.code).toBe(1);
    expect(e.err.join('\n')).toContain('Warning: audit chain broken at seq 5 (missing)');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { chain: { ok: boolean; problem: { seq: number } } };
    expect(doc.chain).toMatchObject({ ok: false, problem: { seq: 5, kind: 'missing' } });
  });

  it('verify --anchor: removal of the newest rows → exit 1, truncated', async () => {
    // Start from a sound chain: repair the earlier damage by rebuilding the log.
    await d.use(async (db) => {
      await tamper(db.db, () => db.db.delete(auditLog).where(gte(auditLog.seq, 1)));
      s = await seedScenario(db.db);
    });
    const ok = await cli('verify');
    expect(ok.code).toBe(0);
    const anchor = ok.out[1]!.slice('Head: '.length);
    await d.use((db) => tamper(db.db, () => db.db.delete(auditLog).where(eq(auditLog.seq, s.rows))));
    expect((await cli('verify')).code).toBe(0); // the shorter chain is still a valid chain…
    const r = await cli('verify', '--anchor', anchor);
    expect(r.code).toBe(1); // …but not the one the anchor recorded
    expect(r.err[0]).toMatch(new RegExp(`^Audit chain broken at seq ${s.rows} \\(truncated\\)`));
  });
});
