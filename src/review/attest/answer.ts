import { eq, sql } from 'drizzle-orm';
import { appendAudit } from '../../audit/append.js';
import { attestations } from '../../db/schema/index.js';
import type { Tx } from '../../db/types.js';
import { auditActor, resolveActor, type Actor } from '../actor.js';
import { MAX_PURPOSE, MIN_PURPOSE, type AttestDeps, type Attestation } from './deps.js';

export type AttestResult =
  | { ok: true; attestation: Attestation }
  | { ok: false; code: 'not_found' | 'not_allowed' | 'answered' | 'invalid'; message: string; field?: string };

export interface AttestInput {
  id: string;
  actorSlackId: string;
  purpose: string;
  businessOwnerSlackId: string | null;
  /** `YYYY-MM-DD` or null. */
  endDate: string | null;
}

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/** The form's checks, also run by the listener inside Slack's ack so errors show on the field. */
export function attestInputProblems(
  input: Omit<AttestInput, 'id' | 'actorSlackId'>,
  today: string,
): Record<string, string> {
  const problems: Record<string, string> = {};
  const purpose = input.purpose.trim();
  if (purpose.length < MIN_PURPOSE) problems.purpose = `Say what it is for (at least ${MIN_PURPOSE} characters).`;
  else if (purpose.length > MAX_PURPOSE) problems.purpose = `Keep the purpose to ${MAX_PURPOSE} characters.`;
  if (!input.businessOwnerSlackId || !SLACK_USER.test(input.businessOwnerSlackId))
    problems.owner = 'Choose the business owner (a person in Slack).';
  if (input.endDate !== null) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.endDate) || Number.isNaN(Date.parse(`${input.endDate}T00:00:00Z`)))
      problems.end = 'Give the end date as a date.';
    else if (input.endDate <= today) problems.end = 'The end date must be after today.';
  }
  return problems;
}

/**
 * Records the answer to "what is this for?": purpose, business owner, optional end date.
 * Only the person asked, or a Steward admin, may answer (checked against the stored
 * row, never the payload); the first answer wins; refusals are audited.
 */
export async function attest(deps: AttestDeps, input: AttestInput): Promise<AttestResult> {
  const problems = attestInputProblems(input, deps.now().toISOString().slice(0, 10));
  const first = Object.entries(problems)[0];
  if (first) return { ok: false, code: 'invalid', message: first[1], field: first[0] };
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const result = await answer(deps, input.id, actor, 'attest', async (tx, now) =>
    tx
      .update(attestations)
      .set({
        status: 'attested',
        purpose: input.purpose.trim(),
        businessOwnerSlackId: input.businessOwnerSlackId,
        endDate: input.endDate,
        answeredBySlackId: actor.slackId,
        answeredAt: now,
        deliveryLeaseUntil: null,
      })
      .where(sql`${attestations.id} = ${input.id} and ${attestations.status} = 'pending'`)
      .returning(),
  );
  if (result.ok) await safely(deps, result.attestation.id, () => deps.notifier.refresh(result.attestation));
  return result;
}

/** "I didn't do this": recorded, then the security channel is alerted at once (by the one replica that recorded it). */
export async function disown(deps: AttestDeps, input: { id: string; actorSlackId: string }): Promise<AttestResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const result = await answer(deps, input.id, actor, 'disown', async (tx, now) =>
    tx
      .update(attestations)
      .set({ status: 'disowned', answeredBySlackId: actor.slackId, answeredAt: now, deliveryLeaseUntil: null })
      .where(sql`${attestations.id} = ${input.id} and ${attestations.status} = 'pending'`)
      .returning(),
  );
  if (!result.ok) return result;
  await safely(deps, result.attestation.id, async () => {
    const ref = await deps.notifier.disowned(result.attestation);
    await deps.db
      .update(attestations)
      .set({ alertChannel: ref.channel, alertTs: ref.ts })
      .where(eq(attestations.id, result.attestation.id));
  });
  await safely(deps, result.attestation.id, () => deps.notifier.refresh(result.attestation));
  return result;
}

/** Before the modal opens: the row, or a refusal (audited) for someone who may not answer. */
export async function preflightAttest(
  deps: AttestDeps,
  input: { id: string; actorSlackId: string },
): Promise<AttestResult> {
  if (!/^[0-9a-f-]{36}$/i.test(input.id))
    return { ok: false, code: 'not_found', message: 'This request no longer exists.' };
  const [row] = await deps.db.select().from(attestations).where(eq(attestations.id, input.id));
  if (!row) return { ok: false, code: 'not_found', message: 'This request no longer exists.' };
  if (input.actorSlackId === row.requestedSlackId || deps.admins.includes(input.actorSlackId)) {
    if (row.status !== 'pending') return { ok: false, code: 'answered', message: `Already answered: ${row.status}.` };
    return { ok: true, attestation: row };
  }
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  await deps.db.transaction(async (tx) => {
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: 'attestation.refused',
      subject: { type: row.subjectType, id: row.subjectId },
      ...(row.orgId ? { orgId: row.orgId } : {}),
      outcome: 'refused',
      details: { attestationId: row.id, attempted: 'open_attest', requestedSlackId: row.requestedSlackId },
      policyVersion: deps.policy.version,
      at: deps.now(),
    });
  });
  return {
    ok: false,
    code: 'not_allowed',
    message: `Only <@${row.requestedSlackId ?? 'the creator'}> or a Steward admin can answer for this access.`,
  };
}

async function answer(
  deps: AttestDeps,
  id: string,
  actor: Actor,
  op: 'attest' | 'disown',
  change: (tx: Tx, now: Date) => Promise<Attestation[]>,
): Promise<AttestResult> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return { ok: false, code: 'not_found', message: 'This request no longer exists.' };
  const now = deps.now();
  return deps.db.transaction(async (tx): Promise<AttestResult> => {
    const [row] = await tx.select().from(attestations).where(eq(attestations.id, id)).for('update');
    if (!row) return { ok: false, code: 'not_found', message: 'This request no longer exists.' };
    const subject = { type: row.subjectType, id: row.subjectId };
    const allowed = actor.slackId === row.requestedSlackId || deps.admins.includes(actor.slackId);
    if (!allowed) {
      await appendAudit(tx, {
        actor: auditActor(actor),
        action: 'attestation.refused',
        subject,
        ...(row.orgId ? { orgId: row.orgId } : {}),
        outcome: 'refused',
        details: { attestationId: id, attempted: op, requestedSlackId: row.requestedSlackId },
        policyVersion: deps.policy.version,
        at: now,
      });
      return {
        ok: false,
        code: 'not_allowed',
        message: `Only <@${row.requestedSlackId ?? 'the creator'}> or a Steward admin can answer for this access.`,
      };
    }
    if (row.status !== 'pending') {
      const who = row.answeredBySlackId ? ` by <@${row.answeredBySlackId}>` : '';
      return { ok: false, code: 'answered', message: `Already answered${who}: ${row.status}.` };
    }
    const [updated] = await change(tx, now);
    if (!updated) return { ok: false, code: 'answered', message: 'Already answered.' };
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: op === 'attest' ? 'attestation.recorded' : 'attestation.disowned',
      subject,
      ...(row.orgId ? { orgId: row.orgId } : {}),
      outcome: op === 'attest' ? 'attested' : 'disowned',
      details: {
        attestationId: id,
        accessKind: row.accessKind,
        label: row.label,
        purpose: updated.purpose,
        businessOwnerSlackId: updated.businessOwnerSlackId,
        endDate: updated.endDate,
        requestedSlackId: row.requestedSlackId,
      },
      policyVersion: deps.policy.version,
      at: now,
    });
    return { ok: true, attestation: updated };
  });
}

async function safely(deps: AttestDeps, id: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    deps.logger.error({ err, attestationId: id }, 'could not update Slack about an attestation');
  }
}
