import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { actors, seedOrganization, startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';

/** `steward sync` against the simulator at the real time, on a database the CLI opens itself. */
describe('steward sync', { timeout: 180_000 }, () => {
  let sim: AnthropicSim;
  let env: NodeJS.ProcessEnv;
  let pg: TestDatabase | undefined;
  let dir: string | undefined;

  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['sync', ...args], env, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    sim = await startAnthropicSim({ emit: { complianceAccess: false } });
    const now = Date.now();
    seedOrganization(sim.state, now, { usageDays: 10 });
    sim.state.addSyntheticActivities({
      count: 2500,
      start: now - 3 * 86_400_000,
      end: now - 3_600_000,
      actors: [actors.user('user_1', 'a@example.com')],
    });
    env = {
      ANTHROPIC_ADMIN_KEY: sim.config.adminKey,
      ANTHROPIC_COMPLIANCE_KEY: sim.config.complianceKey,
      ANTHROPIC_BASE_URL: sim.url,
      STEWARD_LOG_LEVEL: 'silent',
    };
    if (onPostgres()) {
      pg = await createTestDatabase();
      env.DATABASE_URL = pg.url;
    } else {
      dir = mkdtempSync(join(tmpdir(), 'steward-sync-cli-'));
      env.STEWARD_DATA_DIR = dir;
    }
  });
  afterAll(async () => {
    await sim.close();
    await pg?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('syncs one source with a progress line and a result line', async () => {
    const r = await cli('activities');
    expect(r.code).toBe(0);
    // The catch-up reads its three days of history as parallel windows, a page each.
    expect(r.out).toMatch(/^activities +catch-up +passes 1, pages 3, fetched 2,500, inserted 2,500, .*100% of span/m);
    expect(r.out).toMatch(
      /^✓ activities +passes 2, pages 4, fetched 2,500, inserted 2,500, .*windows 3, windows at once 2/m,
    );
    expect(r.out).not.toMatch(/directory/);
  });

  it('syncs everything by default; "not available" is not a failure', async () => {
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✓ directory +users 18, invites 4, workspaces 4, members 18, api keys 30/m);
    expect(r.out).toMatch(/^✓ activities +passes 1, pages 1 in/m);
    expect(r.out).toMatch(/^✓ key_usage +.*key days \d+/m);
    expect(r.out).toMatch(/^– seat_usage +not available: seat analytics not available: .*HTTP 404/m);
  });

  it('exits 1 when a source fails, naming the error; --json prints the report', async () => {
    sim.faults.add({ op: 'apiKeys.list', kind: 'server_error', shouldRetry: false });
    const r = await cli('directory', 'key-usage', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as {
      ok: boolean;
      sources: Array<{ source: string; status: string; error?: { message: string } }>;
    };
    expect(report.ok).toBe(false);
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([
      ['directory', 'failed'],
      ['key_usage', 'succeeded'],
    ]);
    expect(report.sources[0]?.error?.message).toMatch(/listing API keys failed with HTTP 500/);
  });

  it('refuses an unknown source with the usage text (exit 2)', async () => {
    const r = await cli('everything');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown source "everything"/);
    expect(r.err).toMatch(/steward sync \[directory\]/);
  });
});
