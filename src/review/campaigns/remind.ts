import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../../audit/append.js';
import { reviewItems } from '../../db/schema/index.js';
import { auditReview, changeReview } from '../change.js';
import { loadSnapshots } from '../snapshot.js';
import type { CampaignDeps } from './deps.js';
import { findCampaign, openItemsOf } from './status.js';

export type RemindResult = { ok: true; reminded: number; number: number } | { ok: false; message: string };

/**
 * An admin's **Remind** from the campaign status: one DM to the reviewer listing their
 * open items in this campaign. Who may remind is checked against the configured admins;
 * each reminder is counted and audited before it is sent, as the daily reminders are.
 */
export async function remindReviewer(
  deps: CampaignDeps,
  input: { ref: string; reviewerSlackId: string; actorSlackId: string },
): Promise<RemindResult> {
  const now = deps.now();
  const actor = { type: 'slack_user' as const, slackId: input.actorSlackId };
  if (!deps.admins.includes(input.actorSlackId)) {
    await appendAudit(deps.db, {
      actor,
      action: 'campaign.remind_refused',
      outcome: 'refused',
      details: { campaign: input.ref, reviewerSlackId: input.reviewerSlackId, why: 'not an admin' },
      policyVersion: deps.policy.version,
      at: now,
    });
    return { ok: false, message: 'Only Steward admins can send campaign reminders.' };
  }
  const campaign = await findCampaign(deps.db, input.ref);
  if (!campaign) return { ok: false, message: `There is no campaign ${input.ref}.` };
  if (campaign.status !== 'open') return { ok: false, message: `Campaign #${campaign.number} is closed.` };
  const ids = await openItemsOf(deps.db, campaign.id, input.reviewerSlackId);
  if (ids.length === 0)
    return { ok: false, message: `<@${input.reviewerSlackId}> has nothing open in campaign #${campaign.number}.` };
  const claimed = await deps.db.transaction(async (tx) => {
    const out: string[] = [];
    for (const id of ids) {
      const [current] = await tx.select().from(reviewItems).where(eq(reviewItems.id, id));
      if (!current) continue;
      const row = await changeReview(
        tx,
        id,
        and(eq(reviewItems.status, 'open'), eq(reviewItems.remindersSent, current.remindersSent)),
        { remindersSent: current.remindersSent + 1, lastRemindedAt: now },
        now,
      );
      if (!row) continue;
      out.push(id);
      await auditReview(tx, deps, { actor, at: now }, row, {
        action: 'review.reminded',
        outcome: 'reminded',
        details: { campaign: campaign.number, assigneeSlackId: input.reviewerSlackId, by: input.actorSlackId },
      });
    }
    return out;
  });
  const snapshots = await loadSnapshots(deps.db, claimed, deps.policy.policy);
  await deps.notifier.remind(input.reviewerSlackId, snapshots);
  return { ok: true, reminded: claimed.length, number: campaign.number };
}
