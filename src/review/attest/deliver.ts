import { eq, sql } from 'drizzle-orm';
import { appendAudit } from '../../audit/append.js';
import { queryRows } from '../../db/client.js';
import { attestations } from '../../db/schema/index.js';
import { isStewardError } from '../../domain/errors.js';
import type { AttestDeps, Attestation } from './deps.js';

/** A delivery claim lasts this long: a replica that dies mid-delivery is retried after. */
const LEASE_MS = 2 * 60_000;
/** Nobody to ask (no creator on record, or no Slack account): look again a day later. */
const NOBODY_RETRY_MS = 24 * 3_600_000;

export interface AttestDeliverResult {
  delivered: number;
  unreachable: number;
  failed: number;
}

/**
 * Sends the pending requests: claims a batch under a lease (FOR UPDATE SKIP LOCKED), so
 * any number of replicas send each DM once, finds the person's Slack account by email,
 * posts, and records where the message is with an audit row.
 */
export async function deliverAttestations(deps: AttestDeps): Promise<AttestDeliverResult> {
  const result: AttestDeliverResult = { delivered: 0, unreachable: 0, failed: 0 };
  for (;;) {
    const batch = await claim(deps, deps.now());
    if (batch.length === 0) return result;
    for (const a of batch) result[await deliverOne(deps, a)]++;
  }
}

async function claim(deps: AttestDeps, now: Date): Promise<Attestation[]> {
  const rows = await queryRows<{ id: string }>(
    deps.db,
    sql`update attestations set delivery_lease_until = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz
        where id in (select id from attestations
                     where status = 'pending' and delivered_at is null
                       and (delivery_lease_until is null or delivery_lease_until < ${now.toISOString()}::timestamptz)
                     order by requested_at limit 50 for update skip locked)
        returning id::text as id`,
  );
  if (rows.length === 0) return [];
  return deps.db
    .select()
    .from(attestations)
    .where(
      sql`${attestations.id} in (${sql.join(
        rows.map((r) => sql`${r.id}::uuid`),
        sql`, `,
      )})`,
    );
}

async function deliverOne(deps: AttestDeps, a: Attestation): Promise<keyof AttestDeliverResult> {
  const log = deps.logger.child({ attestationId: a.id, subject: `${a.subjectType}:${a.subjectId}` });
  const nobody = async (why: string) => {
    await deps.db
      .update(attestations)
      .set({ deliveryError: why, deliveryLeaseUntil: new Date(deps.now().getTime() + NOBODY_RETRY_MS) })
      .where(eq(attestations.id, a.id));
    log.info({ why }, 'nobody to ask for an attestation yet');
    return 'unreachable' as const;
  };
  try {
    const slackId = a.requestedSlackId ?? (a.creatorEmail ? await deps.slack.slackIdForEmail(a.creatorEmail) : null);
    if (!slackId) return await nobody(a.creatorEmail ? 'no Slack account for the creator' : 'no creator on record');
    const asked: Attestation = { ...a, requestedSlackId: slackId };
    const ref = await deps.notifier.request(asked);
    const now = deps.now();
    await deps.db.transaction(async (tx) => {
      const done = await tx
        .update(attestations)
        .set({
          requestedSlackId: slackId,
          deliveredAt: now,
          slackChannel: ref.channel,
          slackTs: ref.ts,
          deliveryLeaseUntil: null,
          deliveryError: null,
        })
        .where(sql`${attestations.id} = ${a.id} and ${attestations.deliveredAt} is null`)
        .returning({ id: attestations.id });
      if (!done[0]) return;
      await appendAudit(tx, {
        actor: { type: 'system', job: 'attest' },
        action: 'attestation.delivered',
        subject: { type: a.subjectType, id: a.subjectId },
        ...(a.orgId ? { orgId: a.orgId } : {}),
        outcome: 'sent_to_creator',
        details: { attestationId: a.id, slackId, channel: ref.channel, ts: ref.ts, askedVia: a.askedVia },
        policyVersion: deps.policy.version,
        at: now,
      });
    });
    return 'delivered';
  } catch (err) {
    if (isStewardError(err) && err.code === 'slack_recipient_unreachable') return nobody(err.message);
    const message = err instanceof Error ? err.message : String(err);
    await deps.db.update(attestations).set({ deliveryError: message }).where(eq(attestations.id, a.id));
    log.warn({ err: message }, 'attestation request not delivered; retried when its lease ends');
    return 'failed';
  }
}
