import { eq, inArray, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import { queryRows } from '../db/client.js';
import { certifications, lifecycleNotices, reviewItems } from '../db/schema/index.js';
import type { Evidence } from '../domain/evidence.js';
import type { ReviewDeps } from './deps.js';
import type { MessageRef } from './notifier.js';
import { addDays, KEEP_ENDING_NOTICE_DAYS, keepEndingNoticeDue } from './timing.js';

export type Certification = typeof certifications.$inferSelect;

/** What the "your Keep ends in 7 days" DM shows. */
export interface KeepEnding {
  certification: Certification;
  /** The access as its review showed it. */
  evidence: Evidence;
  /** Set once renewed from the DM: the new certification. */
  renewal: Certification | null;
}

/** How Steward tells a Keep's owner it is ending; the Slack adapter implements it. */
export interface KeepEndingNotifier {
  /** The DM with **Keep** (renew now); its place is stored to show the renewal later. */
  ending(slackId: string, k: KeepEnding): Promise<MessageRef>;
  /** Re-render that DM (renewed). */
  refresh(ref: MessageRef, k: KeepEnding): Promise<void>;
}

export interface KeepEndingDeps extends ReviewDeps {
  keepEnding: KeepEndingNotifier;
}

export const noticeKey = (certificationId: string) => `keep-ending:${certificationId}`;

/**
 * Certifications within 7 days of their end (issue 20): the latest Keep of each finding
 * (a renewal supersedes it), for access that still exists, not yet announced. The reviewer
 * who kept it (the review's assignee, else whoever certified it) gets one DM. The notice is
 * claimed in `lifecycle_notices` before it is sent, so replicas and restarts send it once;
 * a send Slack refuses releases the claim for the next hour.
 */
export async function sendKeepEndingNotices(deps: KeepEndingDeps): Promise<{ keepEndingTold: number }> {
  const now = deps.now();
  const ids = await queryRows<{ id: string }>(
    deps.db,
    sql`select c.id::text as id from certifications c
        where c.review_item_id is not null
          and c.valid_until > ${now.toISOString()}::timestamptz
          and c.valid_until <= ${addDays(now, KEEP_ENDING_NOTICE_DAYS).toISOString()}::timestamptz
          and not exists (select 1 from certifications n where n.fingerprint = c.fingerprint and n.valid_until > c.valid_until)
          and not exists (select 1 from lifecycle_notices l where l.key = 'keep-ending:' || c.id::text)
          and case c.subject_type
                when 'api_key' then exists (select 1 from api_keys k where k.id = c.subject_id
                                            and k.removed_at is null and k.status = 'active')
                when 'user' then exists (select 1 from org_users u where u.id = c.subject_id and u.removed_at is null)
                when 'service_account' then exists (select 1 from service_accounts s where s.id = c.subject_id
                                                    and s.removed_at is null)
                else true end
        order by c.valid_until limit 200`,
  );
  if (ids.length === 0) return { keepEndingTold: 0 };
  const certs = await deps.db
    .select({ c: certifications, item: reviewItems })
    .from(certifications)
    .innerJoin(reviewItems, eq(reviewItems.id, certifications.reviewItemId))
    .where(
      inArray(
        certifications.id,
        ids.map((r) => r.id),
      ),
    );
  let told = 0;
  for (const { c, item } of certs) {
    if (!keepEndingNoticeDue(c, now)) continue;
    const to = item.assigneeSlackId ?? c.certifiedBySlackId;
    if (!to) continue;
    if (await tell(deps, c, item.evidenceShown as unknown as Evidence, to)) told++;
  }
  return { keepEndingTold: told };
}

async function tell(deps: KeepEndingDeps, c: Certification, evidence: Evidence, to: string): Promise<boolean> {
  const key = noticeKey(c.id);
  const claimed = await queryRows(
    deps.db,
    sql`insert into lifecycle_notices (key, recipient_slack_id, sent_at)
        values (${key}, ${to}, ${deps.now().toISOString()}::timestamptz)
        on conflict (key) do nothing returning key`,
  );
  if (claimed.length === 0) return false;
  let ref: MessageRef;
  try {
    ref = await deps.keepEnding.ending(to, { certification: c, evidence, renewal: null });
  } catch (err) {
    await deps.db.delete(lifecycleNotices).where(eq(lifecycleNotices.key, key));
    deps.logger.warn({ err, certificationId: c.id }, 'could not tell the owner their Keep is ending; tried next hour');
    return false;
  }
  const at = deps.now();
  await deps.db.transaction(async (tx) => {
    await tx
      .update(lifecycleNotices)
      .set({ slackChannel: ref.channel, slackTs: ref.ts, sentAt: at })
      .where(eq(lifecycleNotices.key, key));
    await appendAudit(tx, {
      actor: { type: 'system', job: 'notice' },
      action: 'notice.keep_ending',
      subject: { type: c.subjectType, id: c.subjectId },
      reviewItemId: c.reviewItemId,
      outcome: 'told',
      details: { certificationId: c.id, slackId: to, validUntil: c.validUntil.toISOString(), channel: ref.channel },
      policyVersion: deps.policy.version,
      at,
    });
  });
  return true;
}
