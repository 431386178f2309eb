import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
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
      // The organisation that holds the access is the review's (issue 17).
      orgId: opts.reviewItemId
        ? sql`coalesce((select org_id from review_items where id = ${opts.reviewItemId}::uuid), '')`
        : '',
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

/**
 * Claims the next ready action for `worker` until `now + leaseMs` (FOR UPDATE SKIP LOCKED,
 * so workers in every replica share the queue): a pending one whose time has come, or a
 * running one whose lease ran out or whose worker is gone (its liveness lock released
 * with its connection). Undefined when nothing is ready.
 */
export async function claimNext(
  db: Executor,
  worker: string,
  now: Date,
  leaseMs: number,
): Promise<OutboxAction | undefined> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update ${outboxActions} set status = 'running', locked_by = ${worker}, locked_until = ${leaseUntil.toISOString()}::timestamptz,
          attempts = attempts + 1
        where id = (
          select id from ${outboxActions}
          where (status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz)
             or (status = 'running' and locked_by <> ${worker} and (
                   locked_until < ${now.toISOString()}::timestamptz
                   or pg_try_advisory_xact_lock(hashtext('outbox-worker:' || locked_by))))
          order by next_attempt_at, created_at
          limit 1
          for update skip locked)
        returning id`,
  );
  const id = rows[0]?.id;
  if (!id) return undefined;
  const [row] = await db.select().from(outboxActions).where(eq(outboxActions.id, id));
  return row;
}

/** Hands every action `worker` still runs back to the queue, ready now; returns their ids. */
export async function releaseHeld(db: Executor, worker: string, now: Date): Promise<string[]> {
  const released = await db
    .update(outboxActions)
    .set({ status: 'pending', lockedBy: null, lockedUntil: null, nextAttemptAt: now })
    .where(sql`${outboxActions.lockedBy} = ${worker} and ${outboxActions.status} = 'running'`)
    .returning({ id: outboxActions.id });
  return released.map((r) => r.id);
}

/** A failed action → pending again (the Retry button), with a fresh attempt budget. */
export async function requeueFailed(db: Executor, actionId: string, now: Date): Promise<OutboxAction | undefined> {
  const [row] = await db
    .update(outboxActions)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, completedAt: null })
    .where(sql`${outboxActions.id} = ${actionId} and ${outboxActions.status} = 'failed'`)
    .returning();
  return row;
}
