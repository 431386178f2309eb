import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { verifyAuditChain } from '../../src/audit/verify.js';
import { apiKeys, auditLog, jobRuns, orgUsers, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { freePort, startStewardProcess, type StewardProcess } from '../helpers/child.js';
import { simEnv } from '../helpers/env.js';
import { eventually } from '../helpers/eventually.js';
import { seedPgliteDir } from '../helpers/pglite-template.js';
import { blockText } from '../helpers/slack-inspect.js';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Two real Steward processes on one PostgreSQL, both with the scheduler on (correlate
 * every 3 seconds): each tick runs once, each review is DMed once, each decision is
 * executed once, and the audit chain stays one chain.
 */
describe.runIf(onPostgres)('two replicas on one PostgreSQL', () => {
  let slack: SlackSim;
  let anthropic: AnthropicSim;
  let db: TestDatabase;
  let a: StewardProcess;
  let b: StewardProcess;
  const people: Array<{ slackId: string; userId: string; keyId: string }> = [];

  beforeAll(async () => {
    slack = await startSlackSim({ signingSecret: 'r3pl1ca5e0123456789abcdef0123456' });
    anthropic = await startAnthropicSim({ seed: 21 });
    db = await createTestDatabase();
    const admin = slack.addUser({ name: 'ada', email: 'ada@example.com' });
    const security = slack.addChannel({ name: 'security', members: [admin.id] });
    const created = new Date(Date.now() - 100 * 86_400_000);
    for (let i = 0; i < 6; i++) {
      const email = `owner${i}@example.com`;
      const u = anthropic.state.addUser({ email, name: `owner${i}`, role: 'user' });
      const keyId = anthropic.state.addApiKey({
        name: `unused-${i}`,
        createdBy: { id: u.id, type: 'user' },
        principal: { type: 'user', id: u.id } as never,
        createdAt: created.toISOString(),
      }).id;
      await db.db.insert(orgUsers).values({ id: u.id, email, name: `owner${i}`, role: 'user', addedAt: created });
      await db.db.insert(apiKeys).values({
        id: keyId,
        name: `unused-${i}`,
        status: 'active',
        createdAt: created,
        createdByType: 'user',
        createdById: u.id,
        principalType: 'user',
        principalId: u.id,
      });
      people.push({ slackId: slack.addUser({ name: `owner${i}`, email }).id, userId: u.id, keyId });
    }
    const policy = join(mkdtempSync(join(tmpdir(), 'replicas-')), 'policy.yaml');
    writeFileSync(
      policy,
      'findings:\n  dormant_seat: { enabled: false }\nschedule:\n  sync: "0 0 1 1 *"\n  reminders: "0 0 1 1 *"\n  correlate: "*/3 * * * * *"\n',
    );
    const env = simEnv(
      slack,
      anthropic,
      { securityChannel: security.id, admins: [admin.id] },
      {
        STEWARD_POLICY: policy,
        STEWARD_LOG_LEVEL: 'warn',
        DATABASE_URL: db.url!,
      },
    );
    [a, b] = await Promise.all([
      startStewardProcess(env, await freePort()),
      startStewardProcess(env, await freePort()),
    ]);
    slack.setRequestUrl(`${a.baseUrl}/slack/events`);
  }, 120_000);

  afterAll(async () => {
    a?.child.kill('SIGKILL');
    b?.child.kill('SIGKILL');
    await slack?.close();
    await anthropic?.close();
    await db?.destroy();
  });

  it('one scheduled run per tick, one DM per review, one action per decision, one audit chain', async () => {
    // Every owner gets their review, and keeps getting only that one over several ticks.
    for (const p of people) {
      await eventually(
        () => slack.state.dmWith(p.slackId) && slack.state.history(slack.state.dmWith(p.slackId)!.id).length > 0,
        { timeoutMs: 40_000 },
      );
    }
    // Two more ticks run to the end (on either replica) after every review went out.
    const correlateRuns = () => db.db.select().from(jobRuns).where(eq(jobRuns.job, 'correlate'));
    const started = (await correlateRuns()).length;
    await eventually(
      async () => (await correlateRuns()).filter((r) => r.status === 'succeeded').length >= started + 2,
      { timeoutMs: 40_000, what: 'two more ticks' },
    );
    for (const p of people) {
      const dms = slack.state
        .history(slack.state.dmWith(p.slackId)!.id)
        .filter((m) => blockText(m.blocks).includes('unused-'));
      expect(dms, p.slackId).toHaveLength(1);
    }
    const runs = await db.db.select().from(jobRuns).where(eq(jobRuns.job, 'correlate'));
    const ticks = runs.map((r) => r.scheduledFor!.toISOString());
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(new Set(runs.map((r) => r.instance)).size).toBeGreaterThanOrEqual(1);

    // Each owner revokes: the click goes to one replica, a Slack retry to the other.
    for (const p of people) {
      const dm = slack.state.history(slack.state.dmWith(p.slackId)!.id)[0]!;
      const first = await slack.driver.clickButton({
        userId: p.slackId,
        channel: dm.channel,
        ts: dm.ts,
        actionId: 'steward_revoke',
      });
      await slack.driver.resend(first.request, {
        url: `${b.baseUrl}/slack/events`,
        retryNum: 1,
        retryReason: 'http_timeout',
      });
    }
    for (const p of people)
      await eventually(() => anthropic.state.apiKeys.get(p.keyId)?.status === 'inactive', { timeoutMs: 30_000 });
    await eventually(async () => (await db.db.select().from(outboxActions)).every((x) => x.status === 'succeeded'), {
      timeoutMs: 20_000,
    });
    const actions = await db.db.select().from(outboxActions);
    expect(actions).toHaveLength(people.length);
    for (const p of people) {
      const applied = anthropic.calls.all.filter(
        (c) => c.op === 'apiKeys.update' && c.path.endsWith(p.keyId) && !c.replayed,
      );
      expect(applied, p.keyId).toHaveLength(1);
    }
    const decisions = await db.db.select().from(auditLog).where(eq(auditLog.action, 'review.decided'));
    expect(decisions).toHaveLength(people.length);
    expect(await db.db.select().from(reviewItems)).toHaveLength(people.length);
    const chain = await verifyAuditChain(db.db);
    expect(chain.ok).toBe(true);
  }, 120_000);

  it('SIGTERM: both replicas stop cleanly (exit 0) within the bound', async () => {
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    // A process whose shutdown overruns its bound (main.ts, 15 s) exits 1: 0 means it kept to it.
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 30_000);
});

describe('PGlite serves one process', () => {
  it('a second process on the same data directory is refused with a clear message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'steward-one-'));
    await seedPgliteDir(dataDir);
    const slack = await startSlackSim();
    const security = slack.addChannel({ name: 'security' });
    const env = simEnv(
      slack,
      null,
      { securityChannel: security.id, admins: [] },
      { STEWARD_DATA_DIR: dataDir, STEWARD_LOG_LEVEL: 'warn' },
    );
    const first = await startStewardProcess(env, await freePort());
    try {
      const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(await freePort()) },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(
        `The embedded database in ${dataDir} is already in use by process ${first.child.pid}`,
      );
      expect(second.stderr).toContain('set DATABASE_URL');
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      await slack.close();
    }
  }, 90_000);
});
