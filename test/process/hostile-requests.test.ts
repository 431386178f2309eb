import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { freePort, startStewardProcess, type StewardProcess } from '../helpers/child.js';
import { simEnv } from '../helpers/env.js';
import { seedPgliteDir } from '../helpers/pglite-template.js';

/**
 * Whoever holds the signing secret can send any body it likes, correctly signed. None of
 * them may stop the process: each gets a 400 and the next request is served. Requests
 * dated more than 5 minutes away from now, either way, are refused like stale ones.
 */
describe('the Slack entry point under hostile signed requests', () => {
  let slack: SlackSim;
  let pg: TestDatabase | undefined;
  let steward: StewardProcess;
  let admin: string;

  beforeAll(async () => {
    slack = await startSlackSim({ signingSecret: 'h0st1le7e5t0123456789abcdef01234' });
    admin = slack.addUser({ name: 'ada', email: 'ada@example.com' }).id;
    const security = slack.addChannel({ name: 'security', members: [admin] });
    let db: Record<string, string>;
    if (process.env.TEST_DATABASE_URL) {
      pg = await createTestDatabase();
      db = { DATABASE_URL: pg.url! };
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'steward-hostile-'));
      await seedPgliteDir(dataDir);
      db = { STEWARD_DATA_DIR: dataDir };
    }
    const env = simEnv(slack, null, { securityChannel: security.id, admins: [admin] }, { ...db });
    steward = await startStewardProcess(env, await freePort());
    slack.setRequestUrl(`${steward.baseUrl}/slack/events`);
  }, 90_000);
  afterAll(async () => {
    steward?.child.kill('SIGTERM');
    await steward?.exited;
    await slack?.close();
    await pg?.destroy();
  });

  async function stillServing(): Promise<void> {
    expect(steward.child.exitCode, steward.output.join('')).toBeNull();
    const live = await fetch(`${steward.baseUrl}/healthz`);
    expect(live.status).toBe(200);
    const help = await slack.driver.slashCommand({ userId: admin, command: '/steward', text: 'help' });
    expect(help.status).toBe(200);
    expect((help.body as { text: string }).text).toContain('/steward review');
  }

  const FORM = 'application/x-www-form-urlencoded';
  const JSON_TYPE = 'application/json';
  const bodies: Array<[string, string, string]> = [
    ['payload=null', 'payload=null', FORM],
    ['JSON null', 'null', JSON_TYPE],
    ['JSON array', '[1,2,3]', JSON_TYPE],
    ['JSON string', '"hello"', JSON_TYPE],
    ['JSON number', '42', JSON_TYPE],
    ['payload= an array', `payload=${encodeURIComponent('[{"type":"block_actions"}]')}`, FORM],
    ['payload= a string', `payload=${encodeURIComponent('"x"')}`, FORM],
    ['payload= not JSON', 'payload=%7Bnot-json', FORM],
    ['a body that is not JSON', '{"type":', JSON_TYPE],
    ['an empty body', '', JSON_TYPE],
    ['payload repeated', 'payload=%7B%7D&payload=%7B%7D', FORM],
    ['block_actions without user or actions', `payload=${encodeURIComponent('{"type":"block_actions"}')}`, FORM],
    [
      'view_submission without view',
      `payload=${encodeURIComponent('{"type":"view_submission","user":{"id":"U1"}}')}`,
      FORM,
    ],
    ['event_callback without event', '{"type":"event_callback","team_id":"T1"}', JSON_TYPE],
    ['a command without a command', 'text=help&user_id=U1', FORM],
    ['an unknown content type', 'payload=null', 'text/plain'],
  ];

  for (const [name, body, type] of bodies) {
    it(`answers ${name} with a 4xx and keeps serving`, async () => {
      const r = await slack.driver.send(body, type);
      expect(r.status, `${name}: ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      await stillServing();
    }, 30_000);
  }

  it('answers the bare-shape cases with exactly 400', async () => {
    for (const [body, type] of [
      ['payload=null', FORM],
      ['null', JSON_TYPE],
      ['[]', JSON_TYPE],
    ] as const) {
      const r = await slack.driver.send(body, type);
      expect(r.status).toBe(400);
    }
  });

  it('refuses a correctly signed request dated 10 minutes in the future, as it refuses a stale one', async () => {
    const future = Math.floor(Date.now() / 1000) + 600;
    const r = await slack.driver.slashCommand(
      { userId: admin, command: '/steward', text: 'help' },
      { timestampSeconds: future },
    );
    expect(r.status).toBe(401);
    const stale = await slack.driver.slashCommand(
      { userId: admin, command: '/steward', text: 'help' },
      { staleBySeconds: 600 },
    );
    expect(stale.status).toBe(401);
    // Inside the window either way: accepted.
    const soon = await slack.driver.slashCommand(
      { userId: admin, command: '/steward', text: 'help' },
      { timestampSeconds: Math.floor(Date.now() / 1000) + 120 },
    );
    expect(soon.status).toBe(200);
    await stillServing();
  });

  it('refuses an unsigned hostile body with 401 and keeps serving', async () => {
    const r = await slack.driver.send('payload=null', FORM, { signature: 'missing' });
    expect(r.status).toBe(401);
    await stillServing();
  });
});
