import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { apiKeys, orgUsers, reviewItems } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/log.js';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { startSteward } from '../../src/steward.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { freePort, startStewardProcess } from '../helpers/child.js';
import { simEnv } from '../helpers/env.js';
import { seedPgliteDir } from '../helpers/pglite-template.js';

const PEOPLE = 12;
/** Past the delivery lease (2 minutes) a dead process's claims lapse. */
const LATER_MS = 3 * 60_000;

/**
 * The process dies while review DMs go out: SIGKILLed the moment Slack accepts a message,
 * before Steward hears back. A later run (after the dead claim's lease) delivers the rest and
 * adopts the message Slack already holds: every review ends with exactly one message.
 */
describe('crash in the middle of a fan-out', () => {
  let slack: SlackSim;
  let anthropic: AnthropicSim;
  let pg: TestDatabase | undefined;
  let dataDir: string | undefined;
  let env: Record<string, string>;
  let adminId: string;

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

  /** Bot messages in Slack that name a review in their metadata, by review id. */
  function messagesByReview(): Map<string, number> {
    const out = new Map<string, number>();
    for (const u of slack.state.listUsers()) {
      const dm = slack.state.dmWith(u.id);
      if (!dm) continue;
      for (const m of slack.state.history(dm.id)) {
        const id = (m.metadata as { event_payload?: { review_item_id?: string } } | undefined)?.event_payload
          ?.review_item_id;
        if (m.bot_id && id) out.set(id, (out.get(id) ?? 0) + 1);
      }
    }
    return out;
  }

  beforeAll(async () => {
    slack = await startSlackSim({ signingSecret: 'c4a5h0f4n0u7aaaa0123456789abcdef' });
    anthropic = await startAnthropicSim({ seed: 14 });
    const admin = slack.addUser({ name: 'ada', email: 'ada@example.com' });
    adminId = admin.id;
    const security = slack.addChannel({ name: 'security', members: [admin.id] });
    const created = new Date(Date.now() - 100 * 86_400_000);
    const rows: Array<{ userId: string; email: string; keyId: string; name: string }> = [];
    for (let i = 0; i < PEOPLE; i++) {
      const name = `crash${i}`;
      const email = `${name}@example.com`;
      const u = anthropic.state.addUser({ email, name, role: 'user' });
      slack.addUser({ name, email });
      const k = anthropic.state.addApiKey({
        name: `idle-key-${i}`,
        createdBy: { id: u.id, type: 'user' },
        principal: { type: 'user', id: u.id } as never,
        createdAt: created.toISOString(),
      });
      rows.push({ userId: u.id, email, keyId: k.id, name });
    }
    if (process.env.TEST_DATABASE_URL) pg = await createTestDatabase();
    else {
      dataDir = mkdtempSync(join(tmpdir(), 'steward-fanout-crash-'));
      await seedPgliteDir(dataDir);
    }
    // The directory as a sync would leave it: active keys, never used, 100 days old.
    await withDb(async (d) => {
      await d.db
        .insert(orgUsers)
        .values(rows.map((r) => ({ id: r.userId, email: r.email, name: r.name, role: 'user', addedAt: created })));
      await d.db.insert(apiKeys).values(
        rows.map((r, i) => ({
          id: r.keyId,
          name: `idle-key-${i}`,
          status: 'active',
          createdAt: created,
          createdByType: 'user',
          createdById: r.userId,
          principalType: 'user',
          principalId: r.userId,
          partialKeyHint: 'sk-ant-api03-...zzzz',
        })),
      );
    });
    // No scheduled job may start in the middle of the test.
    const policy = join(mkdtempSync(join(tmpdir(), 'steward-crash-policy-')), 'policy.yaml');
    writeFileSync(
      policy,
      'schedule:\n  sync: "0 0 1 1 *"\n  correlate: "0 0 1 1 *"\n  reminders: "0 0 1 1 *"\n  audit_witness: "0 0 1 1 *"\n',
    );
    env = simEnv(
      slack,
      anthropic,
      { securityChannel: security.id, admins: [admin.id] },
      {
        STEWARD_LOG_LEVEL: 'warn',
        STEWARD_POLICY: policy,
        ...(pg ? { DATABASE_URL: pg.url! } : { STEWARD_DATA_DIR: dataDir! }),
      },
    );
  });
  afterAll(async () => {
    await slack?.close();
    await anthropic?.close();
    await pg?.destroy();
  });

  it('loses and duplicates nothing when the process is SIGKILLed between Slack accepting a DM and recording it', async () => {
    const port = await freePort();
    const first = await startStewardProcess(env, port);
    slack.setRequestUrl(`${first.baseUrl}/slack/events`);
    let posted = 0;
    const stop = slack.onChange((c) => {
      if (c.kind !== 'message.posted' || !c.channel.startsWith('D')) return;
      // Killed synchronously, before the sim answers the post that made this message.
      if (++posted === 5) first.child.kill('SIGKILL');
    });
    try {
      await slack.driver.slashCommand({ userId: adminId, command: '/steward', text: 'review all' });
      expect(await first.exited).toBe('SIGKILL');
    } finally {
      stop();
      first.child.kill('SIGKILL');
    }

    const atCrash = await withDb((d) => d.db.select().from(reviewItems));
    const inSlack = messagesByReview();
    // The crash landed in the window: Slack holds a message for a review still pending here.
    expect(atCrash.filter((r) => r.status === 'pending' && inSlack.has(r.id)).length).toBeGreaterThan(0);
    expect(atCrash.filter((r) => r.status === 'pending').length).toBeGreaterThan(0);

    // A later run, once the dead process's claims have lapsed.
    await withDb(async (database) => {
      const config = loadConfig({ ...env, PORT: '0' });
      const logger = createLogger({
        level: 'warn',
        secrets: [],
        destination: new Writable({ write: (_c, _e, cb) => cb() }),
      });
      const steward = await startSteward(config, logger, { database, now: () => new Date(Date.now() + LATER_MS) });
      try {
        await steward.services.review.deliverPending();
      } finally {
        await steward.stop();
      }
      const items = await database.db.select().from(reviewItems);
      expect(items.length).toBe(atCrash.length);
      expect(items.filter((i) => i.status !== 'open')).toEqual([]);
      const final = messagesByReview();
      for (const i of items) {
        expect(final.get(i.id), i.id).toBe(1);
        const msg = slack.state.message(i.slackChannel!, i.slackTs!);
        expect(msg?.metadata, i.id).toMatchObject({ event_payload: { review_item_id: i.id } });
      }
    });
  }, 120_000);
});
