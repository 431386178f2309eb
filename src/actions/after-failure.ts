import { isSafeToResend } from '../anthropic/errors.js';
import { isRetryable, isStewardError } from '../domain/errors.js';
import { backoffMs } from './backoff.js';
import { GONE_IS_DONE } from './execute.js';
import type { OutboxAction } from './outbox.js';

/** What becomes of an action whose call failed. */
export type AfterFailure = { next: 'gone' } | { next: 'retry'; at: Date; resendSafe: boolean } | { next: 'fail' };

export interface RetrySettings {
  maxAttempts: number;
  backoff: { baseMs: number; capMs: number };
}

/**
 * Whoever made the error decided whether trying again can help. An error the API documents as
 * safe to resend (`api_key_requester_unconfirmed`, `concurrent_membership_change`,
 * `change_outcome_unknown`) is resent under the same idempotency key with backoff for as long
 * as it keeps coming — it is never a refusal, so it never becomes a permanent failure; other
 * retryable errors get `maxAttempts`; anything else fails at once.
 */
export function afterFailure(err: unknown, action: OutboxAction, s: RetrySettings, now: Date): AfterFailure {
  const code = isStewardError(err) ? err.code : 'unexpected';
  if (code === 'anthropic_not_found' && GONE_IS_DONE.has(action.kind)) return { next: 'gone' };
  const resendSafe = isSafeToResend(err);
  if (resendSafe || (isRetryable(err) && action.attempts < s.maxAttempts)) {
    return { next: 'retry', at: new Date(now.getTime() + backoffMs(action.attempts, s.backoff)), resendSafe };
  }
  return { next: 'fail' };
}
