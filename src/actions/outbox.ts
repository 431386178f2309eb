import { eq } from 'drizzle-orm';
import { outboxActions } from '../db/schema/index.js';
import type { Executor } from '../db/types.js';
import type { PlannedAction } from '../domain/actions.js';

export type OutboxAction = typeof outboxActions.$inferSelect;

export interface EnqueueOptions {
  reviewItemId: string | null;
  requestedBySlackId: string | null;
  /** Distinguishes repeat requests of the same kind on one item (e.g. a second restore). */
  attempt?: number;
  /** The caller's clock: the action is ready from then (the worker claims by the same clock). */
  now: Date;
}

/**
 * Adds an action to the outbox inside the caller's transaction, so the decision and
 * the action commit together. The idempotency key is derived from the review item and
 * the kind: enqueuing twice (a retried click) yields the same single row.
 */
export async function enqueueAction(tx: Executor, planned: PlannedAction, opts: EnqueueOptions): Promise<OutboxAction> {
  const idempotencyKey = `steward:${opts.reviewItemId ?? 'manual'}:${planned.kind}:${planned.targetId}${opts.attempt ? `:${opts.attempt}` : ''}`;
  const [row] = await tx
    .insert(outboxActions)
    .values({
      reviewItemId: opts.reviewItemId,
      kind: planned.kind,
      targetType: planned.targetType,
      targetId: planned.targetId,
      params: planned.params,
      idempotencyKey,
      requestedBySlackId: opts.requestedBySlackId,
      nextAttemptAt: opts.now,
      createdAt: opts.now,
    })
    .onConflictDoNothing({ target: outboxActions.idempotencyKey })
    .returning();
  if (row) return row;
  const [existing] = await tx.select().from(outboxActions).where(eq(outboxActions.idempotencyKey, idempotencyKey));
  return existing!;
}
