import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { auditLog, certifications, findings, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf, dmMessages } from '../helpers/slack-inspect.js';

/**
 * finding → DM → click → modal → outbox → Admin API call seen by the simulated
 * Anthropic server → message updated → audit row, through the real Bolt receiver,
 * WebClient and Anthropic SDK.
 */
describe('review decisions end to end', () => {
  let h: Harness;
  let bob: Person;
  let carol: Person;
  let mallory: Person;

  beforeAll(async () => {
    h = await startHarness();
    bob = await seedPerson(h, 'bob');
    carol = await seedPerson(h, 'carol');
    mallory = await seedPerson(h, 'mallory');
  });
  afterAll(async () => h?.stop());

  async function reviewFor(keyName: string, owner: Person) {
    const keyId = await seedKey(h, keyName, owner);
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: keyName }, owner),
    );
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    const msg = h.slack.state.message(item!.slackChannel!, item!.slackTs!)!;
    return { keyId, findingId, item: item!, msg };
  }

  const auditOf = (itemId: string) =>
    h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, itemId)).orderBy(auditLog.seq);

  it('delivers a DM to the owner with the evidence and Keep / Revoke / Not mine', async () => {
    const { item, msg } = await reviewFor('nightly-export', bob);
    expect(item.status).toBe('open');
    expect(item.route).toBe('dm');
    expect(item.assigneeSlackId).toBe(bob.slackId);
    expect(msg.channel).toBe(h.slack.state.dmWith(bob.slackId)!.id);
    const text = blockText(msg.blocks);
    expect(text).toContain('nightly-export');
    expect(text).toContain('sk-ant-api03-...AbCd');
    expect(text).toContain('Activity 7 / 30 / 90 days');
    expect(text).toContain('Usage 30 days');
    expect(text).toMatch(/Last 12 weeks: `[▁▂▃▄▅▆▇█]{12}`/);
    expect(buttonsOf(msg.blocks).map((b) => b.label)).toEqual(['Keep', 'Revoke', 'Not mine']);
    expect(msg.text).toContain('nightly-export'); // plain-text fallback
    const audit = await auditOf(item.id);
    expect(audit.map((a) => a.action)).toEqual(['review.delivered']);
  });

  it('Keep: modal with reason and duration → certified, message settled, audited with the evidence', async () => {
    const { item, msg, findingId } = await reviewFor('billing-sync', bob);
    const click = await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_keep',
    });
    expect(click.status).toBe(200);
    const modal = await eventually(() => h.slack.state.modalStack(bob.slackId).at(-1));
    expect(modal.callback_id).toBe('steward_keep_modal');

    // An empty reason is refused on the form and changes nothing.
    const bad = await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: modal.id,
      values: { reason: ' x ', duration: '90' },
      force: true,
    });
    expect(bad.responseAction).toBe('errors');
    expect(Object.keys(bad.errors ?? {})).toEqual(['keep_reason']);
    expect((await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id)))[0]!.status).toBe('open');

    const ok = await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: modal.id,
      values: { reason: 'Finance exports run monthly', duration: '90' },
    });
    expect(ok.status).toBe(200);
    const decided = await eventually(async () => {
      const [r] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
      return r?.status === 'decided' ? r : undefined;
    });
    expect(decided.decision).toBe('keep');
    expect(decided.decidedBySlackId).toBe(bob.slackId);
    expect(decided.reason).toBe('Finance exports run monthly');
    expect(Math.round((decided.keepUntil!.getTime() - decided.decidedAt!.getTime()) / 86_400_000)).toBe(90);
    const [cert] = await h.db.db.select().from(certifications).where(eq(certifications.reviewItemId, item.id));
    expect(cert?.validUntil.getTime()).toBe(decided.keepUntil!.getTime());
    expect((await h.db.db.select().from(findings).where(eq(findings.id, findingId)))[0]!.resolution).toBe('certified');

    const updated = await eventually(() => {
      const m = h.slack.state.message(msg.channel, msg.ts)!;
      return blockText(m.blocks).includes('Kept') ? m : undefined;
    });
    expect(blockText(updated.blocks)).toContain(`<@${bob.slackId}>`);
    expect(blockText(updated.blocks)).toContain('Finance exports run monthly');
    expect(buttonsOf(updated.blocks)).toEqual([]);
    expect(h.anthropic.calls.all.filter((c) => c.method === 'POST' && c.path.includes('/api_keys/'))).toEqual([]);

    const decisionRows = (await auditOf(item.id)).filter((a) => a.action === 'review.decided');
    expect(decisionRows).toHaveLength(1);
    expect(decisionRows[0]!.outcome).toBe('keep');
    expect(decisionRows[0]!.actorSlackId).toBe(bob.slackId);
    expect(decisionRows[0]!.actorAnthropicId).toBe(bob.userId);
    expect((decisionRows[0]!.evidence as { subject: { label: string } }).subject.label).toBe('billing-sync');
  });

  it('Revoke: one confirm → outbox → Admin API sets the key inactive → message shows Done and Restore → Restore works', async () => {
    const { item, msg, keyId } = await reviewFor('old-prototype', bob);
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
    });
    const done = await eventually(() => {
      const m = h.slack.state.message(msg.channel, msg.ts)!;
      return blockText(m.blocks).includes('Done: the key is deactivated') ? m : undefined;
    });
    expect(blockText(done.blocks)).toContain('Revoked');
    expect(buttonsOf(done.blocks).map((b) => b.label)).toEqual(['Restore']);
    const updates = h.anthropic.calls.all.filter(
      (c) => c.method === 'POST' && c.path === `/v1/organizations/api_keys/${keyId}`,
    );
    expect(updates).toHaveLength(1);
    expect(updates[0]!.body).toMatchObject({ status: 'inactive' });
    expect(updates[0]!.headers['idempotency-key']).toMatch(/^steward:/);
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('inactive');
    const actions = await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item.id));
    expect(actions.map((a) => [a.kind, a.status])).toEqual([['deactivate_key', 'succeeded']]);
    const audit = (await auditOf(item.id)).map((a) => `${a.action}:${a.outcome}`);
    expect(audit).toEqual(['review.delivered:sent_to_owner', 'review.decided:revoke', 'action.executed:succeeded']);

    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_restore',
    });
    await eventually(() => h.anthropic.state.apiKeys.get(keyId)?.status === 'active');
    const restored = await eventually(() => {
      const m = h.slack.state.message(msg.channel, msg.ts)!;
      return blockText(m.blocks).includes('Restored') ? m : undefined;
    });
    expect(buttonsOf(restored.blocks)).toEqual([]);
  });

  it('Not mine: the named owner gets the review; the first message says where it went', async () => {
    const { item, msg } = await reviewFor('shared-analytics', bob);
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_not_mine',
    });
    const modal = await eventually(() => h.slack.state.modalStack(bob.slackId).at(-1));
    expect(modal.callback_id).toBe('steward_not_mine_modal');
    await h.slack.driver.submitView({ userId: bob.slackId, viewId: modal.id, values: { owner: carol.slackId } });
    const [moved] = await eventually(async () => {
      const rows = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
      return rows[0]?.assigneeSlackId === carol.slackId && rows[0].status === 'open' ? rows : undefined;
    });
    expect(moved!.assignedVia).toBe('reassigned');
    const carolDm = dmMessages(h.slack, carol.slackId).find((m) => blockText(m.blocks).includes('shared-analytics'));
    expect(carolDm).toBeDefined();
    expect(buttonsOf(carolDm!.blocks).map((b) => b.label)).toEqual(['Keep', 'Revoke', 'Not mine']);
    const old = h.slack.state.message(msg.channel, msg.ts)!;
    expect(blockText(old.blocks)).toContain(`passed this review to <@${carol.slackId}>`);
    expect(buttonsOf(old.blocks)).toEqual([]);
    expect(
      (await auditOf(item.id)).some((a) => a.action === 'review.reassigned' && a.actorSlackId === bob.slackId),
    ).toBe(true);
    // Bob's old buttons no longer decide anything: the review is carol's now.
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
      value: item.id,
      force: true,
    });
    await eventually(() =>
      h.slack.state.ephemeralsFor(bob.slackId).some((e) => /Only the assigned reviewer/.test(e.text)),
    );
  });

  it('refuses a non-owner, and a forged value, with an ephemeral note and an audit row; nothing changes', async () => {
    const { item, msg } = await reviewFor('payments-bot', bob);
    await h.slack.driver.clickButton({
      userId: mallory.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
      force: true,
    });
    // She is not in bob's DM, so the refusal reaches her in her own DM with the bot.
    await eventually(() => dmMessages(h.slack, mallory.slackId).some((m) => /Only the assigned reviewer/.test(m.text)));
    // A forged click from mallory's own DM naming bob's review id.
    const myDm = h.slack.state.openDm(mallory.slackId);
    const fake = h.slack.state.postAsBot(myDm.id, {
      text: 'forged',
      blocks: [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'steward_keep', text: { type: 'plain_text', text: 'Keep' }, value: item.id },
          ],
        },
      ],
    });
    await h.slack.driver.clickButton({
      userId: mallory.slackId,
      channel: myDm.id,
      ts: fake.ts,
      actionId: 'steward_keep',
    });
    await eventually(async () => (await auditOf(item.id)).filter((a) => a.action === 'review.refused').length === 2);
    await eventually(() =>
      h.slack.state.ephemeralsFor(mallory.slackId, myDm.id).some((e) => /Only the assigned reviewer/.test(e.text)),
    );
    const [after] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
    expect(after!.status).toBe('open');
    expect(h.slack.state.modalStack(mallory.slackId)).toEqual([]);
    expect(await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item.id))).toEqual([]);
  });

  it('double clicks, Slack retries and concurrent clicks give one decision, one action, one audit row', async () => {
    const { item, msg, keyId } = await reviewFor('double-click', bob);
    const click = () =>
      h.slack.driver.clickButton({ userId: bob.slackId, channel: msg.channel, ts: msg.ts, actionId: 'steward_revoke' });
    const first = await Promise.all([click(), click(), click()]);
    expect(first.every((r) => r.status === 200 && !r.late)).toBe(true);
    await h.slack.driver.resend(first[0].request, { retryNum: 1, retryReason: 'http_timeout' });
    // An admin clicking too: also told it's decided.
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
      force: true,
    });
    await eventually(() => h.anthropic.state.apiKeys.get(keyId)?.status === 'inactive');
    await eventually(
      () =>
        h.slack.state.ephemeralsFor(bob.slackId).filter((e) => /Already decided: revoked by/.test(e.text)).length >= 3,
    );
    const decisions = (await auditOf(item.id)).filter((a) => a.action === 'review.decided');
    expect(decisions).toHaveLength(1);
    expect(await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item.id))).toHaveLength(1);
    const applied = h.anthropic.calls.all.filter(
      (c) => c.method === 'POST' && c.path === `/v1/organizations/api_keys/${keyId}` && !c.replayed,
    );
    expect(applied).toHaveLength(1);
  });

  it("lets an admin decide someone else's review", async () => {
    const { item, msg } = await reviewFor('admin-decides', bob);
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
      force: true,
    });
    const decided = await eventually(async () => {
      const [r] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
      return r?.status === 'decided' ? r : undefined;
    });
    expect(decided.decidedBySlackId).toBe(h.admin.id);
  });

  it('never writes a key or token into the logs or the audit log', async () => {
    const out = h.logLines.join('');
    expect(out).not.toContain(h.anthropic.config.adminKey);
    expect(out).not.toContain(h.slack.botToken);
    const rows = await queryRows<{ j: string }>(h.db.db, sql`select row_to_json(a)::text as j from audit_log a`);
    const dump = rows.map((r) => r.j).join('\n');
    expect(dump).not.toContain(h.anthropic.config.adminKey);
    expect(dump).not.toContain(h.slack.botToken);
  });
});
