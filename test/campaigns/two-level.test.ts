import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { campaignCsv, campaignReport } from '../../src/audit/campaign-report.js';
import { auditLog, campaignItems, campaigns, orgUsers, outboxActions } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { eventually } from '../helpers/eventually.js';
import { seedKey, seedPerson, type Person, storedReview } from '../helpers/review-fixtures.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

/**
 * Two-level review in a campaign (issue 16), through the real receiver: the policy gives
 * the `keys` scope an approver (`admins`); the owner decides first, a Steward admin who
 * is not the first reviewer confirms or overrides; each step is audited, the first
 * reviewer's own approval is refused, and the report shows both steps.
 */
const OLGA = 'UOLGA00002';

describe('two-level campaign review', () => {
  let h: Harness;
  let bob: Person;
  let olga: Person;

  beforeAll(async () => {
    h = await startHarness({
      admins: [OLGA],
      policy: 'campaigns:\n  - scope: keys\n    cron: "0 0 1 1 *"\n    approver: admins\n',
    });
    bob = await seedPerson(h, 'bob');
    // Olga: a member of the organisation and, by her Slack id, a Steward admin.
    const u = h.anthropic.state.addUser({ email: 'olga@example.com', name: 'olga', role: 'user' as never });
    await h.db.db.insert(orgUsers).values({
      id: u.id,
      email: 'olga@example.com',
      name: 'olga',
      role: 'user',
      addedAt: new Date('2026-01-05T00:00:00Z'),
    });
    h.slack.addUser({ id: OLGA, name: 'olga', email: 'olga@example.com', real_name: 'Olga' });
    olga = { slackId: OLGA, userId: u.id, email: 'olga@example.com' };
  });
  afterAll(async () => h?.stop());

  const review = (id: string) => storedReview(h, id);
  const messageAbout = (userId: string, label: string, extra = '') =>
    eventually(() =>
      dmMessages(h.slack, userId).find(
        (m) => blockText(m.blocks).includes(label) && blockText(m.blocks).includes(extra),
      ),
    );
  const click = (userId: string, m: { channel: string; ts: string }, actionId: string, force = false) =>
    h.slack.driver.clickButton({ userId, channel: m.channel, ts: m.ts, actionId, force });
  async function keep(userId: string, m: { channel: string; ts: string }, reason: string) {
    const before = h.slack.state.modalStack(userId).at(-1)?.id;
    await click(userId, m, 'steward_keep');
    const modal = await eventually(() => {
      const v = h.slack.state.modalStack(userId).at(-1);
      return v && v.id !== before ? v : undefined;
    });
    await h.slack.driver.submitView({ userId, viewId: modal.id, values: { reason, duration: '90' } });
  }
  const audits = (reviewItemId: string, action: string) =>
    h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.reviewItemId, reviewItemId), eq(auditLog.action, action)));
  const assigned = (id: string, from: string) =>
    eventually(async () => {
      const r = await review(id);
      return r.assigneeSlackId !== from && r.status === 'open' ? r : undefined;
    });

  it('owner first, then an approver who is not them; confirmed, overridden, self-approval refused', async () => {
    const k1 = await seedKey(h, 'etl-nightly', bob);
    const k2 = await seedKey(h, 'report-export', bob);
    const k3 = await seedKey(h, 'olga-tooling', olga);

    const started = await h.slack.driver.slashCommand({
      userId: h.admin.id,
      command: '/steward',
      text: 'campaign start keys',
    });
    expect(started.status).toBe(200);
    const [campaign] = await eventually(async () => {
      const c = await h.db.db.select().from(campaigns);
      return c.length === 1 ? c : undefined;
    });
    expect(campaign!.approver).toBe('admins');
    const items = await eventually(async () => {
      const rows = await h.db.db.select().from(campaignItems).where(eq(campaignItems.campaignId, campaign!.id));
      return rows.length === 3 ? rows : undefined;
    });
    const itemOf = (key: string) => items.find((i) => i.subjectId === key)!.reviewItemId;

    // 1. Bob revokes etl-nightly: a first step only; nothing is revoked yet.
    const m1 = await messageAbout(bob.slackId, 'etl-nightly');
    await click(bob.slackId, m1, 'steward_revoke');
    const r1 = await assigned(itemOf(k1), bob.slackId);
    expect([h.admin.id, OLGA]).toContain(r1.assigneeSlackId);
    expect(r1.assignedVia).toBe('approver');
    expect(await h.db.db.select().from(outboxActions)).toEqual([]);
    expect(h.anthropic.state.apiKeys.get(k1)?.status).toBe('active');
    const [first1] = await audits(r1.id, 'review.first_decision');
    expect(first1).toMatchObject({ outcome: 'revoke', actorSlackId: bob.slackId });
    // Bob's message says who confirms it; the approver's DM says what bob chose.
    await eventually(() =>
      /confirms or overrides it/.test(h.slack.state.history(m1.channel).find((x) => x.ts === m1.ts)?.text ?? ''),
    );
    const a1 = await messageAbout(r1.assigneeSlackId!, 'etl-nightly', 'chose *Revoke*');
    // Bob cannot approve his own first step (he is no longer the assignee, and it is refused).
    await click(bob.slackId, a1, 'steward_revoke', true);
    await eventually(async () => (await audits(r1.id, 'review.refused')).length === 1);
    // The approver confirms: the key is revoked through the Admin API.
    await click(r1.assigneeSlackId!, a1, 'steward_revoke');
    await eventually(() => h.anthropic.state.apiKeys.get(k1)?.status === 'inactive');
    const [decided1] = await audits(r1.id, 'review.decided');
    expect(decided1!.details).toMatchObject({
      decision: 'revoke',
      approval: 'confirmed',
      firstStep: { decision: 'revoke', bySlackId: bob.slackId },
    });

    // 2. Bob keeps report-export; the approver overrides with Revoke.
    const m2 = await messageAbout(bob.slackId, 'report-export');
    await keep(bob.slackId, m2, 'Board pack each quarter');
    const r2 = await assigned(itemOf(k2), bob.slackId);
    const a2 = await messageAbout(r2.assigneeSlackId!, 'report-export', 'chose *Keep*');
    await click(r2.assigneeSlackId!, a2, 'steward_revoke');
    await eventually(() => h.anthropic.state.apiKeys.get(k2)?.status === 'inactive');
    expect((await audits(r2.id, 'review.decided'))[0]!.details).toMatchObject({
      approval: 'overridden',
      firstStep: { decision: 'keep', reason: 'Board pack each quarter' },
    });

    // 3. Olga, a Steward admin, keeps her own key: the approver is Ada, never Olga; Olga's
    //    attempt to approve it anyway (admins may decide any review) is refused and audited.
    const m3 = await messageAbout(OLGA, 'olga-tooling');
    await keep(OLGA, m3, 'My deploy tooling');
    const r3 = await assigned(itemOf(k3), OLGA);
    expect(r3.assigneeSlackId).toBe(h.admin.id);
    const a3 = await messageAbout(h.admin.id, 'olga-tooling', 'chose *Keep*');
    await click(OLGA, a3, 'steward_revoke', true);
    await eventually(() =>
      [...dmMessages(h.slack, OLGA), ...h.slack.state.ephemeralsFor(OLGA)].some((m) =>
        (m.text ?? '').includes('someone else confirms or overrides it'),
      ),
    );
    const refused = await audits(r3.id, 'review.refused');
    expect(refused.map((a) => [a.actorSlackId, (a.details as { twoLevel?: boolean }).twoLevel])).toEqual([
      [OLGA, true],
    ]);
    expect((await review(r3.id)).status).toBe('open');
    await keep(h.admin.id, a3, 'Confirmed with the platform lead');
    const done = await eventually(async () => {
      const r = await review(r3.id);
      return r.status === 'decided' ? r : undefined;
    });
    expect(done).toMatchObject({ decision: 'keep', decidedBySlackId: h.admin.id });

    // The report shows both steps, matching the database.
    const report = (await campaignReport(h.db.db, '1', h.clock.now()))!;
    const byKey = new Map(report.items.map((i) => [i.subjectId, i]));
    expect(byKey.get(k1)).toMatchObject({
      outcome: 'revoke',
      approval: 'confirmed',
      firstStep: { bySlackId: bob.slackId },
    });
    expect(byKey.get(k2)).toMatchObject({ outcome: 'revoke', approval: 'overridden', firstStep: { decision: 'keep' } });
    expect(byKey.get(k3)).toMatchObject({ outcome: 'keep', approval: 'confirmed', decidedBy: h.admin.id });
    const csv = campaignCsv(report).trim().split('\r\n');
    expect(csv[0]).toContain('"first_decision","first_decided_by","first_reason","approval"');
    expect(csv.find((l) => l.includes('report-export'))).toMatch(
      /"keep","U[A-Z0-9]+","Board pack each quarter","overridden"$/,
    );
  });
});
