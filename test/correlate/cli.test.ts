import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { openDatabase, queryRows, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { loadScenario } from '../support/load-scenario.js';
import { directoryListedAt, knownOrgScenario } from '../../src/sim/scenarios/known-org.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';

/** `steward correlate` against the known organisation, on a database the CLI opens itself. */
describe('steward correlate', () => {
  // The CLI runs at the real time, so the scenario is built around it.
  const scenario = knownOrgScenario(new Date());
  let env: NodeJS.ProcessEnv;
  let pg: TestDatabase | undefined;
  let dir: string | undefined;
  let policyDir: string | undefined;

  const withDb = async <T>(fn: (d: Database) => Promise<T>): Promise<T> => {
    const d = pg ? await openDatabase({ url: pg.url }) : await openDatabase({ dataDir: dir });
    try {
      return await fn(d);
    } finally {
      await d.close();
    }
  };
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['correlate', ...args], env, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const stored = () =>
    withDb((d) => queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from findings`)).then((r) => r[0]!.n);

  beforeAll(async () => {
    if (onPostgres()) {
      pg = await createTestDatabase();
      env = { DATABASE_URL: pg.url, STEWARD_LOG_LEVEL: 'silent' };
    } else {
      dir = mkdtempSync(join(tmpdir(), 'steward-correlate-cli-'));
      env = { STEWARD_DATA_DIR: dir, STEWARD_LOG_LEVEL: 'silent' };
    }
    await withDb(async (d) => {
      await migrateDatabase(d);
      await loadScenario(d.db, { ...scenario, listedAt: new Date(directoryListedAt(scenario)) });
    });
    // The scenario's owner override lives in its policy file.
    policyDir = mkdtempSync(join(tmpdir(), 'steward-correlate-policy-'));
    writeFileSync(join(policyDir, 'policy.json'), JSON.stringify(scenario.policy));
    env.STEWARD_POLICY = join(policyDir, 'policy.json');
    // An on-disk PGlite migrated from scratch: slower than the in-memory template others use.
  }, 180_000);
  afterAll(async () => {
    await pg?.destroy();
    for (const d of [dir, policyDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('--dry-run prints the findings as an aligned table and stores nothing', async () => {
    const r = await cli('--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Dry run \(nothing written\) at .*, target all: 20 findings \(20 new, 0 refreshed\), 1 resolved, 0 suppressed\./,
    );
    expect(r.out).toMatch(/KIND\s+SUBJECT\s+OWNER \(WHY\)\s+LAST ACTIVITY\s+EVIDENCE/);
    expect(r.out).toMatch(/unowned_key\s+legacy-import \(apikey_01NOCREATOR\)\s+nobody: no_creator_recorded/);
    expect(r.out).toMatch(
      /usage_spike\s+scraper \(apikey_01SPIKY\)\s+bob@acme.test \(principal\)\s+\S+ api_usage\s+peak 5,000 req/,
    );
    expect(r.out).toMatch(/Would resolve:\n\s+dormant_seat\s+user:user_01KIM\s+no_longer_dormant/);
    expect(await stored()).toBe(1); // only the scenario's prior finding
  });

  it('--json prints the whole result, evidence included', async () => {
    const r = await cli('--dry-run', '--json');
    const result = JSON.parse(r.out) as {
      findings: Array<{ kind: string; subject: { type: string; id: string }; evidence: { weekly: number[] } }>;
    };
    expect(result.findings.map((f) => `${f.kind} ${f.subject.type} ${f.subject.id}`).sort()).toEqual(
      scenario.expectedFindings.map((e) => `${e.kind} ${e.subjectType} ${e.subjectId}`).sort(),
    );
    expect(result.findings.every((f) => f.evidence.weekly.length === 12)).toBe(true);
  });

  it('--target limits the run to one person', async () => {
    const r = await cli('--dry-run', '--target', 'email:bob@acme.test');
    expect(r.out).toMatch(/target email:bob@acme.test: 2 findings/);
    expect(r.out).toMatch(/dormant_key\s+forgotten/);
    expect(r.out).toMatch(/usage_spike\s+scraper/);
  });

  it('without --dry-run stores the findings; usage mistakes exit 2', async () => {
    expect((await cli()).code).toBe(0);
    expect(await stored()).toBe(21);
    const bad = await cli('--target', 'everything');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not a review target/);
  });
});
