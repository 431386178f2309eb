import { and, eq } from 'drizzle-orm';
import { CERTIFICATION, type Evidence } from '../../domain/evidence.js';
import { campaignItems } from '../../db/schema/index.js';
import type { Executor } from '../../db/types.js';
import type { ReviewItem } from '../snapshot.js';
import { isSelfReview } from './rules.js';

/**
 * Whether the actor would be certifying their own privileged access: the review is a
 * campaign's certification, or an open review a campaign joined for privileged access,
 * and the actor holds it. Read from stored state, never from the click.
 */
export async function isCampaignSelfReview(
  ex: Executor,
  item: Pick<ReviewItem, 'id' | 'kind' | 'evidenceShown'>,
  actor: { slackId: string; anthropicUserId: string | null },
): Promise<boolean> {
  const evidence = item.evidenceShown as unknown as Evidence | null;
  if (!evidence?.subject || !evidence.access || !isSelfReview(evidence, actor)) return false;
  if (item.kind === CERTIFICATION) return true;
  const joined = await ex
    .select({ id: campaignItems.id })
    .from(campaignItems)
    .where(and(eq(campaignItems.reviewItemId, item.id), eq(campaignItems.privileged, true)))
    .limit(1);
  return joined.length > 0;
}
