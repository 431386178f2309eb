import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, campaignItems, campaigns, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { eventually } from '../helpers/eventually.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person, storedReview } from '../helpers/review-fixtures.js';
import { blockText, buttonsOf, dmMessages } from '../helpers/slack-inspect.js';

/**
 * Slack shows a posted message before chat.postMessage's answer reaches Steward, so the owner
 * can click while the delivery has not yet recorded where the message is. The Slack sim holds
 * the answer (a 'held' fault: the message is in the DM, the HTTP answer waits) so the click is
 * deterministically inside that window. The click's outcome must show on the clicked message,
 * and the late answer must not overwrite the newer state.
 */
describe('a click on a message whose delivery is still being recorded', () => {
  let h: Harness;
  let bob: Person;

  beforeAll(async () => {
    h = await startHarness({
      admins: ['UOLGA00003'],
      policy: 'campaigns:\n  - scope: keys\n    cron: "0 0 1 1 *"\n    approver: admins\n',
    });
    bob = await seedPerson(h, 'bob');
    h.slack.addUser({ id: 'UOLGA00003', name: 'olga', email: 'olga@example.com', real_name: 'Olga' });
  });
  afterAll(async () => h?.stop());

  const review = (id: string) => storedReview(h, id);
  /** Holds the answer to the post of the message about `label` only (other posts go through). */
  const holdPostOf = (label: string) =>
    h.slack.faults.add('chat.postMessage', {
      kind: 'held',
      times: 1,
      when: (args) => JSON.stringify(args.blocks ?? '').includes(label),
    });
  const heldPost = async (label: string) => {
    const msg = await eventually(() =>
      dmMessages(h.slack, bob.slackId).find((m) => blockText(m.blocks).includes(label)),
    );
    await eventually(() => h.slack.faults.heldCount() === 1, { what: 'the post answer held' });
    return msg;
  };

  it('Revoke: decided, shown on the clicked message, revoked, and the late answer changes nothing', async () => {
    const keyId = await seedKey(h, 'held-export', bob);
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: 'held-export' }, bob),
    );
    holdPostOf('held-export');
    const delivering = h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const msg = await heldPost('held-export');
    const [pending] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    expect(pending).toMatchObject({ status: 'pending', slackTs: null });

    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
    });
    await eventually(() => h.anthropic.state.apiKeys.get(keyId)?.status === 'inactive');
    // The clicked message no longer offers Keep / Revoke, although nothing was recorded yet.
    await eventually(() => {
      const m = h.slack.state.message(msg.channel, msg.ts)!;
      return !buttonsOf(m.blocks).some((b) => b.label === 'Keep') && blockText(m.blocks).includes('Revoked');
    });
    expect(h.slack.faults.heldCount()).toBe(1);
    expect((await review(pending!.id)).slackTs).toBeNull();

    // The answer arrives: the decision stands, the message is recorded as this review's, and
    // it shows the finished revocation.
    expect(h.slack.faults.release()).toBe(1);
    await delivering;
    const after = await review(pending!.id);
    expect(after).toMatchObject({ status: 'decided', decision: 'revoke', slackChannel: msg.channel, slackTs: msg.ts });
    const done = h.slack.state.message(msg.channel, msg.ts)!;
    expect(blockText(done.blocks)).toContain('Done: the key is deactivated');
    expect(buttonsOf(done.blocks).map((b) => b.label)).toEqual(['Restore']);
    const audit = await h.db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.reviewItemId, pending!.id))
      .orderBy(auditLog.seq);
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'review.decided:revoke',
      'action.executed:succeeded',
      'review.delivered:sent_to_owner',
    ]);
    expect(audit[2]!.details).toMatchObject({ ts: msg.ts, movedOnWhilePosting: true });
  });

  it('a campaign first step: the clicked message says who confirms; the approver gets the review, not the old message', async () => {
    const keyId = await seedKey(h, 'held-campaign-key', bob);
    holdPostOf('held-campaign-key');
    await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'campaign start keys' });
    const msg = await heldPost('held-campaign-key');
    const [campaign] = await eventually(() => h.db.db.select().from(campaigns));
    const item = await eventually(async () => {
      const rows = await h.db.db.select().from(campaignItems).where(eq(campaignItems.campaignId, campaign!.id));
      return rows.find((r) => r.subjectId === keyId);
    });
    // The held answer is this message's: its review does not know its message yet.
    expect(await review(item.reviewItemId)).toMatchObject({ status: 'pending', slackTs: null });

    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
    });
    await eventually(() => /confirms or overrides it/.test(h.slack.state.message(msg.channel, msg.ts)?.text ?? ''), {
      what: 'the first message says who confirms it',
    });
    h.slack.faults.release();
    const approver = await eventually(async () => {
      const r = await review(item.reviewItemId);
      return r.status === 'open' && r.assigneeSlackId !== bob.slackId ? r : undefined;
    });
    expect(approver.assignedVia).toBe('approver');
    // Its message is the approver's, not Bob's (the late answer did not record Bob's over it).
    expect(approver.slackTs).not.toBe(msg.ts);
    const theirs = h.slack.state.message(approver.slackChannel!, approver.slackTs!)!;
    expect(blockText(theirs.blocks)).toContain('chose *Revoke*');
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('active');
  });
  it('Claim in the security channel: the clicked post says who claimed it; the claimer gets the review', async () => {
    const keyId = await seedKey(h, 'held-mystery', null);
    const findingId = await seedFinding(
      h,
      evidence('unowned_key', { type: 'api_key', id: keyId, label: 'held-mystery' }, null),
    );
    h.slack.state.joinChannel(h.securityChannel, bob.slackId);
    holdPostOf('held-mystery');
    const delivering = h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const post = await eventually(() =>
      h.slack.state.history(h.securityChannel).find((m) => blockText(m.blocks).includes('held-mystery')),
    );
    await eventually(() => h.slack.faults.heldCount() === 1, { what: 'the post answer held' });

    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: post.channel,
      ts: post.ts,
      actionId: 'steward_claim',
    });
    await eventually(
      () => blockText(h.slack.state.message(post.channel, post.ts)!.blocks).includes(`Claimed* by <@${bob.slackId}>`),
      { what: 'the channel post says who claimed it' },
    );
    h.slack.faults.release();
    await delivering;
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    const claimed = await eventually(async () => {
      const r = await review(item!.id);
      return r.status === 'open' && r.assigneeSlackId === bob.slackId ? r : undefined;
    });
    expect(claimed.slackChannel).toBe(h.slack.state.dmWith(bob.slackId)!.id);
    expect(buttonsOf(h.slack.state.message(post.channel, post.ts)!.blocks)).toEqual([]);
  });
});
