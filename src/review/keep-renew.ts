import { and, desc, eq, gt } from 'drizzle-orm';
import { certifications, lifecycleNotices } from '../db/schema/index.js';
import type { Tx } from '../db/types.js';
import type { Evidence } from '../domain/evidence.js';
import { auditActor, resolveActor, type Actor } from './actor.js';
import { auditReview } from './change.js';
import { lockItem, MAX_REASON, MIN_REASON, refuseUnlessAllowed } from './decide.js';
import { noticeKey, sendKeepEndingNotices, type Certification, type KeepEndingDeps } from './keep-ending.js';
import { fail, type ReviewResult } from './result.js';
import { loadSnapshot, type ReviewSnapshot } from './snapshot.js';
import { keepUntil } from './timing.js';

export interface RenewInput {
  certificationId: string;
  actorSlackId: string;
  reason: string;
  keepDays: number;
}

type Checked = { ok: true; cert: Certification; review: ReviewSnapshot } | { ok: false; result: ReviewResult };

/**
 * The checks a renewal makes, under the review's row lock: the same rule as a Keep
 * decision (the review's assignee or a Steward admin; nobody certifies their own admin
 * role), refusals audited; and the Keep must still be the latest and not yet ended.
 */
async function check(deps: KeepEndingDeps, tx: Tx, id: string, actor: Actor, now: Date): Promise<Checked> {
  const gone = { ok: false as const, result: fail('not_found', 'This Keep no longer exists.') };
  if (!/^[0-9a-f-]{36}$/i.test(id)) return gone;
  const [cert] = await tx.select().from(certifications).where(eq(certifications.id, id));
  if (!cert?.reviewItemId) return gone;
  const item = await lockItem(tx, cert.reviewItemId);
  if (!item) return gone;
  const refused = await refuseUnlessAllowed(deps, tx, item, actor, 'keep', now);
  if (refused) return { ok: false, result: refused };
  const [newer] = await tx
    .select()
    .from(certifications)
    .where(and(eq(certifications.fingerprint, cert.fingerprint), gt(certifications.validUntil, cert.validUntil)))
    .orderBy(desc(certifications.validUntil))
    .limit(1);
  if (newer) {
    const by = newer.certifiedBySlackId ? ` by <@${newer.certifiedBySlackId}>` : '';
    const until = newer.validUntil.toISOString().slice(0, 10);
    return { ok: false, result: fail('already_decided', `Already renewed${by}, until ${until}.`) };
  }
  if (cert.validUntil.getTime() <= now.getTime())
    return {
      ok: false,
      result: fail('closed', 'This Keep has ended; Steward asks again whether the access is still needed.'),
    };
  const review = (await loadSnapshot(tx, item.id, deps.policy.policy))!;
  return { ok: true, cert, review };
}

/** Before the Keep modal opens from the "ends in 7 days" DM: the review to show, or why not. */
export async function preflightRenew(
  deps: KeepEndingDeps,
  input: { certificationId: string; actorSlackId: string },
): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const now = deps.now();
  const r = await deps.db.transaction((tx) => check(deps, tx, input.certificationId, actor, now));
  return r.ok ? { ok: true, review: r.review } : r.result;
}

/**
 * **Keep** from the "ends in 7 days" DM (issue 20): a new certification from now for one
 * of the policy's durations, with its reason, audited `certification.renewed` in the same
 * transaction. The first renewal wins; a second (another click, a replica) is told who
 * renewed. The DM then shows the renewal.
 */
export async function renewKeep(deps: KeepEndingDeps, input: RenewInput): Promise<ReviewResult> {
  const reason = input.reason.trim();
  if (reason.length < MIN_REASON || reason.length > MAX_REASON)
    return fail('invalid', `Say why it is still needed (${MIN_REASON} to ${MAX_REASON} characters).`, {
      field: 'reason',
    });
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const now = deps.now();
  const until = keepUntil(now, input.keepDays, deps.policy.policy);
  if (!until)
    return fail('invalid', `Keep for one of: ${deps.policy.policy.review.keep_days.join(', ')} days.`, {
      field: 'duration',
    });
  const done = await deps.db.transaction(async (tx) => {
    const r = await check(deps, tx, input.certificationId, actor, now);
    if (!r.ok) return r;
    const [renewal] = await tx
      .insert(certifications)
      .values({
        fingerprint: r.cert.fingerprint,
        subjectType: r.cert.subjectType,
        subjectId: r.cert.subjectId,
        reviewItemId: r.cert.reviewItemId,
        reason,
        certifiedBySlackId: actor.slackId,
        validUntil: until,
        createdAt: now,
      })
      .returning();
    await auditReview(tx, deps, { actor: auditActor(actor), at: now }, r.review.item, {
      action: 'certification.renewed',
      outcome: 'keep',
      details: {
        certificationId: renewal!.id,
        renews: r.cert.id,
        reason,
        keepDays: input.keepDays,
        keepUntil: until.toISOString(),
        previousUntil: r.cert.validUntil.toISOString(),
        via: 'keep_ending_notice',
      },
    });
    return { ...r, renewal: renewal! };
  });
  if (!done.ok) return done.result;
  const [notice] = await deps.db
    .select()
    .from(lifecycleNotices)
    .where(eq(lifecycleNotices.key, noticeKey(done.cert.id)));
  if (notice?.slackChannel && notice.slackTs) {
    const evidence = done.review.item.evidenceShown as unknown as Evidence;
    try {
      await deps.keepEnding.refresh(
        { channel: notice.slackChannel, ts: notice.slackTs },
        { certification: done.cert, evidence, renewal: done.renewal },
      );
    } catch (err) {
      deps.logger.error({ err, certificationId: done.cert.id }, 'could not update the Keep-ending DM');
    }
  }
  return { ok: true, review: done.review };
}

/** A Keep ending (issue 20): the notices, and renewing from them. */
export function createKeepEndingService(deps: KeepEndingDeps) {
  return {
    /** The "ends in 7 days" DMs that are due (the hourly sync job runs this). */
    run: () => sendKeepEndingNotices(deps),
    preflight: (input: { certificationId: string; actorSlackId: string }) => preflightRenew(deps, input),
    renew: (input: RenewInput) => renewKeep(deps, input),
    keepDays: () => deps.policy.policy.review.keep_days,
  };
}

export type KeepEndingService = ReturnType<typeof createKeepEndingService>;
