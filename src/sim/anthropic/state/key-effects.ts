import type { EmitKind } from '../emitter.js';
import type { OrgState } from './org-state.js';
import type { SimApiKey } from './types.js';

export type Emit = (kind: EmitKind, type: string, fields?: Record<string, unknown>) => void;

/** Keys acting as a user or a service account (`principal` on the API key object). */
export function keysOfPrincipal(
  state: OrgState,
  principal: { userId: string } | { serviceAccountId: string },
): SimApiKey[] {
  return [...state.apiKeys.values()]
    .filter((k) =>
      'userId' in principal
        ? k.principal?.type === 'user_actor' && k.principal.user_id === principal.userId
        : k.principal?.type === 'service_account_actor' &&
          k.principal.service_account_id === principal.serviceAccountId,
    )
    .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
}

/**
 * Changes a key's status and records `platform_api_key_updated` with the documented
 * `updates: [{type: "name"|"status"|"workspace", previous_value, current_value}]`
 * (https://platform.claude.com/docs/en/api/compliance/activities/list). No-op when unchanged.
 */
export function setKeyStatus(key: SimApiKey, status: SimApiKey['status'], emit: Emit): boolean {
  if (key.status === status) return false;
  const previous = key.status;
  key.status = status;
  emit('mutation', 'platform_api_key_updated', {
    api_key_id: key.id,
    updates: [{ type: 'status', previous_value: previous, current_value: status }],
  });
  return true;
}

/**
 * What removing a user does to their keys and sessions. The only documentation is the SDK's
 * `APIKeyRequesterUnconfirmedError` text ("they are still a member, but they may be signed out and
 * some of their API keys may be turned off"), which implies a completed removal signs the user out
 * and turns off their keys; which keys is not documented, so: the keys bound to the user as
 * principal, set `inactive`. `limit` stops part-way, as the refused request does.
 */
export function signOutAndTurnOffKeys(
  state: OrgState,
  userId: string,
  now: number,
  emit: Emit,
  opts: { turnOffKeys: boolean; limit?: number; signOut?: boolean },
): SimApiKey[] {
  const user = state.user(userId);
  if (user && opts.signOut !== false) user.signedOutAt = now;
  if (!opts.turnOffKeys) return [];
  const active = keysOfPrincipal(state, { userId }).filter((k) => state.apiKeyStatus(k) === 'active');
  const changed = active.slice(0, opts.limit ?? active.length);
  for (const k of changed) setKeyStatus(k, 'inactive', emit);
  return changed;
}

/**
 * Archiving a service account archives its API keys: the SDK's `APIKeyRequesterUnconfirmedError`
 * text says of a refused archive "it is archived, but some of its API keys are not". `limit`
 * stops part-way, as the refused request does; a repeat finishes the rest.
 */
export function archiveServiceAccountKeys(
  state: OrgState,
  serviceAccountId: string,
  emit: Emit,
  limit?: number,
): SimApiKey[] {
  const open = keysOfPrincipal(state, { serviceAccountId }).filter((k) => k.status !== 'archived');
  const changed = open.slice(0, limit ?? open.length);
  for (const k of changed) setKeyStatus(k, 'archived', emit);
  return changed;
}
