import { and, eq, isNull, sql } from 'drizzle-orm';
import { appendAudit, type AuditActor } from '../../audit/append.js';
import { queryRows } from '../../db/client.js';
import { campaignItems, campaigns, reviewItems } from '../../db/schema/index.js';
import { CERTIFICATION } from '../../domain/evidence.js';
import { auditReview, changeReview, UNDECIDED } from '../change.js';
import { decideAs, safely } from '../decide.js';
import { loadSnapshots } from '../snapshot.js';
import type { CampaignDeps } from './deps.js';
import { findCampaign } from './status.js';

export type CloseMode = 'skip' | 'revoke' | 'escalate';

export interface CloseInput {
  ref: string;
  /** Default: the policy's `certification.close`. */
  mode?: CloseMode;
  actorSlackId: string | null;
}

export type CloseResult =
  | {
      ok: true;
      number: number;
      mode: CloseMode;
      skipped: number;
      revoked: number;
      escalated: number;
      witnessedSeq: number | null;
    }
  | { ok: false; message: string };

interface Left {
  campaignItemId: string;
  reviewItemId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
}

/**
 * Ends a campaign. What is still undecided is handled as asked, each as an audited
 * system decision: `revoke` through the outbox (as a timeout does), `escalate` to the
 * security channel, `skip` closes the certification (a joined finding review stays open
 * for its finding). Then the campaign row and its audit row, and the chain's head is
 * witnessed outside the database.
 */
export async function closeCampaign(deps: CampaignDeps, input: CloseInput): Promise<CloseResult> {
  const campaign = await findCampaign(deps.db, input.ref);
  if (!campaign) return { ok: false, message: `There is no campaign ${input.ref}.` };
  if (campaign.status === 'closed') return { ok: false, message: `Campaign #${campaign.number} is already closed.` };
  const mode = input.mode ?? deps.policy.policy.certification.close;
  const actor: AuditActor = input.actorSlackId
    ? { type: 'slack_user', slackId: input.actorSlackId }
    : { type: 'system', job: 'campaign-close' };
  const left = await queryRows<Record<string, string>>(
    deps.db,
    sql`select ci.id::text as campaign_item_id, r.id::text as review_item_id, r.kind, r.subject_type, r.subject_id
        from campaign_items ci join review_items r on r.id = ci.review_item_id
        where ci.campaign_id = ${campaign.id}::uuid and ci.closed_as is null and r.status in ('pending', 'open')
        order by r.created_at, r.id`,
  );
  const items: Left[] = left.map((r) => ({
    campaignItemId: r.campaign_item_id!,
    reviewItemId: r.review_item_id!,
    kind: r.kind!,
    subjectType: r.subject_type!,
    subjectId: r.subject_id!,
  }));
  const counts = { skipped: 0, revoked: 0, escalated: 0 };
  for (const item of items) {
    let as: 'skipped' | 'revoked' | 'escalated' = 'skipped';
    if (mode === 'revoke') {
      const r = await decideAs(
        deps,
        { itemId: item.reviewItemId, actorSlackId: 'system', decision: 'revoke', via: 'campaign_close' },
        'system',
      );
      // Nothing Steward can revoke here (or decided meanwhile): it is skipped instead.
      if (r.ok) as = 'revoked';
    } else if (mode === 'escalate') {
      if (await escalate(deps, campaign.number, item, actor)) as = 'escalated';
    }
    if (as === 'skipped') await skip(deps, campaign.number, item, actor);
    else await markItem(deps, item.campaignItemId, as);
    counts[as]++;
  }
  const now = deps.now();
  const closed = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set({ status: 'closed', closedAt: now, closedBySlackId: input.actorSlackId, closeMode: mode })
      .where(and(eq(campaigns.id, campaign.id), eq(campaigns.status, 'open')))
      .returning({ id: campaigns.id });
    if (!row) return false;
    const { seq } = await appendAudit(tx, {
      actor,
      action: 'campaign.closed',
      outcome: 'closed',
      details: { campaignId: campaign.id, number: campaign.number, scope: campaign.scope, mode, ...counts },
      policyVersion: deps.policy.version,
      at: now,
    });
    await tx.update(campaigns).set({ auditToSeq: seq }).where(eq(campaigns.id, campaign.id));
    return true;
  });
  if (!closed) return { ok: false, message: `Campaign #${campaign.number} is already closed.` };
  let witnessedSeq: number | null = null;
  if (deps.witness) {
    try {
      witnessedSeq = (await deps.witness.postHead())?.seq ?? null;
    } catch (err) {
      deps.logger.error(
        { err, campaign: campaign.number },
        'could not witness the audit head after closing a campaign',
      );
    }
  }
  return { ok: true, number: campaign.number, mode, ...counts, witnessedSeq };
}

async function markItem(deps: CampaignDeps, campaignItemId: string, as: string): Promise<void> {
  await deps.db
    .update(campaignItems)
    .set({ closedAs: as })
    .where(and(eq(campaignItems.id, campaignItemId), isNull(campaignItems.closedAs)));
}

/** A certification closes undecided; a joined review stays open for its finding. Audited either way. */
async function skip(deps: CampaignDeps, number: number, item: Left, actor: AuditActor): Promise<void> {
  const now = deps.now();
  const reason = `campaign #${number} closed before anyone decided`;
  const changed = await deps.db.transaction(async (tx) => {
    const [marked] = await tx
      .update(campaignItems)
      .set({ closedAs: 'skipped' })
      .where(and(eq(campaignItems.id, item.campaignItemId), isNull(campaignItems.closedAs)))
      .returning({ id: campaignItems.id });
    if (!marked) return null;
    const row =
      item.kind === CERTIFICATION
        ? await changeReview(tx, item.reviewItemId, UNDECIDED, { status: 'closed', closedReason: reason }, now, {
            newVersion: true,
          })
        : undefined;
    await auditReview(
      tx,
      deps,
      { actor, at: now },
      { id: item.reviewItemId, subjectType: item.subjectType, subjectId: item.subjectId },
      {
        action: 'campaign.item_skipped',
        outcome: 'skipped',
        details: { campaign: number, reviewClosed: row !== undefined },
      },
    );
    return row ?? null;
  });
  if (changed?.slackChannel) {
    const [s] = await loadSnapshots(deps.db, [changed.id], deps.policy.policy);
    if (s) await safely(deps, () => deps.notifier.refresh(s), s.item.id);
  }
}

/** Posted to the security channel, where admins decide it; the review stays open. */
async function escalate(deps: CampaignDeps, number: number, item: Left, actor: AuditActor): Promise<boolean> {
  const now = deps.now();
  const claimed = await deps.db.transaction(async (tx) => {
    const row = await changeReview(
      tx,
      item.reviewItemId,
      and(sql`${reviewItems.status} in ('pending', 'open')`, isNull(reviewItems.escalatedAt)),
      { escalatedAt: now },
      now,
    );
    if (!row) return undefined;
    await auditReview(tx, deps, { actor, at: now }, row, {
      action: 'review.escalated',
      outcome: 'escalated',
      details: { campaign: number, why: 'campaign closed', assigneeSlackId: row.assigneeSlackId },
    });
    return row;
  });
  if (!claimed) return false;
  const [snap] = await loadSnapshots(deps.db, [item.reviewItemId], deps.policy.policy);
  if (!snap) return true;
  try {
    const ref = await deps.notifier.escalate(snap);
    await deps.db
      .update(reviewItems)
      .set({ escalationChannel: ref.channel, escalationTs: ref.ts })
      .where(eq(reviewItems.id, item.reviewItemId));
  } catch (err) {
    deps.logger.error({ err, reviewItemId: item.reviewItemId }, 'could not post a campaign escalation');
  }
  return true;
}
