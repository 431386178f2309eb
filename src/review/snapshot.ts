import { asc, inArray } from 'drizzle-orm';
import type { Policy } from '../config/policy.js';
import type { Evidence } from '../domain/evidence.js';
import { outboxActions, reviewItems } from '../db/schema/index.js';
import type { Executor } from '../db/types.js';
import type { OutboxAction } from '../actions/outbox.js';
import { presentationOf, type Presentation } from './presentation.js';
import { revocationFor } from './revocation.js';
import { type PlannedAction } from '../domain/actions.js';
import { addDays } from './timing.js';
import type { MessageRef } from './notifier.js';

export type ReviewItem = typeof reviewItems.$inferSelect;

/** Everything needed to render a review anywhere: the row, its evidence, its actions. */
export interface ReviewSnapshot {
  item: ReviewItem;
  evidence: Evidence;
  presentation: Presentation;
  /** What Revoke does here; null when nothing can be revoked through the API. */
  planned: PlannedAction | null;
  /** Outbox actions of this review, oldest first. */
  actions: OutboxAction[];
  /** The removal (not a restore) and its state, if a revoke was decided. */
  removal: OutboxAction | null;
  restore: OutboxAction | null;
  /** Until when the removal can be undone from the message; null when it can't. */
  restorableUntil: Date | null;
}

export function snapshotOf(item: ReviewItem, actions: OutboxAction[], policy: Policy): ReviewSnapshot {
  const evidence = item.evidenceShown as unknown as Evidence;
  const planned = revocationFor(evidence);
  const removal = [...actions].reverse().find((a) => a.kind !== 'restore_key') ?? null;
  const restore = [...actions].reverse().find((a) => a.kind === 'restore_key') ?? null;
  // A leaver alert acts on several accesses, not its subject: nothing in it is restored from one button.
  const restorableUntil =
    item.kind !== 'leaver' &&
    removal?.kind === 'deactivate_key' &&
    removal.status === 'succeeded' &&
    removal.completedAt &&
    !restore
      ? addDays(removal.completedAt, policy.review.restore_grace_days)
      : null;
  return {
    item,
    evidence,
    presentation: presentationOf(item.kind, item.route),
    planned,
    actions,
    removal,
    restore,
    restorableUntil,
  };
}

export async function loadSnapshots(ex: Executor, ids: string[], policy: Policy): Promise<ReviewSnapshot[]> {
  if (ids.length === 0) return [];
  const items = await ex.select().from(reviewItems).where(inArray(reviewItems.id, ids));
  const actions = await ex
    .select()
    .from(outboxActions)
    .where(inArray(outboxActions.reviewItemId, ids))
    .orderBy(asc(outboxActions.createdAt));
  const byItem = new Map<string, OutboxAction[]>();
  for (const a of actions) {
    const list = byItem.get(a.reviewItemId!) ?? [];
    list.push(a);
    byItem.set(a.reviewItemId!, list);
  }
  const order = new Map(ids.map((id, i) => [id, i]));
  return items
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    .map((item) => snapshotOf(item, byItem.get(item.id) ?? [], policy));
}

export async function loadSnapshot(ex: Executor, id: string, policy: Policy): Promise<ReviewSnapshot | undefined> {
  return (await loadSnapshots(ex, [id], policy))[0];
}

/**
 * The message a review is shown on: its stored one, or, while it is still pending with none
 * stored (Slack shows a posted message before the post returns), the one a click came from.
 */
export function messageOf(item: ReviewItem, clicked: MessageRef | null | undefined): MessageRef | null {
  if (item.slackChannel && item.slackTs) return { channel: item.slackChannel, ts: item.slackTs };
  return item.status === 'pending' ? (clicked ?? null) : null;
}

/** The review as it is, rendered into `ref` when it has no message of its own stored. */
export function shownIn(s: ReviewSnapshot, ref: MessageRef | null): ReviewSnapshot {
  if (s.item.slackChannel || !ref) return s;
  return { ...s, item: { ...s.item, slackChannel: ref.channel, slackTs: ref.ts } };
}
