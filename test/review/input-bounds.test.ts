import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { auditLog, certifications, reviewItems } from '../../src/db/schema/index.js';
import { MAX_REASON } from '../../src/review/decide.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';

/**
 * What a person types is bounded by Steward, not only by the Slack client: a forged
 * submission with a reason of a million characters gets a form error and stores nothing.
 * Clicks naming no existing item, and admin-only pages clicked by others, are answered
 * and audited.
 */
describe('input bounds and unanswered clicks', () => {
  let h: Harness;
  let bob: Person;
  let mallory: Person;

  beforeAll(async () => {
    h = await startHarness();
    bob = await seedPerson(h, 'bob');
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
    return { item: item!, msg: h.slack.state.message(item!.slackChannel!, item!.slackTs!)! };
  }

  async function openKeep(owner: Person, msg: { channel: string; ts: string }, itemId: string) {
    await h.slack.driver.clickButton({
      userId: owner.slackId,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_keep',
    });
    // The modal for this item (an earlier test's may still be on the stack).
    return eventually(() => h.slack.state.modalStack(owner.slackId).find((v) => v.private_metadata?.includes(itemId)));
  }

  const refusedRows = async (why: string) =>
    (await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'review.refused'))).filter((r) =>
      JSON.stringify(r.details).includes(why),
    );

  it('the Keep modal shows the limit the server enforces', async () => {
    const { item, msg } = await reviewFor('limit-shown', bob);
    const modal = await openKeep(bob, msg, item.id);
    const input = (modal.blocks as Array<{ block_id?: string; element?: { max_length?: number } }>).find(
      (b) => b.block_id === 'keep_reason',
    );
    expect(input?.element?.max_length).toBe(MAX_REASON);
  });

  it('refuses a Keep reason of 1,000,000 characters on the form; nothing is stored', async () => {
    const { item, msg } = await reviewFor('huge-reason', bob);
    const modal = await openKeep(bob, msg, item.id);
    const auditBefore = await queryRows<{ n: number }>(h.db.db, sql`select count(*)::int as n from audit_log`);
    const r = await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: modal.id,
      values: { reason: 'x'.repeat(1_000_000), duration: '90' },
      force: true,
    });
    expect(r.responseAction).toBe('errors');
    expect(r.errors?.['keep_reason']).toContain(`${MAX_REASON} characters`);
    const [after] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
    expect(after!.status).toBe('open');
    expect(after!.reason).toBeNull();
    expect(await h.db.db.select().from(certifications).where(eq(certifications.reviewItemId, item.id))).toEqual([]);
    const auditAfter = await queryRows<{ n: number }>(h.db.db, sql`select count(*)::int as n from audit_log`);
    expect(auditAfter[0]!.n).toBe(auditBefore[0]!.n);

    // Exactly at the limit is fine.
    const ok = await h.slack.driver.submitView({
      userId: bob.slackId,
      viewId: modal.id,
      values: { reason: 'y'.repeat(MAX_REASON), duration: '90' },
      force: true,
    });
    expect(ok.responseAction).toBeUndefined();
    const decided = await eventually(async () => {
      const [row] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
      return row?.status === 'decided' ? row : undefined;
    });
    expect(decided.reason).toHaveLength(MAX_REASON);
  });

  it('the review service itself refuses an over-long reason, whoever calls it', async () => {
    const { item } = await reviewFor('service-bound', bob);
    const r = await h.steward.services.review.decide({
      itemId: item.id,
      actorSlackId: bob.slackId,
      decision: 'keep',
      reason: 'z'.repeat(MAX_REASON + 1),
      keepDays: 90,
      via: 'modal',
    });
    expect(r).toMatchObject({ ok: false, code: 'invalid', field: 'reason' });
    const [after] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
    expect(after!.status).toBe('open');
  });

  it('answers a view submission whose state is missing with a form error, not a throw', async () => {
    const { item, msg } = await reviewFor('no-state', bob);
    const modal = await openKeep(bob, msg, item.id);
    const payload = {
      type: 'view_submission',
      team: { id: h.slack.state.team.id },
      user: { id: bob.slackId },
      view: {
        id: modal.id,
        type: 'modal',
        callback_id: 'steward_keep_modal',
        private_metadata: modal.private_metadata,
      },
    };
    const r = await h.slack.driver.send(
      `payload=${encodeURIComponent(JSON.stringify(payload))}`,
      'application/x-www-form-urlencoded',
    );
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      response_action: 'errors',
      errors: { keep_reason: expect.stringMatching(/Say why/) },
    });
    expect(h.logLines.join('')).not.toContain('unhandled Slack listener error');
    const [after] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, item.id));
    expect(after!.status).toBe('open');
  });

  for (const [i, actionId] of ['steward_keep', 'steward_revoke', 'steward_claim', 'steward_retry'].entries()) {
    it(`answers and audits a ${actionId} click naming no existing item`, async () => {
      // Retrying is for admins (a non-admin is refused before any lookup): the admin clicks that one.
      const clicker = actionId === 'steward_retry' ? h.admin.id : mallory.slackId;
      const dm = h.slack.state.openDm(clicker);
      const value = `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
      const forged = h.slack.state.postAsBot(dm.id, {
        text: 'forged',
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'button', action_id: actionId, text: { type: 'plain_text', text: 'x' }, value }],
          },
        ],
      });
      const before = (await refusedRows(value)).length;
      await h.slack.driver.clickButton({ userId: clicker, channel: dm.id, ts: forged.ts, actionId });
      await eventually(() =>
        h.slack.state.ephemeralsFor(clicker, dm.id).some((e) => /no longer exists|No such action/.test(e.text)),
      );
      const rows = await eventually(async () => {
        const r = await refusedRows(value);
        return r.length > before ? r : undefined;
      });
      expect(rows.at(-1)!.actorSlackId).toBe(clicker);
      expect(rows.at(-1)!.outcome).toBe('not_found');
    });
  }

  it('answers and audits a non-admin paging findings', async () => {
    const dm = h.slack.state.openDm(mallory.slackId);
    const forged = h.slack.state.postAsBot(dm.id, {
      text: 'findings',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'steward_findings_page_2',
              text: { type: 'plain_text', text: 'Next' },
              value: '2',
            },
          ],
        },
      ],
    });
    const click = await h.slack.driver.clickButton({
      userId: mallory.slackId,
      channel: dm.id,
      ts: forged.ts,
      actionId: 'steward_findings_page_2',
    });
    await eventually(() => click.responses().some((p) => /Only Steward admins/.test(JSON.stringify(p))));
    const rows = await eventually(async () => {
      const r = await h.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'command.run'), eq(auditLog.actorSlackId, mallory.slackId)));
      return r.length ? r : undefined;
    });
    expect(rows[0]!.outcome).toBe('refused');
    expect(JSON.stringify(rows[0]!.details)).toContain('findings');
  });
});
