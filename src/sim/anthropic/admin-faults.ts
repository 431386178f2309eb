import { adminError, type AdminErrorCode } from './admin-errors.js';
import type { SimCore } from './context.js';
import type { ApiError } from './errors.js';
import type { FaultSpec } from './faults.js';
import { archiveServiceAccountKeys, keysOfPrincipal, signOutAndTurnOffKeys, type Emit } from './state/key-effects.js';

/**
 * A documented Admin API error injected by a fault, with the partial effects the documentation
 * gives it. Only `api_key_requester_unconfirmed` leaves effects behind (SDK 1.16
 * `APIKeyRequesterUnconfirmedError`): "If you were updating an API key, the key did not change.
 * If you were archiving a service account, it is archived, but some of its API keys are not. If
 * you were removing a user, they are still a member, but they may be signed out and some of their
 * API keys may be turned off." `concurrent_membership_change` ("Another change … is in progress.
 * Retry the request once it completes") applies nothing. `change_outcome_unknown` ("Some of the
 * request's changes may have been saved and others not") is modelled by the fault's phase:
 * `before` = nothing saved, `after` = everything saved (the handler ran).
 */
export function injectAdminError(
  core: SimCore,
  code: AdminErrorCode,
  op: string | undefined,
  params: Record<string, string>,
  spec: FaultSpec,
  emit: Emit,
): ApiError {
  if (code === 'api_key_requester_unconfirmed') unconfirmedEffects(core, op, params, spec, emit);
  return adminError(code);
}

function unconfirmedEffects(
  core: SimCore,
  op: string | undefined,
  params: Record<string, string>,
  spec: FaultSpec,
  emit: Emit,
): void {
  const { state, config } = core;
  const now = core.clock.now();
  if (op === 'users.remove') {
    const user = state.user(params['user_id'] ?? '');
    if (!user || user.removedAt !== null) return;
    const held = keysOfPrincipal(state, { userId: user.id }).filter((k) => state.apiKeyStatus(k) === 'active').length;
    signOutAndTurnOffKeys(state, user.id, now, emit, {
      turnOffKeys: config.sideEffects.userRemovalTurnsOffKeys,
      limit: spec.keysTurnedOff ?? Math.floor(held / 2),
      signOut: spec.signedOut ?? true,
    });
  } else if (op === 'serviceAccounts.archive') {
    const sa = state.serviceAccounts.get(params['service_account_id'] ?? '');
    if (!sa || sa.liveFederationRules > 0) return;
    if (sa.archivedAt === null) {
      sa.archivedAt = now;
      sa.updatedAt = now;
      emit('mutation', 'platform_service_account_archived', { service_account_id: sa.id });
    }
    const open = keysOfPrincipal(state, { serviceAccountId: sa.id }).filter((k) => k.status !== 'archived').length;
    archiveServiceAccountKeys(state, sa.id, emit, spec.keysTurnedOff ?? Math.floor(open / 2));
  }
  // apiKeys.update: "the key did not change".
}
