import { and, asc, desc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiKeys, assistCallsDaily, auditLog, reviewItems, workspaces } from '../../src/db/schema/index.js';
import { exportDecisions, toExportRow } from '../../src/audit/export.js';
import type { Evidence, EvidenceReading } from '../../src/domain/evidence.js';
import { SIM_MESSAGES_API_KEY, toolResults } from '../../src/sim/anthropic/index.js';
import { eventually } from '../helpers/eventually.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { blockText, buttonsOf, channelMessages, dmMessages } from '../helpers/slack-inspect.js';

/**
 * Claude assist end to end: the real Steward (Bolt HTTP receiver with signed requests,
 * WebClient, the Anthropic SDK) against the Slack and Anthropic simulators, on PGlite or
 * PostgreSQL (TEST_DATABASE_URL).
 */

const SUMMARY = 'Used daily by the nightly ETL until 2026-02-10, silent since. Created by bob, who still owns it.';

let h: Harness;
let bob: Person;

beforeAll(async () => {
  h = await startHarness({
    env: { STEWARD_ASSIST: 'claude', ANTHROPIC_API_KEY: SIM_MESSAGES_API_KEY },
    policy: 'assist:\n  timeout_ms: 5000\n  daily_calls: 100\n',
  });
  bob = await seedPerson(h, 'bob');
});
afterAll(async () => h?.stop());
beforeEach(() => h.anthropic.messages.reset());

async function reviewOf(keyName: string, over: Partial<Evidence> = {}) {
  const keyId = await seedKey(h, keyName, bob);
  const findingId = await seedFinding(
    h,
    evidence('dormant_key', { type: 'api_key', id: keyId, label: keyName }, bob, over),
  );
  return { keyId, findingId };
}

async function deliveredRow(subjectId: string) {
  const [row] = await h.db.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'review.delivered'), eq(auditLog.subjectId, subjectId)));
  return row!;
}

const readingOf = (row: { evidence: Record<string, unknown> | null }) => row.evidence?.['reading'] as EvidenceReading;

describe('review DMs with assist on', () => {
  it('carry a summary above the buttons, and the delivery audit row holds the summary and model', async () => {
    const { keyId } = await reviewOf('nightly-etl', { lastActivity: { at: '2026-02-10T02:00:00.000Z', type: 'api' } });
    h.anthropic.messages.reply({ json: { summary: SUMMARY } });
    await h.steward.services.review.openAndDeliver();

    const [dm] = dmMessages(h.slack, bob.slackId);
    const text = blockText(dm!.blocks);
    expect(text).toContain(SUMMARY);
    expect(text).toContain('Summary by Claude (claude-haiku-4-5)');
    const blocks = dm!.blocks as Array<{ type: string; text?: { text: string } }>;
    const summaryAt = blocks.findIndex((b) => b.text?.text === SUMMARY);
    const actionsAt = blocks.findIndex((b) => b.type === 'actions');
    expect(summaryAt).toBeGreaterThan(0);
    expect(summaryAt).toBeLessThan(actionsAt);
    expect(buttonsOf(dm!.blocks).map((b) => b.label)).toEqual(['Keep', 'Revoke', 'Not mine']);

    const row = await deliveredRow(keyId);
    expect(readingOf(row)).toMatchObject({
      text: SUMMARY,
      model: 'claude-haiku-4-5',
      source: 'claude',
      fallback: null,
    });
    // What was sent to Claude: the allow-listed facts, never the key hint.
    expect(JSON.stringify(h.anthropic.messages.calls[0]!.body)).not.toContain('sk-ant-api03-...AbCd');

    // A later rendering (after a decision) shows the same stored words.
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.subjectId, keyId));
    await h.steward.services.review.decide({
      itemId: item!.id,
      actorSlackId: bob.slackId,
      decision: 'keep',
      reason: 'still used by the ETL',
      keepDays: 30,
      via: 'test',
    });
    await eventually(() => blockText(dmMessages(h.slack, bob.slackId)[0]!.blocks).includes('Kept'));
    expect(blockText(dmMessages(h.slack, bob.slackId)[0]!.blocks)).toContain(SUMMARY);
    expect(h.anthropic.messages.calls).toHaveLength(1);

    // The auditor's export carries the words the reviewer read, and who wrote them.
    const exported = [];
    for await (const d of exportDecisions(h.db.db, { reviewItemId: item!.id })) exported.push(toExportRow(d));
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ decision: 'keep', summary: SUMMARY, summary_by: 'claude:claude-haiku-4-5' });
  });

  it('with the simulator slow, the same DM goes out with the template text, without waiting for the answer', async () => {
    const { keyId } = await reviewOf('slow-key');
    h.anthropic.messages.faults.add({ kind: 'slow', delayMs: 120_000 });
    const sent = await h.steward.services.review.openAndDeliver();
    expect(sent).toMatchObject({ created: 1, delivered: 1, failed: 0 });
    const row = await deliveredRow(keyId);
    const reading = readingOf(row);
    expect(reading).toMatchObject({ source: 'template', model: null, fallback: 'timeout' });
    expect(reading.text).toMatch(/^API key “slow-key”/);
    const dm = dmMessages(h.slack, bob.slackId).find((m) => blockText(m.blocks).includes('slow-key'));
    expect(blockText(dm!.blocks)).toContain(reading.text);
    expect(blockText(dm!.blocks)).not.toContain('by Claude');
    // The DM went out while Claude's answer was still outstanding: the request was never answered.
    const call = h.anthropic.messages.calls[0]!;
    expect(call.status).toBeNull();
    await eventually(() => call.abortedByClient);
  });

  it('failing (500) or over budget, it goes out with the template text too', async () => {
    const failing = await reviewOf('failing-key');
    h.anthropic.messages.faults.add({ kind: 'server_error' });
    await h.steward.services.review.openAndDeliver();
    expect(readingOf(await deliveredRow(failing.keyId))).toMatchObject({ source: 'template', fallback: 'unavailable' });

    const today = h.clock.now().toISOString().slice(0, 10);
    await h.db.db
      .insert(assistCallsDaily)
      .values({ day: today, calls: 100 })
      .onConflictDoUpdate({ target: assistCallsDaily.day, set: { calls: 100 } });
    const broke = await reviewOf('over-budget-key');
    await h.steward.services.review.openAndDeliver();
    expect(readingOf(await deliveredRow(broke.keyId))).toMatchObject({ source: 'template', fallback: 'budget' });
    expect(h.anthropic.messages.calls).toHaveLength(1);
    await h.db.db.delete(assistCallsDaily);
  });

  it('alerts in the security channel carry a triage', async () => {
    const keyId = await seedKey(h, 'spiky-key', bob);
    await seedFinding(
      h,
      evidence('usage_spike', { type: 'api_key', id: keyId, label: 'spiky-key' }, bob, {
        thresholds: { factor: 5, baseline_days: 14, min_requests: 1000 },
        anomaly: { firstDay: '2026-04-21', days: 1, peakDay: '2026-04-21', peakRequests: 98000, baselineMean: 1200 },
      }),
    );
    h.anthropic.messages.reply({
      json: {
        what_happened: 'The spiky-key key made 98,000 requests on 2026-04-21.',
        why_unusual: 'It usually makes about 1,200 a day.',
        check_first: 'Ask bob whether a new job started.',
      },
    });
    await h.steward.services.review.openAndDeliver();
    const alert = channelMessages(h.slack, h.securityChannel).find((m) => blockText(m.blocks).includes('spiky-key'));
    const text = blockText(alert!.blocks);
    expect(text).toContain('*What happened:* The spiky-key key made 98,000 requests on 2026-04-21.');
    expect(text).toContain('*Check first:* Ask bob whether a new job started.');
    expect(text).toContain('Triage by Claude (claude-haiku-4-5)');
    expect(readingOf(await deliveredRow(keyId))).toMatchObject({ kind: 'triage', source: 'claude' });
  });
});

describe('/steward ask', () => {
  let dataKey: string;
  let dataFinding: string;

  beforeAll(async () => {
    await h.db.db.insert(workspaces).values({ id: 'wrkspc_01DATA', name: 'Data' });
    ({ keyId: dataKey, findingId: dataFinding } = await reviewOf('etl-loader', {
      access: { kind: 'api_key', workspaceId: 'wrkspc_01DATA', workspaceName: 'Data', status: 'active' },
      lastActivity: { at: '2026-02-20T10:00:00.000Z', type: 'api' },
    }));
    await h.db.db.update(apiKeys).set({ workspaceId: 'wrkspc_01DATA' }).where(eq(apiKeys.id, dataKey));
  });

  it('answers a question that needs two tools, citing the rows, with every call audited', async () => {
    h.anthropic.messages.reply(
      {
        toolUses: [
          { name: 'find_findings', input: { kind: 'dormant_key', workspace: 'Data', inactive_since: '2026-03-01' } },
        ],
      },
      (req) => {
        const found = JSON.parse(toolResults(req)[0]!.content) as {
          findings: Array<{ finding_id: string; subject: { id: string } }>;
        };
        return { toolUses: [{ name: 'principal_access', input: { id: found.findings[0]!.subject.id } }] };
      },
      (req) => {
        const results = toolResults(req);
        const found = JSON.parse(results[0]!.content) as { findings: Array<{ finding_id: string }> };
        const access = JSON.parse(results[1]!.content) as {
          api_key: { id: string; name: string; created_by: { name: string } };
        };
        return {
          json: {
            answer: `One key in Data has not been used since March: ${access.api_key.name}, created by ${access.api_key.created_by.name}.`,
            citations: [
              { kind: 'finding', id: found.findings[0]!.finding_id },
              { kind: 'api_key', id: access.api_key.id },
              { kind: 'audit', id: '999999' },
            ],
          },
        };
      },
    );
    const question = 'which keys in Data have not been used since March, and who owns them?';
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: `ask ${question}` });
    expect(r.status).toBe(200);
    expect((r.body as { text: string }).text).toContain('Looking into it');
    const answer = await eventually(() => {
      const b = r.responses().at(-1)?.body as { text: string; blocks: unknown } | undefined;
      return b?.text.startsWith('One key') ? b : undefined;
    });
    const shown = blockText(answer.blocks);
    expect(shown).toContain('One key in Data has not been used since March: etl-loader, created by bob.');
    expect(shown).toContain(`Sources: finding \`${dataFinding}\`, key \`${dataKey}\``);
    // A row no tool returned is not cited.
    expect(shown).not.toContain('999999');
    expect(shown).toContain('Written by Claude (claude-haiku-4-5)');

    // Three turns: two tool rounds, then the answer; the tools offered are read-only ones.
    const sent = h.anthropic.messages.requests();
    expect(sent).toHaveLength(3);
    expect(sent[0]!.tools!.map((t) => t.name)).toEqual([
      'find_findings',
      'principal_access',
      'search_audit',
      'campaign_progress',
    ]);

    const rows = await h.db.db
      .select()
      .from(auditLog)
      .where(like(auditLog.action, 'assist.%'))
      .orderBy(asc(auditLog.seq));
    expect(rows.map((x) => [x.action, x.outcome, x.actorSlackId])).toEqual([
      ['assist.asked', 'asked', h.admin.id],
      ['assist.tool_called', 'ran', h.admin.id],
      ['assist.tool_called', 'ran', h.admin.id],
      ['assist.answered', 'answered', h.admin.id],
    ]);
    expect(rows[0]!.details).toMatchObject({ question, model: 'claude-haiku-4-5' });
    expect(rows[1]!.details).toMatchObject({
      tool: 'find_findings',
      input: { kind: 'dormant_key', workspace: 'Data', inactive_since: '2026-03-01', status: 'open', limit: 10 },
      rows: [{ kind: 'finding', id: dataFinding }],
    });
    expect(rows[2]!.details).toMatchObject({ tool: 'principal_access', input: { id: dataKey } });
    expect(rows[3]!.details).toMatchObject({
      citations: [
        { kind: 'finding', id: dataFinding },
        { kind: 'api_key', id: dataKey },
      ],
      model: 'claude-haiku-4-5',
      toolCalls: 2,
    });
    expect(String(rows[3]!.details!['answer'])).toContain('etl-loader');
    const [command] = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'command.run'), eq(auditLog.outcome, 'run')))
      .orderBy(asc(auditLog.seq));
    expect(command!.details).toMatchObject({ command: '/steward ask', args: { sub: 'ask', question } });
  });

  it('is for admins only: anyone else is refused, audited, and nothing is sent to Claude', async () => {
    const r = await h.slack.driver.slashCommand({
      userId: bob.slackId,
      command: '/steward',
      text: 'ask who owns etl-loader?',
    });
    expect((r.body as { text: string }).text).toContain('Only Steward admins can run `/steward ask`');
    const refused = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'command.run'), eq(auditLog.actorSlackId, bob.slackId)));
    expect(refused.map((x) => x.outcome)).toEqual(['refused']);
    expect(h.anthropic.messages.calls).toHaveLength(0);
  });

  it('answers about campaign progress from the same figures /steward campaign status shows', async () => {
    const start = await h.slack.driver.slashCommand({
      userId: h.admin.id,
      command: '/steward',
      text: 'campaign start keys 10',
    });
    expect(start.status).toBe(200);
    // The reply comes once the campaign's certifications are delivered (their summaries made).
    const opened = await eventually(() => {
      const b = start.responses().at(-1)?.body as { text?: string } | undefined;
      return b?.text && /Campaign #\d+\*? \(keys\) is open/.test(b.text) ? b.text : undefined;
    });
    const number = Number(/#(\d+)/.exec(opened)![1]);
    const status = (await h.steward.services.campaigns.status(String(number)))![0]!;
    expect(status.progress.total).toBeGreaterThan(0);

    h.anthropic.messages.reply({ toolUses: [{ name: 'campaign_progress', input: {} }] }, (req) => {
      const got = JSON.parse(toolResults(req)[0]!.content) as {
        campaigns: Array<{ campaign: number; scope: string; total: number; open: number; percent: number }>;
      };
      const c = got.campaigns[0]!;
      return {
        json: {
          answer: `Campaign ${c.campaign} (${c.scope}) is ${c.percent}% done: ${c.open} of ${c.total} items still open.`,
          citations: [{ kind: 'campaign', id: String(c.campaign) }],
        },
      };
    });
    const r = await h.slack.driver.slashCommand({
      userId: h.admin.id,
      command: '/steward',
      text: 'ask how far is the key certification?',
    });
    const answer = await eventually(() => {
      const b = r.responses().at(-1)?.body as { text: string; blocks: unknown } | undefined;
      return b?.text.startsWith('Campaign') ? b : undefined;
    });
    const p = status.progress;
    expect(answer.text).toContain(
      `Campaign ${number} (keys) is ${p.percent}% done: ${p.open} of ${p.total} items still open.`,
    );
    expect(blockText(answer.blocks)).toContain(`Sources: campaign \`${number}\``);
    const [call] = await h.db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'assist.tool_called'))
      .orderBy(desc(auditLog.seq))
      .limit(1);
    expect(call!.details).toMatchObject({
      tool: 'campaign_progress',
      rows: [{ kind: 'campaign', id: String(number) }],
    });
  });

  it('says why there is no answer when Claude refuses, and audits that too', async () => {
    h.anthropic.messages.faults.add({ kind: 'refusal' });
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'ask anything odd?' });
    const answer = await eventually(() => {
      const b = r.responses().at(-1)?.body as { text: string } | undefined;
      return b?.text.includes('declined') ? b : undefined;
    });
    expect(answer.text).toBe('Claude declined to answer this question.');
    const answers = await h.db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'assist.answered'))
      .orderBy(asc(auditLog.seq));
    expect(answers.at(-1)).toMatchObject({ outcome: 'refused', actorSlackId: h.admin.id });
  });
});
