import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, claims, findings, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf, dmMessages } from '../helpers/slack-inspect.js';

describe('security channel', () => {
  let h: Harness;
  let dave: Person;
  let erin: Person;
  let outsider: string;

  beforeAll(async () => {
    h = await startHarness();
    dave = await seedPerson(h, 'dave');
    erin = await seedPerson(h, 'erin');
    outsider = h.slack.addUser({ name: 'vendor', email: 'vendor@elsewhere.test' }).id;
    h.slack.state.channel(h.securityChannel)!.members.add(outsider);
  });
  afterAll(async () => h?.stop());

  async function open(e: ReturnType<typeof evidence>, orgId?: string) {
    const findingId = await seedFinding(h, e);
    if (orgId) await h.db.db.update(findings).set({ orgId }).where(eq(findings.id, findingId));
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    return { item: item!, msg: h.slack.state.message(item!.slackChannel!, item!.slackTs!)! };
  }

  it('posts an unowned key with Claim and Revoke; a member claims it and gets the review', async () => {
    const keyId = await seedKey(h, 'mystery-key', null);
    const { item, msg } = await open(
      evidence('unowned_key', { type: 'api_key', id: keyId, label: 'mystery-key' }, null),
      // Of an organisation (issue 17): the claim is about access there.
      'org-claimed-in',
    );
    expect(item.orgId).toBe('org-claimed-in');
    expect(msg.channel).toBe(h.securityChannel);
    expect(buttonsOf(msg.blocks).map((b) => b.label)).toEqual(['Claim', 'Revoke']);
    expect(blockText(msg.blocks)).toContain('no creator recorded');

    // Someone outside the Claude organisation cannot claim it.
    await h.slack.driver.clickButton({ userId: outsider, channel: msg.channel, ts: msg.ts, actionId: 'steward_claim' });
    await eventually(() =>
      h.slack.state.ephemeralsFor(outsider).some((e) => /Only members of the Claude organisation/.test(e.text)),
    );
    // Nor can a non-admin revoke it.
    await h.slack.driver.clickButton({
      userId: erin.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
    });
    await eventually(() => h.slack.state.ephemeralsFor(erin.slackId).some((e) => /Only Steward admins/.test(e.text)));

    await h.slack.driver.clickButton({
      userId: dave.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_claim',
    });
    const dm = await eventually(() =>
      dmMessages(h.slack, dave.slackId).find((m) => blockText(m.blocks).includes('mystery-key')),
    );
    expect(buttonsOf(dm.blocks).map((b) => b.label)).toEqual(['Keep', 'Revoke', 'Not mine']);
    expect(blockText(dm.blocks)).toContain('You claimed it');
    const channelMsg = h.slack.state.message(msg.channel, msg.ts)!;
    expect(blockText(channelMsg.blocks)).toContain(`Claimed* by <@${dave.slackId}>`);
    expect(buttonsOf(channelMsg.blocks)).toEqual([]);
    const [claim] = await h.db.db.select().from(claims).where(eq(claims.reviewItemId, item.id));
    expect(claim).toMatchObject({
      subjectType: 'api_key',
      subjectId: keyId,
      claimedBySlackId: dave.slackId,
      claimedByUserId: dave.userId,
      orgId: 'org-claimed-in',
    });
    // The DM is posted first and recorded right after: wait for the record.
    const actions = await eventually(async () => {
      const rows = (await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item.id))).map(
        (a) => `${a.action}:${a.outcome}`,
      );
      return rows.length === 5 ? rows : undefined;
    });
    expect(actions).toEqual([
      'review.delivered:sent_to_security_channel',
      'review.refused:refused',
      'review.refused:refused',
      'review.claimed:claimed',
      'review.delivered:sent_to_owner',
    ]);
  });

  it('sends a review whose owner has no Slack account to the security channel', async () => {
    const noSlack = await seedPerson(h, 'frank', { inSlack: false });
    const keyId = await seedKey(h, 'franks-key', noSlack);
    const { item, msg } = await open(
      evidence('dormant_key', { type: 'api_key', id: keyId, label: 'franks-key' }, noSlack),
    );
    expect(item.route).toBe('security_channel');
    expect(msg.channel).toBe(h.securityChannel);
    expect(buttonsOf(msg.blocks).map((b) => b.label)).toEqual(['Claim', 'Revoke']);
  });

  it('reroutes to the security channel when the owner cannot be DMed (deactivated in Slack)', async () => {
    const gone = await seedPerson(h, 'gina');
    const keyId = await seedKey(h, 'ginas-key', gone);
    const e = evidence('dormant_key', { type: 'api_key', id: keyId, label: 'ginas-key' }, gone);
    const findingId = await seedFinding(h, { ...e, owner: { ...e.owner, slackId: gone.slackId } });
    h.slack.state.deactivateUser(gone.slackId);
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    expect(item!.route).toBe('security_channel');
    expect(item!.status).toBe('open');
    expect(item!.slackChannel).toBe(h.securityChannel);
    const msg = h.slack.state.message(item!.slackChannel!, item!.slackTs!)!;
    expect(blockText(msg.blocks)).toContain('could not be reached in Slack');
  });

  it("raises an anomaly with Acknowledge / Revoke / Ask owner; the owner's answer lands in the alert thread", async () => {
    const keyId = await seedKey(h, 'spiky', erin);
    const e = evidence('usage_spike', { type: 'api_key', id: keyId, label: 'spiky' }, erin, {
      rule: '48,000 requests on 2026-11-21, 12× its 14-day baseline (4,000/day).',
      anomaly: { day: '2026-11-21', requests: 48000, baseline: 4000 },
    });
    const { item, msg } = await open(e);
    expect(msg.channel).toBe(h.securityChannel);
    expect(buttonsOf(msg.blocks).map((b) => b.label)).toEqual(['Acknowledge', 'Revoke', 'Ask owner']);

    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_ask_owner',
    });
    const question = await eventually(() =>
      dmMessages(h.slack, erin.slackId).find((m) => /Was this you/.test(blockText(m.blocks))),
    );
    expect(buttonsOf(question.blocks).map((b) => b.label)).toEqual(['Yes, it was me', 'No, it was not me']);
    // Only the person asked can answer.
    await h.slack.driver.clickButton({
      userId: dave.slackId,
      channel: question.channel,
      ts: question.ts,
      actionId: 'steward_answer_no',
      force: true,
    });
    await h.slack.driver.clickButton({
      userId: erin.slackId,
      channel: question.channel,
      ts: question.ts,
      actionId: 'steward_answer_no',
    });
    const reply = await eventually(() => h.slack.state.replies(msg.channel, msg.ts).find((r) => /NOT me/.test(r.text)));
    expect(reply.text).toContain(`<@${erin.slackId}>`);
    const [after] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
    expect(after!.ownerAnswer).toBe('no');
    // The alert is refreshed (chat.update) just after the thread reply is posted: wait for it.
    // Under Slack's limits the reply can meet a 429 first, which moves the two apart in time.
    await eventually(() => {
      expect(buttonsOf(h.slack.state.message(msg.channel, msg.ts)!.blocks).map((b) => b.label)).toEqual([
        'Acknowledge',
        'Revoke',
      ]);
      return true;
    });

    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
    });
    await eventually(() => h.anthropic.state.apiKeys.get(keyId)?.status === 'inactive');
    // The key changes before the worker records it: wait for the record.
    const audit = await eventually(async () => {
      const rows = (await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item.id))).map(
        (a) => a.action,
      );
      return rows.includes('action.executed') ? rows : undefined;
    });
    expect(audit).toEqual(
      expect.arrayContaining([
        'review.owner_asked',
        'review.refused',
        'review.owner_answered',
        'review.decided',
        'action.executed',
      ]),
    );
  });

  it('acknowledging an alert settles it without touching the Admin API', async () => {
    const keyId = await seedKey(h, 'ack-me', erin);
    const { item, msg } = await open(
      evidence('dormant_resumed', { type: 'api_key', id: keyId, label: 'ack-me' }, erin),
    );
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_acknowledge',
    });
    const settled = await eventually(() => {
      const m = h.slack.state.message(msg.channel, msg.ts)!;
      return blockText(m.blocks).includes('Acknowledged') ? m : undefined;
    });
    expect(buttonsOf(settled.blocks)).toEqual([]);
    const [after] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
    expect(after!.decision).toBe('acknowledge');
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('active');
  });
});
