import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { runCli } from '../../src/cli/run.js';
import { openDatabase } from '../../src/db/client.js';
import { queryRows } from '../../src/db/client.js';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';

const EMPTY_PAGE = JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null });

/** `steward sync --accept-removals`: the operator's way to confirm what the brake held back. */
describe('steward sync --accept-removals', { timeout: 180_000 }, () => {
  let sim: AnthropicSim;
  let env: NodeJS.ProcessEnv;
  let pg: TestDatabase | undefined;
  let dir: string | undefined;

  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['sync', 'directory', ...args], env, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const removedUsers = async () => {
    const d = await openDatabase(pg ? { url: pg.url } : { dataDir: dir });
    try {
      const [r] = await queryRows<{ n: number }>(
        d.db,
        sql`select count(*)::int as n from org_users where removed_at is not null`,
      );
      return Number(r!.n);
    } finally {
      await d.close();
    }
  };

  beforeAll(async () => {
    sim = await startAnthropicSim({ emit: { complianceAccess: false } });
    for (let i = 0; i < 6; i++) sim.state.addUser({ email: `u${i}@example.com`, name: `u${i}` });
    env = {
      ANTHROPIC_ADMIN_KEY: sim.config.adminKey,
      ANTHROPIC_BASE_URL: sim.url,
      STEWARD_LOG_LEVEL: 'silent',
    };
    if (onPostgres()) {
      pg = await createTestDatabase();
      env.DATABASE_URL = pg.url;
    } else {
      dir = mkdtempSync(join(tmpdir(), 'steward-accept-cli-'));
      env.STEWARD_DATA_DIR = dir;
    }
  });
  afterAll(async () => {
    await sim.close();
    await pg?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds an empty listing, says so, and applies it only when accepted', async () => {
    expect((await cli()).code).toBe(0);
    sim.faults.add({ op: 'users.list', kind: 'malformed', body: EMPTY_PAGE, times: Infinity });
    const held = await cli();
    expect(held.code).toBe(0);
    expect(held.out).toContain('users: 6 of 6 known would be marked removed');
    expect(held.out).toContain('steward sync --accept-removals');
    expect(await removedUsers()).toBe(0);

    const accepted = await cli('--accept-removals');
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain('Accepted held removals of users: 6 of 6 marked removed');
    expect(await removedUsers()).toBe(6);

    const nothing = await cli('--accept-removals');
    expect(nothing.out).toContain('No removals are held back; nothing to accept.');
  });
});
