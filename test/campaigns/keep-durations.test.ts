import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, campaignItems, certifications } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { eventually } from '../helpers/eventually.js';
import { seedKey, seedPerson, type Person, storedReview } from '../helpers/review-fixtures.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

/**
 * Keep in a campaign (issue 16): besides review.keep_days, "until the campaign's next
 * run" (the policy's schedule for the scope) and "until a chosen date", through the
 * real receiver; a date out of range is refused with its reason and writes nothing.
 */
describe('campaign Keep: until the next run, or a chosen date', () => {
  let h: Harness;
  let bob: Person;

  beforeAll(async () => {
    h = await startHarness({
      now: '2026-03-10T12:00:00Z',
      policy: 'review:\n  keep_days: [30, 90]\ncampaigns:\n  - scope: keys\n    cron: "0 9 1 * *"\n',
    });
    bob = await seedPerson(h, 'bob');
  });
  afterAll(async () => h?.stop());

  const review = (id: string) => storedReview(h, id);

  async function openKeep(label: string) {
    const msg = await eventually(() =>
      dmMessages(h.slack, bob.slackId).find((m) => blockText(m.blocks).includes(label)),
    );
    const before = h.slack.state.modalStack(bob.slackId).at(-1)?.id;
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_keep',
    });
    return eventually(() => {
      const m = h.slack.state.modalStack(bob.slackId).at(-1);
      return m && m.id !== before ? m : undefined;
    });
  }

  it('offers the next run and a date, and records each as the certification’s end', async () => {
    const k1 = await seedKey(h, 'etl-nightly', bob);
    const k2 = await seedKey(h, 'report-export', bob);
    const r = await h.slack.driver.slashCommand({
      userId: h.admin.id,
      command: '/steward',
      text: 'campaign start keys',
    });
    expect(r.status).toBe(200);
    const items = await eventually(async () => {
      const rows = await h.db.db.select().from(campaignItems);
      return rows.length === 2 ? rows : undefined;
    });
    const itemOf = (key: string) => items.find((i) => i.subjectId === key)!.reviewItemId;

    // The modal offers the policy's durations, the next campaign (1 April 09:00 UTC) and a date.
    const modal = await openKeep('etl-nightly');
    const radios = JSON.stringify(modal.blocks);
    expect(radios).toContain('"value":"30"');
    expect(radios).toContain('"value":"90"');
    expect(radios).toContain('Until the next campaign (2026-04-01)');
    expect(radios).toContain('"value":"date"');
    expect(radios).toContain('"type":"datepicker"');
    await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: modal.id,
      values: { reason: 'Nightly ETL for finance', duration: 'next_run' },
    });
    const kept = await eventually(async () => {
      const row = await review(itemOf(k1));
      return row.status === 'decided' ? row : undefined;
    });
    expect(kept.keepUntil).toEqual(new Date('2026-04-01T09:00:00Z'));
    const [cert] = await h.db.db.select().from(certifications).where(eq(certifications.reviewItemId, kept.id));
    expect(cert!.validUntil).toEqual(new Date('2026-04-01T09:00:00Z'));
    const [audit] = await h.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.reviewItemId, kept.id), eq(auditLog.action, 'review.decided')));
    expect(audit!.details).toMatchObject({ keepChoice: { kind: 'next_run' }, keepUntil: '2026-04-01T09:00:00.000Z' });

    // "A date" without one is refused on the form.
    const m2 = await openKeep('report-export');
    const noDate = await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: m2.id,
      values: { reason: 'Quarterly board pack', duration: 'date', keep_date: null },
      force: true,
    });
    expect(noDate.responseAction).toBe('errors');
    expect(Object.keys(noDate.errors ?? {})).toEqual(['keep_date']);
    // A date beyond the longest duration (90 days) is refused by the service, which says why; nothing is written.
    await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: m2.id,
      values: { reason: 'Quarterly board pack', duration: 'date', keep_date: '2027-01-01' },
    });
    await eventually(() =>
      [...dmMessages(h.slack, bob.slackId), ...h.slack.state.ephemeralsFor(bob.slackId)].some((m) =>
        (m.text ?? '').includes('Choose a date from 2026-03-11 to 2026-06-08'),
      ),
    );
    expect((await review(itemOf(k2))).status).toBe('open');
    expect(
      await h.db.db
        .select()
        .from(certifications)
        .where(eq(certifications.reviewItemId, itemOf(k2))),
    ).toEqual([]);

    const m3 = await openKeep('report-export');
    await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: m3.id,
      values: { reason: 'Quarterly board pack', duration: 'date', keep_date: '2026-05-15' },
    });
    const dated = await eventually(async () => {
      const row = await review(itemOf(k2));
      return row.status === 'decided' ? row : undefined;
    });
    // Through 15 May (UTC, the policy's zone): until midnight that ends it.
    expect(dated.keepUntil).toEqual(new Date('2026-05-16T00:00:00Z'));
  });
});
