import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { auditLog, findings, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, buttonsOf, dmMessages } from '../helpers/slack-inspect.js';

async function openKeyReviews(h: Harness, owner: Person, names: string[]) {
  const ids: string[] = [];
  for (const name of names) {
    const keyId = await seedKey(h, name, owner);
    ids.push(await seedFinding(h, evidence('dormant_key', { type: 'api_key', id: keyId, label: name }, owner)));
  }
  await h.steward.services.review.openAndDeliver({ findingIds: ids });
  return h.db.db.select().from(reviewItems).where(inArray(reviewItems.findingId, ids));
}

const reminders = (h: Harness, p: Person) =>
  dmMessages(h.slack, p.slackId).filter((m) => /access reviews? waiting/.test(m.text));

describe('reminders and escalation (timeout: escalate)', () => {
  let h: Harness;
  let bob: Person;
  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-02T09:00:00Z' });
    bob = await seedPerson(h, 'bob');
  });
  afterAll(async () => h?.stop());

  it('reminds once per reviewer per scheduled day, batching their reviews, then escalates when overdue', async () => {
    const items = await openKeyReviews(h, bob, ['alpha-key', 'beta-key']);
    expect(items.every((i) => i.status === 'open')).toBe(true);
    const svc = h.steward.services.review;

    h.clock.advanceDays(2);
    expect((await svc.followUp()).reminded).toBe(0);

    h.clock.advanceDays(1); // day 3
    const first = await svc.followUp();
    expect(first).toMatchObject({ reminded: 2, reviewersReminded: 1, escalated: 0 });
    expect(reminders(h, bob)).toHaveLength(1);
    const text = blockText(reminders(h, bob)[0]!.blocks);
    expect(text).toContain('alpha-key');
    expect(text).toContain('beta-key');
    // The same day again: nothing more.
    expect((await svc.followUp()).reminded).toBe(0);
    expect(reminders(h, bob)).toHaveLength(1);

    h.clock.advanceDays(3); // day 6
    expect((await svc.followUp()).reminded).toBe(2);
    expect(reminders(h, bob)).toHaveLength(2);

    h.clock.advanceDays(1); // day 7: due
    const overdue = await svc.followUp();
    expect(overdue).toMatchObject({ reminded: 0, escalated: 2 });
    const escalations = h.slack.state.history(h.securityChannel).filter((m) => /Overdue review/.test(m.text));
    expect(escalations).toHaveLength(2);
    expect(buttonsOf(escalations[0]!.blocks).map((b) => b.label)).toEqual(['Keep', 'Revoke']);
    expect((await svc.followUp()).escalated).toBe(0);

    const audit = await h.db.db
      .select()
      .from(auditLog)
      .where(
        inArray(
          auditLog.reviewItemId,
          items.map((i) => i.id),
        ),
      );
    expect(audit.filter((a) => a.action === 'review.reminded')).toHaveLength(4);
    expect(audit.filter((a) => a.action === 'review.escalated')).toHaveLength(2);

    // An admin decides from the escalation; both messages settle.
    const esc = escalations[0]!;
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: esc.channel,
      ts: esc.ts,
      actionId: 'steward_revoke',
    });
    await eventually(() => blockText(h.slack.state.message(esc.channel, esc.ts)!.blocks).includes('Revoked'));
    const decided = (
      await h.db.db
        .select()
        .from(reviewItems)
        .where(
          inArray(
            reviewItems.id,
            items.map((i) => i.id),
          ),
        )
    ).find((i) => i.status === 'decided')!;
    const dm = h.slack.state.message(decided.slackChannel!, decided.slackTs!)!;
    expect(blockText(dm.blocks)).toContain('Revoked');
    expect(buttonsOf(dm.blocks).map((b) => b.label)).not.toContain('Keep');
  });

  it('closes a review whose finding resolved on its own and says so', async () => {
    const [item] = await openKeyReviews(h, bob, ['comes-back']);
    await h.db.db
      .update(findings)
      .set({ status: 'resolved', resolution: 'no_longer_dormant', resolvedAt: h.clock.now() })
      .where(eq(findings.id, item!.findingId!));
    expect((await h.steward.services.review.followUp()).closed).toBe(1);
    const msg = h.slack.state.message(item!.slackChannel!, item!.slackTs!)!;
    expect(blockText(msg.blocks)).toContain('No longer needed');
    expect(blockText(msg.blocks)).toContain('it is in use again');
    expect(buttonsOf(msg.blocks)).toEqual([]);
  });
});

describe('timeout: revoke', () => {
  let h: Harness;
  let bob: Person;
  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-02T09:00:00Z', policy: 'review:\n  timeout: revoke\n  due_days: 5\n' });
    bob = await seedPerson(h, 'bob');
  });
  afterAll(async () => h?.stop());

  it('revokes an overdue review as the system, audited as a timeout', async () => {
    const [item] = await openKeyReviews(h, bob, ['forgotten-key']);
    h.clock.advanceDays(5);
    const r = await h.steward.services.review.followUp();
    expect(r.timedOutRevoked).toBe(1);
    await eventually(() => h.anthropic.state.apiKeys.get(item!.subjectId)?.status === 'inactive');
    const [after] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item!.id));
    expect(after).toMatchObject({ status: 'decided', decision: 'timeout_revoke', decidedBySlackId: null });
    // The key flips before the worker's record commits: wait for the record.
    const audit = await eventually(async () => {
      const rows = (await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item!.id))).map(
        (a) => `${a.action}:${a.outcome}:${a.actorType}`,
      );
      return rows.some((r) => r.startsWith('action.executed')) ? rows : undefined;
    });
    expect(audit).toEqual(
      expect.arrayContaining([
        'review.timeout:revoke:system',
        'review.decided:timeout_revoke:system',
        'action.executed:succeeded:system',
      ]),
    );
    await eventually(() =>
      blockText(h.slack.state.message(item!.slackChannel!, item!.slackTs!)!.blocks).includes('timed out'),
    );
  });
});

describe('timeout: none', () => {
  let h: Harness;
  let bob: Person;
  beforeAll(async () => {
    h = await startHarness({ now: '2026-11-02T09:00:00Z', policy: 'review:\n  timeout: none\n' });
    bob = await seedPerson(h, 'bob');
  });
  afterAll(async () => h?.stop());

  it('leaves overdue reviews alone', async () => {
    const [item] = await openKeyReviews(h, bob, ['left-alone']);
    h.clock.advanceDays(30);
    const r = await h.steward.services.review.followUp();
    expect(r).toMatchObject({ escalated: 0, timedOutRevoked: 0 });
    const [after] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item!.id));
    expect(after!.status).toBe('open');
    expect(h.slack.state.history(h.securityChannel)).toEqual([]);
  });
});
