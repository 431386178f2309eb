import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { apiKeys, auditLog, orgUsers, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { freePort, startStewardProcess } from '../helpers/child.js';
import { simEnv } from '../helpers/env.js';
import { eventually } from '../helpers/eventually.js';
import { seedPgliteDir } from '../helpers/pglite-template.js';
import { blockText } from '../helpers/slack-inspect.js';

/**
 * A revoke is decided, the worker is mid-call to the Admin API, and the process is
 * SIGKILLed. After a restart the action runs once: the restarted worker takes the
 * dead worker's claim over at once (its liveness lock died with it) and the
 * idempotency key makes the retry safe.
 */
describe('crash between decision and execution', () => {
  let slack: SlackSim;
  let anthropic: AnthropicSim;
  let pg: TestDatabase | undefined;
  let dataDir: string | undefined;
  let env: Record<string, string>;
  let bob: { slackId: string; userId: string };
  let keyId: string;
  let adminId: string;

  // PGlite serves one process: the test opens it only while no Steward process runs.
  async function withDb<T>(fn: (d: Database) => Promise<T>): Promise<T> {
    if (pg) return fn(pg);
    const d = await openDatabase({ dataDir });
    try {
      await migrateDatabase(d);
      return await fn(d);
    } finally {
      await d.close();
    }
  }

  beforeAll(async () => {
    slack = await startSlackSim({ signingSecret: 'k1ll7e5t0123456789abcdef01234567' });
    anthropic = await startAnthropicSim({ seed: 11 });
    const admin = slack.addUser({ name: 'ada', email: 'ada@example.com' });
    adminId = admin.id;
    const security = slack.addChannel({ name: 'security', members: [admin.id] });
    const u = anthropic.state.addUser({ email: 'bob@example.com', name: 'bob', role: 'user' });
    bob = { slackId: slack.addUser({ name: 'bob', email: 'bob@example.com' }).id, userId: u.id };
    const created = new Date(Date.now() - 100 * 86_400_000);
    keyId = anthropic.state.addApiKey({
      name: 'forgotten',
      createdBy: { id: u.id, type: 'user' },
      principal: { type: 'user', id: u.id } as never,
      createdAt: created.toISOString(),
    }).id;
    if (process.env.TEST_DATABASE_URL) pg = await createTestDatabase();
    else {
      dataDir = mkdtempSync(join(tmpdir(), 'steward-kill-'));
      await seedPgliteDir(dataDir);
    }
    // The directory as a sync would have left it: an active key, never used, 100 days old.
    await withDb(async (d) => {
      await d.db
        .insert(orgUsers)
        .values({ id: u.id, email: 'bob@example.com', name: 'bob', role: 'user', addedAt: created });
      await d.db.insert(apiKeys).values({
        id: keyId,
        name: 'forgotten',
        status: 'active',
        createdAt: created,
        createdByType: 'user',
        createdById: u.id,
        principalType: 'user',
        principalId: u.id,
        partialKeyHint: 'sk-ant-api03-...zzzz',
      });
    });
    env = simEnv(
      slack,
      anthropic,
      { securityChannel: security.id, admins: [admin.id] },
      {
        STEWARD_LOG_LEVEL: 'warn',
        ...(pg ? { DATABASE_URL: pg.url! } : { STEWARD_DATA_DIR: dataDir! }),
      },
    );
  });
  afterAll(async () => {
    await slack?.close();
    await anthropic?.close();
    await pg?.destroy();
  });

  it('executes the action exactly once after a SIGKILL mid-call', async () => {
    const port = await freePort();
    const first = await startStewardProcess(env, port);
    slack.setRequestUrl(`${first.baseUrl}/slack/events`);
    try {
      await slack.driver.slashCommand({ userId: adminId, command: '/steward', text: 'review all' });
      const dm = await eventually(
        () => {
          const c = slack.state.dmWith(bob.slackId);
          return c ? slack.state.history(c.id).find((m) => blockText(m.blocks).includes('forgotten')) : undefined;
        },
        { timeoutMs: 30_000 },
      );

      // The Admin API call will hang: the worker is stuck inside it when we kill.
      anthropic.faults.add({ op: 'apiKeys.update', kind: 'hang', times: 1 });
      await slack.driver.clickButton({
        userId: bob.slackId,
        channel: dm.channel,
        ts: dm.ts,
        actionId: 'steward_revoke',
      });
      await eventually(() => anthropic.calls.all.some((c) => c.op === 'apiKeys.update'), { timeoutMs: 30_000 });
    } finally {
      first.child.kill('SIGKILL');
    }
    expect(await first.exited).toBe('SIGKILL');
    expect(anthropic.state.apiKeys.get(keyId)?.status).toBe('active');

    const claimed = await withDb((d) => d.db.select().from(outboxActions));
    expect(claimed.map((a) => a.status)).toEqual(['running']);

    const second = await startStewardProcess(env, port);
    try {
      await eventually(() => anthropic.state.apiKeys.get(keyId)?.status === 'inactive', { timeoutMs: 30_000 });
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(0);

    const updates = anthropic.calls.all.filter((c) => c.op === 'apiKeys.update');
    expect(updates).toHaveLength(2); // the hung one, then the one that applied
    expect(updates[0]!.headers['idempotency-key']).toBe(updates[1]!.headers['idempotency-key']);
    await withDb(async (d) => {
      const actions = await d.db.select().from(outboxActions);
      expect(actions.map((a) => [a.status, a.attempts])).toEqual([['succeeded', 2]]);
      // bob's idle seat is reviewed too; this test is about the key.
      const [item] = await d.db.select().from(reviewItems).where(eq(reviewItems.subjectId, keyId));
      const audit = await d.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item!.id));
      expect(audit.filter((a) => a.action === 'review.decided')).toHaveLength(1);
      expect(audit.filter((a) => a.action === 'action.executed').map((a) => a.outcome)).toEqual(['succeeded']);
    });
  }, 120_000);
});
