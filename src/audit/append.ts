import { desc, is, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { auditLog } from '../db/schema/index.js';
import type { Executor } from '../db/types.js';
import { GENESIS_HASH, rowHash } from './hash.js';
import { installedAuditKeyring } from './mac.js';

export type AuditActor =
  | { type: 'slack_user'; slackId: string; anthropicId?: string | null; label?: string | null }
  | { type: 'system'; job: string };

export interface AuditEntry {
  actor: AuditActor;
  /** Dotted verb, e.g. `review.decided`, `action.executed`, `sync.completed`. */
  action: string;
  subject?: { type: string; id: string } | null;
  reviewItemId?: string | null;
  /** What happened: `kept`, `revoked`, `refused`, `succeeded`, `failed` … */
  outcome: string;
  /** The evidence as it was shown or used when this happened. */
  evidence?: Record<string, unknown> | null;
  details?: Record<string, unknown> | null;
  policyVersion?: string | null;
  /** The organisation the change concerns (issue 17); left out when it concerns none or is not known. */
  orgId?: string | null;
  at: Date;
}

// One fixed advisory-lock key serialises appends across connections and replicas.
const AUDIT_CHAIN_LOCK = 0x5737_a0d1;

/**
 * Appends one row to the chain. Call it inside the transaction that makes the change
 * it records: the row commits or rolls back with the change. Appends are serialised by
 * a transaction-scoped advisory lock, so concurrent writers never fork the chain. With
 * STEWARD_AUDIT_KEY set, the row also carries the MAC of its hash under the newest key.
 */
export async function appendAudit(
  tx: Executor,
  entry: AuditEntry,
): Promise<{ seq: number; hash: string; macKeyId: string | null }> {
  // Outside a transaction the xact lock would be released at once (and on a pool the
  // three statements could run on different connections): open one.
  if (!is(tx, PgTransaction)) return tx.transaction((own) => appendAudit(own, entry));
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: entry.at,
    actorType: entry.actor.type,
    actorSlackId: entry.actor.type === 'slack_user' ? entry.actor.slackId : null,
    actorAnthropicId: entry.actor.type === 'slack_user' ? (entry.actor.anthropicId ?? null) : null,
    actorLabel: entry.actor.type === 'system' ? entry.actor.job : (entry.actor.label ?? null),
    action: entry.action,
    subjectType: entry.subject?.type ?? null,
    subjectId: entry.subject?.id ?? null,
    reviewItemId: entry.reviewItemId ?? null,
    outcome: entry.outcome,
    evidence: plainJson(entry.evidence),
    details: plainJson(entry.details),
    policyVersion: entry.policyVersion ?? null,
    // '' is the placeholder of a not yet identified organisation: not an organisation to record.
    orgId: entry.orgId ? entry.orgId : null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = rowHash(row);
  const keyring = installedAuditKeyring();
  const key = keyring.signing;
  const mac = key ? keyring.mac(key.id, hash)! : null;
  await tx.insert(auditLog).values({ ...row, hash, mac, macKeyId: key?.id ?? null });
  return { seq: row.seq, hash, macKeyId: key?.id ?? null };
}

/** What jsonb will give back: no undefined, no Date objects, no class instances. */
function plainJson(v: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (v === null || v === undefined) return null;
  return JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
}
