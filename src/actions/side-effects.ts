import { and, eq, inArray, isNull, notInArray, or } from 'drizzle-orm';
import type { AdminApi } from '../anthropic/admin-api.js';
import { isStewardError } from '../domain/errors.js';
import { apiKeys } from '../db/schema/index.js';
import type { Db, Executor } from '../db/types.js';
import type { OutboxAction } from './outbox.js';

/** A key another change turned off: what Steward knew of it, and what the API says now. */
export interface KeyTurnedOff {
  id: string;
  name: string;
  partialKeyHint: string | null;
  from: string;
  to: string;
}

/** What a re-read found: the keys turned off, and keys it could not read (named, never guessed). */
export interface SideEffects {
  keysTurnedOff: KeyTurnedOff[];
  unread: Array<{ id: string; error: string }>;
}

/**
 * Actions whose completion the API documents as changing keys too: removing a user "may sign them
 * out and turn off some of their API keys"; archiving a service account archives its keys (SDK
 * 1.16 `APIKeyRequesterUnconfirmedError`, which describes what a completed change would have done).
 */
const CHANGES_KEYS = new Set(['remove_member', 'archive_service_account']);

const OFF = ['inactive', 'archived', 'expired'];

/**
 * After a removal or an archive, re-reads each key Steward knows as live whose principal (or,
 * for the older key shape without one, creator) is the target, and says which the API has turned
 * off since. Null for actions that change no keys. A key that cannot be read is reported, not
 * guessed; the action itself has succeeded either way.
 */
export async function rereadAffectedKeys(
  db: Db,
  access: Pick<AdminApi, 'getApiKey'>,
  action: OutboxAction,
): Promise<SideEffects | null> {
  if (!CHANGES_KEYS.has(action.kind)) return null;
  const known = await db
    .select({ id: apiKeys.id, name: apiKeys.name, status: apiKeys.status, hint: apiKeys.partialKeyHint })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.orgId, action.orgId),
        notInArray(apiKeys.status, OFF),
        isNull(apiKeys.removedAt),
        or(
          eq(apiKeys.principalId, action.targetId),
          and(isNull(apiKeys.principalId), eq(apiKeys.createdById, action.targetId)),
        ),
      ),
    )
    .orderBy(apiKeys.id);
  const out: SideEffects = { keysTurnedOff: [], unread: [] };
  for (const k of known) {
    try {
      const now = await access.getApiKey(k.id);
      if (now.status !== k.status && OFF.includes(now.status)) {
        out.keysTurnedOff.push({ id: k.id, name: k.name, partialKeyHint: k.hint, from: k.status, to: now.status });
      }
    } catch (err) {
      out.unread.push({ id: k.id, error: isStewardError(err) ? err.code : 'unexpected' });
    }
  }
  return out;
}

/** Stores the statuses a re-read found, in the transaction that records the action. */
export async function storeKeyStatuses(
  tx: Executor,
  effects: SideEffects | null,
  now: Date,
  orgId = '',
): Promise<void> {
  if (!effects?.keysTurnedOff.length) return;
  for (const status of new Set(effects.keysTurnedOff.map((k) => k.to))) {
    const ids = effects.keysTurnedOff.filter((k) => k.to === status).map((k) => k.id);
    await tx
      .update(apiKeys)
      .set({ status, lastSeenAt: now })
      .where(and(eq(apiKeys.orgId, orgId), inArray(apiKeys.id, ids)));
  }
}
