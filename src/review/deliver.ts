import { and, eq, isNull, sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import { reviewItems } from '../db/schema/index.js';
import { isStewardError } from '../domain/errors.js';
import { CERTIFICATION } from '../domain/evidence.js';
import { ANOMALY_KINDS, isAnomaly } from '../domain/findings.js';
import { auditReview, changeReview } from './change.js';
import type { ReviewDeps } from './deps.js';
import { withReading } from './reading.js';
import { loadSnapshots, type ReviewSnapshot } from './snapshot.js';
import { addDays } from './timing.js';

export interface DeliverResult {
  delivered: number;
  rerouted: number;
  failed: number;
}

const STILL_PENDING = eq(reviewItems.status, 'pending');
const REVIEW_JOB = { type: 'system', job: 'review' } as const;

/** A delivery claim lasts this long; a replica that dies mid-delivery is retried after. */
const LEASE_MS = 2 * 60_000;

/**
 * Reviews claimed at a time. Small, so a claim is sent well within its lease even at
 * Slack's pace (chat.postMessage about 5 a second across the workspace): 50 take ~10 s.
 */
const CLAIM = 50;

/** Security-channel posts and anomalies go out before routine reviews when there is a queue. */
const URGENT_FIRST = sql.raw(
  `case when route = 'security_channel' or kind in (${[...ANOMALY_KINDS].map((k) => `'${k}'`).join(', ')}) then 0 else 1 end`,
);

/**
 * Delivers pending reviews: claims a batch (FOR UPDATE SKIP LOCKED, with a lease),
 * posts each, then records where the message is. A review nobody can be reached for is
 * re-routed to the security channel; a transient failure leaves it pending for the next
 * run (WebClient has already retried rate limits by then).
 */
export async function deliverPending(
  deps: ReviewDeps,
  opts: { limit?: number; concurrency?: number; ids?: string[] } = {},
): Promise<DeliverResult> {
  const clock = deps.now;
  // Everything pending by default: the notifier paces the calls to Slack's limits.
  const limit = opts.limit ?? Infinity;
  const result: DeliverResult = { delivered: 0, rerouted: 0, failed: 0 };
  for (;;) {
    const ids = await claimBatch(deps, clock(), Math.min(limit - (result.delivered + result.failed), CLAIM), opts.ids);
    if (ids.length === 0) break;
    const snapshots = spreadByRecipient(await loadSnapshots(deps.db, ids, deps.policy.policy));
    await mapLimit(snapshots, opts.concurrency ?? 8, async (s) => {
      const outcome = await deliverOne(deps, s, clock);
      result[outcome]++;
    });
    if (result.delivered + result.failed >= limit) break;
  }
  return result;
}

async function claimBatch(deps: ReviewDeps, now: Date, n: number, only?: string[]): Promise<string[]> {
  if (n <= 0 || only?.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    deps.db,
    sql`update ${reviewItems} set delivery_lease_until = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz,
          delivery_attempts = delivery_attempts + 1
        where id in (
          select id from ${reviewItems}
          where status = 'pending' and (delivery_lease_until is null or delivery_lease_until < ${now.toISOString()}::timestamptz)
            ${
              only
                ? sql`and id in (${sql.join(
                    only.map((id) => sql`${id}::uuid`),
                    sql`, `,
                  )})`
                : sql``
            }
          order by ${URGENT_FIRST}, created_at limit ${n}
          for update skip locked)
        returning id::text as id`,
  );
  return rows.map((r) => r.id);
}

async function deliverOne(deps: ReviewDeps, pending: ReviewSnapshot, clock: () => Date): Promise<keyof DeliverResult> {
  const log = deps.logger.child({ reviewItemId: pending.item.id, kind: pending.item.kind, route: pending.item.route });
  const s = await withReading(deps, pending);
  try {
    const ref = await deps.notifier.deliver(s);
    const now = clock();
    const recorded = await deps.db.transaction(async (tx) => {
      const row = await changeReview(
        tx,
        s.item.id,
        // Only the version that was posted: a click on the message can decide (or hand on)
        // the review before this post returns, and that newer state must not be overwritten.
        and(STILL_PENDING, eq(reviewItems.version, s.item.version)),
        {
          status: 'open',
          slackChannel: ref.channel,
          slackTs: ref.ts,
          deliveredAt: now,
          // A certification is due when its campaign is (issue 16); a finding's review counts from delivery.
          dueAt: s.item.kind === CERTIFICATION ? s.item.dueAt : addDays(now, deps.policy.policy.review.due_days),
          deliveryLeaseUntil: null,
          deliveryError: null,
          remindersSent: 0,
          evidenceShown: s.item.evidenceShown,
        },
        now,
        { newVersion: true },
      );
      // Moved on while posting: a decided or closed review keeps this as its message (later
      // outcomes, such as the revocation's, are shown on it); one handed to someone else
      // gets its own message from its own delivery.
      const settled = row
        ? undefined
        : await changeReview(
            tx,
            s.item.id,
            and(sql`${reviewItems.status} in ('decided', 'closed')`, isNull(reviewItems.slackTs)),
            { slackChannel: ref.channel, slackTs: ref.ts, deliveredAt: now, deliveryLeaseUntil: null },
            now,
          );
      await auditReview(tx, deps, { actor: REVIEW_JOB, at: now }, s.item, {
        action: 'review.delivered',
        outcome: s.item.route === 'dm' ? 'sent_to_owner' : 'sent_to_security_channel',
        evidence: s.item.evidenceShown,
        details: {
          assigneeSlackId: s.item.assigneeSlackId,
          assigneeEmail: s.item.assigneeEmail,
          assignedVia: s.item.assignedVia,
          channel: ref.channel,
          ts: ref.ts,
          ...(row ? {} : { movedOnWhilePosting: true }),
        },
      });
      return row ? 'recorded' : settled ? 'settled' : 'moved_on';
    });
    // Its buttons gave way to the outcome, from stored state.
    if (recorded === 'settled') await showOutcome(deps, s.item.id);
    return 'delivered';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (isStewardError(err) && err.code === 'slack_recipient_unreachable' && s.item.route === 'dm') {
      const now = clock();
      await deps.db.transaction(async (tx) => {
        const change = { route: 'security_channel', deliveryLeaseUntil: null, deliveryError: message };
        await changeReview(tx, s.item.id, STILL_PENDING, change, now);
        await auditReview(tx, deps, { actor: REVIEW_JOB, at: now }, s.item, {
          action: 'review.rerouted',
          outcome: 'sent_to_security_channel',
          details: { reason: message, assigneeSlackId: s.item.assigneeSlackId },
        });
      });
      log.warn({ err: message }, 'reviewer cannot be reached in Slack; review goes to the security channel');
      // Delivered to the channel on the next pass of this same run.
      const [again] = await loadSnapshots(deps.db, [s.item.id], deps.policy.policy);
      if (again) {
        const outcome = await deliverOne(deps, again, clock);
        return outcome === 'delivered' ? 'rerouted' : outcome;
      }
      return 'rerouted';
    }
    // Not again in this run: the lease doubles as a back-off before the next attempt.
    const retryAt = new Date(clock().getTime() + Math.min(s.item.deliveryAttempts, 30) * 60_000);
    await deps.db
      .update(reviewItems)
      .set({ deliveryLeaseUntil: retryAt, deliveryError: message })
      .where(sql`${reviewItems.id} = ${s.item.id} and ${reviewItems.status} = 'pending'`);
    log.warn({ err: message }, 'review delivery failed; it stays pending and is retried on the next run');
    return 'failed';
  }
}

/**
 * A review decided or closed while its message was being posted (a click on the message
 * itself, the App Home, a command, a job): the message shows the outcome, not buttons.
 */
async function showOutcome(deps: ReviewDeps, id: string): Promise<void> {
  const [fresh] = await loadSnapshots(deps.db, [id], deps.policy.policy);
  if (!fresh) return;
  try {
    await deps.notifier.refresh(fresh);
  } catch (err) {
    deps.logger.warn({ err, reviewItemId: id }, 'could not show the outcome on a message posted while it was decided');
  }
}

/**
 * Slack allows about one message a second per channel: a batch in claim order would put one
 * person's several reviews side by side and every lane would wait on that one DM. Round-robin
 * over recipients instead, keeping the claim order (urgent first) within each.
 */
function spreadByRecipient(snapshots: ReviewSnapshot[]): ReviewSnapshot[] {
  const urgency = (s: ReviewSnapshot) => (s.item.route === 'security_channel' || isAnomaly(s.item.kind) ? 0 : 1);
  // UPDATE … RETURNING gives the claimed rows in no particular order.
  const claimed = [...snapshots].sort(
    (a, b) => urgency(a) - urgency(b) || a.item.createdAt.getTime() - b.item.createdAt.getTime(),
  );
  const turn = new Map<string, number>();
  const ranked = claimed.map((s, i) => {
    const to = s.item.route === 'dm' ? (s.item.assigneeSlackId ?? '') : '#security';
    const n = turn.get(to) ?? 0;
    turn.set(to, n + 1);
    return { s, n, i };
  });
  // Urgent ones keep going first: within a turn, in claim order.
  return ranked.sort((a, b) => urgency(a.s) - urgency(b.s) || a.n - b.n || a.i - b.i).map((r) => r.s);
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) {
      const item = items[i++]!;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}
