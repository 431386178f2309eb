import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf } from '../helpers/slack-inspect.js';

describe('/steward admin commands', () => {
  let h: Harness;
  let bob: Person;
  beforeAll(async () => {
    h = await startHarness();
    bob = await seedPerson(h, 'bob');
    // 25 open findings (two pages), one of them reviewed and decided.
    for (let i = 0; i < 25; i++) {
      const name = `key-${String(i).padStart(2, '0')}`;
      const keyId = await seedKey(h, name, bob);
      await seedFinding(h, evidence('dormant_key', { type: 'api_key', id: keyId, label: name }, bob));
    }
    await h.steward.services.review.openAndDeliver();
    const [first] = await h.db.db.select().from(reviewItems).limit(1);
    await h.steward.services.review.decide({
      itemId: first!.id,
      actorSlackId: bob.slackId,
      decision: 'keep',
      reason: 'still used by CI',
      keepDays: 30,
      via: 'test',
    });
  });
  afterAll(async () => h?.stop());

  const lastResponse = (r: { responses: () => Array<{ body: unknown }> }) =>
    r.responses().at(-1)?.body as { text: string; blocks?: unknown } | undefined;

  it('status: counts and the oldest open reviews', async () => {
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'status' });
    expect(r.status).toBe(200);
    const body = await eventually(() => {
      const b = lastResponse(r);
      return b?.text?.includes('Open reviews') ? b : undefined;
    });
    expect(body.text).toContain('Open reviews: 24');
    expect(body.text).toContain('1 kept');
    expect(blockText(body.blocks)).toContain('Oldest open reviews');
  });

  it('findings: paged, 20 to a page, with Next and Previous', async () => {
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'findings' });
    const body = await eventually(() => {
      const b = lastResponse(r);
      return b?.text?.startsWith('Open findings') ? b : undefined;
    });
    // 25 seeded, 1 certified by Keep → 24 open.
    expect(body.text).toBe('Open findings, page 1 of 2 (24 in all)');
    expect(buttonsOf(body.blocks).map((b) => b.label)).toEqual(['Next']);
    const p2 = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'findings 2' });
    const body2 = await eventually(() => {
      const b = lastResponse(p2);
      return b?.text?.startsWith('Open findings') ? b : undefined;
    });
    expect(body2.text).toBe('Open findings, page 2 of 2 (24 in all)');
    expect((blockText(body2.blocks).match(/• \*dormant_key\*/g) ?? []).length).toBe(4);
  });

  it("export: the CSV of recent decisions lands in the admin's DM", async () => {
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'export 7' });
    expect((r.body as { text: string }).text).toMatch(/Preparing the evidence export for the last 7 days/);
    const file = await eventually(() =>
      [...h.slack.state.files.values()].find((f) => f.completed && f.name.endsWith('.csv')),
    );
    const csv = file.bytes!.toString('utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(2); // header + the one decision
    expect(lines[1]).toContain('"keep"');
    expect(lines[1]).toContain('"still used by CI"');
    expect(file.channels).toEqual([h.slack.state.dmWith(h.admin.id)!.id]);
    await eventually(() => /Sent steward-audit-.*\.csv \(1 decisions\)/.test(lastResponse(r)?.text ?? ''));
  });

  it('refuses admin commands to others, audited; help is for everyone', async () => {
    const r = await h.slack.driver.slashCommand({ userId: bob.slackId, command: '/steward', text: 'export' });
    expect((r.body as { text: string }).text).toContain('Only Steward admins can run `/steward export`');
    expect(h.slack.state.files.size).toBeLessThanOrEqual(1);
    const refused = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'command.run'));
    expect(refused.some((a) => a.actorSlackId === bob.slackId && a.outcome === 'refused')).toBe(true);
    const help = await h.slack.driver.slashCommand({ userId: bob.slackId, command: '/steward', text: 'help' });
    expect((help.body as { text: string }).text).toContain('/steward review');
  });

  it('answers a bad target with a usage message', async () => {
    const r = await h.slack.driver.slashCommand({
      userId: h.admin.id,
      command: '/steward',
      text: 'review nobody-in-particular',
    });
    expect((r.body as { text: string }).text).toContain(
      'is not a user, email, key id, workspace id, `org:<id or name>` or `all`',
    );
  });

  it("publishes App Home: the viewer's open reviews with buttons, and a campaign summary for admins", async () => {
    await h.slack.driver.appHomeOpened(bob.slackId);
    const home = await eventually(() => h.slack.state.homeView(bob.slackId));
    expect(blockText(home.blocks)).toContain('Your access reviews');
    expect(buttonsOf(home.blocks).filter((b) => b.label === 'Keep').length).toBeGreaterThan(5);
    expect(blockText(home.blocks)).not.toContain('Campaign (admins)');
    await h.slack.driver.appHomeOpened(h.admin.id);
    const adminHome = await eventually(() => h.slack.state.homeView(h.admin.id));
    expect(blockText(adminHome.blocks)).toContain('Campaign (admins)');

    // Deciding from Home works and refreshes it.
    const revoke = buttonsOf(home.blocks).find((b) => b.label === 'Revoke')!;
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      viewId: home.id,
      actionId: 'steward_revoke',
      value: revoke.value,
    });
    await eventually(
      async () =>
        (await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, revoke.value)))[0]?.status === 'decided',
    );
    await eventually(
      () => !buttonsOf(h.slack.state.homeView(bob.slackId)!.blocks).some((b) => b.value === revoke.value),
    );
  });
});
