import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { campaignCsv, campaignHtml, campaignReport } from '../../src/audit/campaign-report.js';
import { queryRows } from '../../src/db/client.js';
import { auditLog, campaignItems, campaigns, orgUsers, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf, dmMessages } from '../helpers/slack-inspect.js';

/**
 * Certification campaigns end to end (issue 16), through the real Bolt receiver with
 * signed requests, the WebClient against the Slack simulator and the Anthropic SDK
 * against the Admin API simulator: a scheduled `admins` campaign and a manual `keys`
 * campaign, a refused self-review, a second reviewer's decision, a revocation through
 * the Admin API, a keep, the rest closed as `revoke`, and the auditor's report.
 */
const OLGA = 'UOLGA00001';

describe('certification campaigns end to end', () => {
  let h: Harness;
  let olga: Person;
  let bob: Person;
  let carol: Person;

  async function person(name: string, role: string, slackId?: string): Promise<Person> {
    const email = `${name}@example.com`;
    const u = h.anthropic.state.addUser({ email, name, role: role as never });
    await h.db.db.insert(orgUsers).values({ id: u.id, email, name, role, addedAt: new Date('2026-01-05T00:00:00Z') });
    const s = h.slack.addUser({ ...(slackId ? { id: slackId } : {}), name, email, real_name: name });
    return { slackId: s.id, userId: u.id, email };
  }

  const lastResponse = (r: { responses: () => Array<{ body: unknown }> }) =>
    r.responses().at(-1)?.body as { text: string; blocks?: unknown } | undefined;

  async function command(userId: string, text: string, done: RegExp) {
    const r = await h.slack.driver.slashCommand({ userId, command: '/steward', text });
    expect(r.status).toBe(200);
    return eventually(() => {
      const b = lastResponse(r);
      return b && done.test(b.text) ? b : undefined;
    });
  }

  const messageAbout = (userId: string, label: string) =>
    eventually(() => dmMessages(h.slack, userId).find((m) => blockText(m.blocks).includes(label)));

  const itemRow = (id: string) =>
    h.db.db
      .select()
      .from(reviewItems)
      .where(eq(reviewItems.id, id))
      .then((r) => r[0]!);

  beforeAll(async () => {
    h = await startHarness({
      admins: [OLGA],
      policy: 'campaigns:\n  - scope: admins\n    cron: "0 0 1 1 *"\n    due_days: 7\n',
    });
    olga = await person('olga', 'admin', OLGA);
    bob = await person('bob', 'user');
    carol = await person('carol', 'user');
  });
  afterAll(async () => h?.stop());

  it('a scheduled admins campaign: the holder may not certify her own role; a second reviewer keeps it', async () => {
    const outcome = await h.steward.runJob('campaign:admins');
    expect(outcome).toMatchObject({ status: 'succeeded', counts: { campaignsOpened: 1, items: 1, opened: 1 } });
    const [campaign] = await h.db.db.select().from(campaigns).where(eq(campaigns.number, 1));
    expect(campaign).toMatchObject({ scope: 'admins', startedVia: 'schedule', status: 'open' });
    const [item] = await h.db.db.select().from(campaignItems).where(eq(campaignItems.campaignId, campaign!.id));
    expect(item).toMatchObject({ accessKind: 'org_admin', subjectId: olga.userId, privileged: true, via: 'opened' });

    // Olga holds the role, so the review goes to the other Steward admin (the harness's Ada).
    const review = await itemRow(item!.reviewItemId);
    expect(review.assigneeSlackId).toBe(h.admin.id);
    expect(review.kind).toBe('certification');
    expect(review.dueAt.getTime()).toBe(campaign!.dueAt.getTime());
    const msg = await messageAbout(h.admin.id, 'olga@example.com');
    const text = blockText(msg.blocks);
    expect(text).toContain('Certification: is this access still needed?');
    expect(text).toContain('Organisation role *admin* held by *olga@example.com*');
    expect(text).toContain('Certification campaign #1 (admins)');
    expect(text).toContain('Activity 7 / 30 / 90 days');
    expect(buttonsOf(msg.blocks).map((b) => b.label)).toEqual(['Keep', 'Revoke', 'Not mine']);
    expect(dmMessages(h.slack, OLGA)).toEqual([]);

    // Olga is a Steward admin, but deciding on her own admin role is refused and audited.
    await h.slack.driver.clickButton({
      userId: OLGA,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
      force: true,
    });
    await eventually(() =>
      dmMessages(h.slack, OLGA).some((m) => /Nobody certifies their own privileged access/.test(m.text ?? '')),
    );
    const refused = await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, review.id));
    expect(refused.filter((a) => a.action === 'review.refused').map((a) => a.actorSlackId)).toEqual([OLGA]);
    expect((await itemRow(review.id)).status).toBe('open');

    // Ada, the second reviewer, keeps it with a reason.
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_keep',
    });
    const modal = await eventually(() => h.slack.state.modalStack(h.admin.id).at(-1));
    await h.slack.driver.submitView({
      userId: h.admin.id,
      viewId: modal.id,
      values: { reason: 'Olga runs the org billing', duration: '90' },
    });
    const decided = await eventually(async () => {
      const r = await itemRow(review.id);
      return r.status === 'decided' ? r : undefined;
    });
    expect(decided).toMatchObject({
      decision: 'keep',
      decidedBySlackId: h.admin.id,
      reason: 'Olga runs the org billing',
    });
    await command(h.admin.id, 'campaign status 1', /100% complete/);
  });

  it('a manual keys campaign: owners decide, an open review joins, Remind, close as revoke, the report matches', async () => {
    const k1 = await seedKey(h, 'etl-nightly', bob);
    const k2 = await seedKey(h, 'support-bot', carol);
    const k3 = await seedKey(h, 'old-import', bob);
    // k3 already has an open review (a dormant-key finding): it joins the campaign.
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: k3, label: 'old-import' }, bob),
    );
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    await messageAbout(bob.slackId, 'old-import');

    // Not an admin: refused, nothing opened.
    await command(bob.slackId, 'campaign start keys', /Only Steward admins/);
    expect(await h.db.db.select().from(campaigns)).toHaveLength(1);
    // A bad scope is refused with its reason.
    await command(h.admin.id, 'campaign start everything', /not a campaign scope/);

    const started = await command(h.admin.id, 'campaign start keys 10', /Campaign #2\* \(keys\) is open/);
    expect(started.text).toContain('3 items');
    expect(started.text).toContain('1 joined a review already open');
    const [campaign] = await h.db.db.select().from(campaigns).where(eq(campaigns.number, 2));
    expect(campaign).toMatchObject({ startedBySlackId: h.admin.id, startedVia: 'command' });
    const items = await h.db.db.select().from(campaignItems).where(eq(campaignItems.campaignId, campaign!.id));
    const via = new Map(items.map((i) => [i.subjectId, i.via]));
    expect(Object.fromEntries(via)).toEqual({ [k1]: 'opened', [k2]: 'opened', [k3]: 'joined' });
    // No second message about the key under review.
    expect(dmMessages(h.slack, bob.slackId).filter((m) => blockText(m.blocks).includes('old-import'))).toHaveLength(1);

    // Bob revokes etl-nightly: the outbox deactivates it through the Admin API.
    const m1 = await messageAbout(bob.slackId, 'etl-nightly');
    expect(blockText(m1.blocks)).toContain('sk-ant-api03-...AbCd');
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: m1.channel,
      ts: m1.ts,
      actionId: 'steward_revoke',
    });
    await eventually(() => h.anthropic.state.apiKeys.get(k1)?.status === 'inactive');

    // Carol keeps support-bot; a reason is required.
    const m2 = await messageAbout(carol.slackId, 'support-bot');
    await h.slack.driver.clickButton({
      userId: carol.slackId,
      channel: m2.channel,
      ts: m2.ts,
      actionId: 'steward_keep',
    });
    const modal = await eventually(() => h.slack.state.modalStack(carol.slackId).at(-1));
    const bad = await h.slack.driver.submitView({
      userId: carol.slackId,
      viewId: modal.id,
      values: { reason: '', duration: '30' },
      force: true,
    });
    expect(bad.responseAction).toBe('errors');
    await h.slack.driver.submitView({
      userId: carol.slackId,
      viewId: modal.id,
      values: { reason: 'Customer support replies', duration: '30' },
    });
    const k2Item = items.find((i) => i.subjectId === k2)!;
    await eventually(async () => (await itemRow(k2Item.reviewItemId)).status === 'decided');

    // Status: two of three decided, bob has the open one; an admin reminds him.
    const status = await command(h.admin.id, 'campaign status 2', /Campaign #2/);
    expect(blockText(status.blocks)).toContain('66% complete');
    expect(blockText(status.blocks)).toContain('1 kept · 1 revoked · 1 open');
    const ephemeral = await eventually(() =>
      h.slack.state.ephemeralsFor(h.admin.id).find(
        (e) =>
          !e.deleted &&
          buttonsOf([
            {
              type: 'actions',
              elements: (e.blocks ?? []).flatMap((b) =>
                (b as { accessory?: unknown }).accessory ? [(b as { accessory: never }).accessory] : [],
              ),
            },
          ]).length > 0,
      ),
    );
    const before = dmMessages(h.slack, bob.slackId).length;
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: ephemeral.channel,
      ts: ephemeral.message_ts,
      actionId: 'steward_campaign_remind',
      value: `${campaign!.id}|${bob.slackId}`,
    });
    await eventually(() => dmMessages(h.slack, bob.slackId).length === before + 1);
    expect(blockText(dmMessages(h.slack, bob.slackId).at(-1)!.blocks)).toContain('old-import');
    // Bob cannot send campaign reminders (checked against the configured admins, audited).
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: ephemeral.channel,
      ts: ephemeral.message_ts,
      actionId: 'steward_campaign_remind',
      value: `${campaign!.id}|${carol.slackId}`,
      force: true,
    });
    await eventually(
      async () =>
        (await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'campaign.remind_refused'))).length === 1,
    );

    // Close: the rest is revoked as a system decision, and the audit head is witnessed.
    const witnessesBefore = h.slack.state
      .history(h.securityChannel)
      .filter((m) => /Audit log head/.test(m.text ?? '')).length;
    const closed = await command(h.admin.id, 'campaign close 2 revoke', /Campaign #2 is closed/);
    expect(closed.text).toContain('1 revoked, 0 escalated, 0 skipped');
    await eventually(() => h.anthropic.state.apiKeys.get(k3)?.status === 'inactive');
    expect(h.slack.state.history(h.securityChannel).filter((m) => /Audit log head/.test(m.text ?? '')).length).toBe(
      witnessesBefore + 1,
    );
    const k3Review = await itemRow(items.find((i) => i.subjectId === k3)!.reviewItemId);
    expect(k3Review).toMatchObject({ status: 'decided', decision: 'timeout_revoke', decidedBySlackId: null });
    const closeRow = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'campaign.closed'));
    expect(closeRow).toHaveLength(1);
    await command(h.admin.id, 'campaign close 2', /already closed/);

    // The report lists every item with its evidence, matching the database.
    const report = (await campaignReport(h.db.db, '2', h.clock.now()))!;
    expect(report.campaign).toMatchObject({
      number: 2,
      scope: 'keys',
      startedBy: h.admin.id,
      status: 'closed',
      closeMode: 'revoke',
    });
    expect(report.chain.ok).toBe(true);
    expect(report.auditRange.fromSeq).toBe(campaign!.auditFromSeq);
    expect(report.auditRange.toSeq).toBe(closeRow[0]!.seq);
    const rows = await queryRows<{
      id: string;
      decision: string;
      decided_by_slack_id: string | null;
      reason: string | null;
    }>(
      h.db.db,
      sql`select r.id::text as id, r.decision, r.decided_by_slack_id, r.reason from campaign_items ci
          join review_items r on r.id = ci.review_item_id where ci.campaign_id = ${campaign!.id}::uuid`,
    );
    expect(report.items).toHaveLength(3);
    for (const db of rows) {
      const item = report.items.find((i) => i.reviewItemId === db.id)!;
      expect(item.outcome).toBe(db.decision);
      expect(item.reason).toBe(db.reason);
      expect(item.decidedBy).toBe(db.decided_by_slack_id ?? 'system:campaign-close');
      expect(item.auditSeq).not.toBeNull();
      expect(item.evidence?.subject?.id).toBe(item.subjectId);
      expect(item.evidence?.counts).toBeDefined();
    }
    const bySubject = (a: { subject: string }, b: { subject: string }) => a.subject.localeCompare(b.subject);
    expect([...report.items].sort(bySubject).map((i) => [i.subject, i.outcome])).toEqual([
      ['etl-nightly', 'revoke'],
      ['old-import', 'timeout_revoke'],
      ['support-bot', 'keep'],
    ]);
    const csv = campaignCsv(report).trim().split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv.find((l) => l.includes('support-bot'))).toContain('"Customer support replies"');
    const html = campaignHtml(report);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script/i);
    expect((html.match(/<article class="decision"/g) ?? []).length).toBe(3);

    // /steward export campaign 2: the CSV in the admin's DM.
    await command(h.admin.id, 'export campaign 2', /Sent steward-campaign-2\.csv \(3 items\)/);
    const file = [...h.slack.state.files.values()].find((f) => f.completed && f.name === 'steward-campaign-2.csv')!;
    expect(file.bytes!.toString('utf8').trim().split('\r\n')).toHaveLength(4);
  });
});
