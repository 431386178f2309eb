import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, certifications, lifecycleNotices, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf, dmMessages } from '../helpers/slack-inspect.js';

/**
 * "Your Keep ends in 7 days" (issue 20), end to end through the real receiver and the
 * Slack simulator: a Keep decided in a review DM is announced to its reviewer once, 7
 * days before it ends — once across runs and replicas — with **Keep** to renew it now: a
 * new certification under the Keep rules (who may, a reason, one of the policy's
 * durations), audited; anyone else is refused and audited; a second renewal is told who
 * renewed.
 */
describe('a Keep that ends in 7 days', () => {
  let h: Harness;
  let carol: Person;
  let mallory: Person;
  let keyId: string;

  const endingDms = () =>
    dmMessages(h.slack, carol.slackId).filter((m) => blockText(m.blocks).includes('Your Keep of'));

  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-02T09:00:00Z' });
    carol = await seedPerson(h, 'carol');
    mallory = await seedPerson(h, 'mallory');
    keyId = await seedKey(h, 'nightly-report', carol);
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: 'nightly-report' }, carol),
    );
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    await h.slack.driver.clickButton({
      userId: carol.slackId,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_keep',
    });
    const modal = await eventually(() => h.slack.state.modalStack(carol.slackId).at(-1));
    await h.slack.driver.submitView({
      userId: carol.slackId,
      viewId: modal.id,
      values: { reason: 'Finance reads it every morning', duration: '30' },
    });
    await eventually(async () => ((await h.db.db.select().from(certifications)).length === 1 ? true : undefined));
  }, 60_000);
  afterAll(async () => h?.stop());

  it('says nothing while the Keep has more than 7 days to run', async () => {
    h.clock.set('2026-11-24T09:00:00Z');
    expect(await h.steward.runJob('sync')).toMatchObject({ status: 'succeeded' });
    expect(endingDms()).toEqual([]);
  });

  it('7 days before it ends, the reviewer gets one DM: what, why, when, and Keep — once', async () => {
    h.clock.set('2026-11-25T10:00:00Z');
    // The hourly job and two more runners at once (as replicas would): one DM.
    const [job, ...others] = await Promise.all([
      h.steward.runJob('sync'),
      h.steward.services.keepEnding.run(),
      h.steward.services.keepEnding.run(),
    ]);
    expect(job).toMatchObject({ status: 'succeeded' });
    const sent = [
      (job as { counts?: { keepEndingTold?: number } }).counts?.keepEndingTold ?? 0,
      ...others.map((o) => o.keepEndingTold),
    ];
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    const [dm] = await eventually(() => (endingDms().length ? endingDms() : undefined));
    const text = blockText(dm!.blocks);
    expect(text).toContain('nightly-report');
    expect(text).toContain('Finance reads it every morning');
    expect(text).toContain('in 7 days');
    expect(buttonsOf(dm!.blocks).map((b) => b.label)).toEqual(['Keep']);
    // Another hour: no second DM.
    h.clock.set('2026-11-25T11:00:00Z');
    await h.steward.runJob('sync');
    expect(endingDms()).toHaveLength(1);
    const told = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'notice.keep_ending'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ subjectId: keyId, outcome: 'told' });
  });

  it('someone else cannot renew it: refused against the stored review, and audited', async () => {
    const dm = endingDms()[0]!;
    await h.slack.driver.clickButton({
      userId: mallory.slackId,
      channel: dm.channel,
      ts: dm.ts,
      actionId: 'steward_renew_keep',
      force: true, // Mallory cannot see Carol's DM: a forged click
    });
    const refused = await eventually(async () => {
      const rows = await h.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'review.refused'), eq(auditLog.actorSlackId, mallory.slackId)));
      return rows[0];
    });
    expect(refused.details).toMatchObject({ attempted: 'keep' });
    expect(h.slack.state.modalStack(mallory.slackId)).toEqual([]);
    expect(await h.db.db.select().from(certifications)).toHaveLength(1);
  });

  it('Keep renews it: a new certification from now, audited; the DM shows it; a second renewal is refused', async () => {
    const dm = endingDms()[0]!;
    const certificationId = buttonsOf(dm.blocks)[0]!.value;
    await h.slack.driver.clickButton({
      userId: carol.slackId,
      channel: dm.channel,
      ts: dm.ts,
      actionId: 'steward_renew_keep',
    });
    const modal = await eventually(() => h.slack.state.modalStack(carol.slackId).at(-1));
    expect(modal.callback_id).toBe('steward_renew_keep_modal');
    const bad = await h.slack.driver.submitView({
      userId: carol.slackId,
      viewId: modal.id,
      values: { reason: 'x', duration: '90' },
      force: true,
    });
    expect(bad.responseAction).toBe('errors');
    expect(await h.db.db.select().from(certifications)).toHaveLength(1);
    await h.slack.driver.submitView({
      userId: carol.slackId,
      viewId: modal.id,
      values: { reason: 'Still read every morning by finance', duration: '90' },
    });
    const renewal = await eventually(async () => {
      const rows = await h.db.db.select().from(certifications);
      return rows.find((c) => c.reason === 'Still read every morning by finance');
    });
    expect(renewal).toMatchObject({ certifiedBySlackId: carol.slackId, subjectId: keyId });
    expect(renewal.validUntil.toISOString().slice(0, 10)).toBe('2027-02-23');
    const audit = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'certification.renewed'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorSlackId: carol.slackId, outcome: 'keep' });
    expect(audit[0]!.details).toMatchObject({ certificationId: renewal.id, keepDays: 90 });
    const updated = await eventually(() => {
      const m = h.slack.state.message(dm.channel, dm.ts)!;
      return blockText(m.blocks).includes('Renewed') ? m : undefined;
    });
    expect(buttonsOf(updated.blocks)).toEqual([]);

    // The old button, clicked again from a stale screen: told who renewed, nothing written.
    await h.slack.driver.clickButton({
      userId: carol.slackId,
      channel: dm.channel,
      ts: dm.ts,
      actionId: 'steward_renew_keep',
      value: certificationId,
      force: true,
    });
    await eventually(() =>
      h.slack.state.ephemeralsFor(carol.slackId).find((e) => (e.text ?? '').includes('Already renewed')),
    );
    expect(await h.db.db.select().from(certifications)).toHaveLength(2);
  });

  it('the renewal is announced in its own turn, once, 7 days before it ends', async () => {
    h.clock.set('2027-02-10T09:00:00Z');
    await h.steward.runJob('sync');
    expect(endingDms()).toHaveLength(1);
    h.clock.set('2027-02-16T12:00:00Z');
    await h.steward.runJob('sync');
    await eventually(() => (endingDms().length === 2 ? true : undefined));
    const notices = await h.db.db.select().from(lifecycleNotices);
    expect(notices.filter((n) => n.key.startsWith('keep-ending:'))).toHaveLength(2);
  });
});
