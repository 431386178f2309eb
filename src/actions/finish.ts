import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import { outboxActions } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import type { Clock } from '../domain/clock.js';
import type { OutboxAction } from './outbox.js';
import { storeKeyStatuses, type SideEffects } from './side-effects.js';

/**
 * Records what became of a claimed action — its row, the key statuses a re-read found, and its
 * `action.executed` audit row, in one transaction — provided `worker` still holds it. Undefined
 * when the lease was taken over: the other worker records the outcome.
 */
export async function finishAction(
  db: Db,
  by: { worker: string; now: Clock; policyVersion: string | undefined },
  action: OutboxAction,
  patch: Partial<OutboxAction>,
  audit: { outcome: string; details: Record<string, unknown> },
  effects: SideEffects | null,
): Promise<OutboxAction | undefined> {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(outboxActions)
      .set({ ...patch, lockedBy: null, lockedUntil: null })
      .where(
        sql`${outboxActions.id} = ${action.id} and ${outboxActions.lockedBy} = ${by.worker} and ${outboxActions.status} = 'running'`,
      )
      .returning();
    if (!updated) return undefined;
    await storeKeyStatuses(tx, effects, by.now(), action.orgId);
    await appendAudit(tx, {
      actor: { type: 'system', job: 'outbox' },
      action: 'action.executed',
      subject: { type: action.targetType, id: action.targetId },
      orgId: action.orgId,
      reviewItemId: action.reviewItemId,
      outcome: audit.outcome,
      details: { kind: action.kind, attempt: action.attempts, idempotencyKey: action.idempotencyKey, ...audit.details },
      policyVersion: by.policyVersion ?? null,
      at: by.now(),
    });
    return updated;
  });
}
