/**
 * Every error Steward raises on purpose carries a stable `code` (for logs, metrics and
 * tests) and a `retry` flag (may the same call succeed later?), decided where the error
 * is made: the place that knows what failed knows whether trying again can help.
 * Words for people come from one place: `userText()` and `operatorText()` below.
 */

import { scrubUrlSecrets } from './redact.js';

/** Every code a StewardError can carry; callers compare against these, never free text. */
export type ErrorCode =
  // Configuration and input
  | 'config_invalid'
  | 'policy_invalid'
  | 'bad_target'
  // Database
  | 'database_unavailable'
  | 'data_dir_locked'
  | 'migrations_pending'
  // Anthropic APIs (by HTTP status, or how the call failed)
  | 'anthropic_bad_request'
  | 'anthropic_unauthorized'
  | 'anthropic_forbidden'
  | 'anthropic_not_found'
  | 'anthropic_conflict'
  | 'anthropic_requester_unconfirmed'
  | 'anthropic_key_limit'
  | 'anthropic_rate_limited'
  | 'anthropic_unavailable'
  | 'anthropic_request_failed'
  | 'anthropic_timeout'
  | 'anthropic_unreachable'
  | 'anthropic_malformed_response'
  | 'aborted'
  // Slack
  | 'slack_recipient_unreachable'
  | 'slack_channel_unavailable'
  | 'slack_error'
  | 'slack_unavailable'
  | 'slack_lookup_failed'
  | 'slack_malformed_response'
  | 'slack_not_bot'
  // Sync
  | 'sync_failed'
  | 'checkpoint_invalid'
  | 'sync_conflict'
  // Actions
  | 'action_malformed'
  /** The organisation that holds the access has no Admin API key that works (issue 17). */
  | 'organization_unavailable'
  // Audit
  | 'audit_head_invalid';

export interface StewardErrorOptions {
  /** May the same call succeed later? Decided by whoever makes the error. */
  retry: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class StewardError extends Error {
  readonly code: ErrorCode;
  readonly retry: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: StewardErrorOptions) {
    // Messages quote URLs (a failed fetch, a driver error): credentials in them never travel on.
    super(scrubUrlSecrets(message), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StewardError';
    this.code = code;
    this.retry = opts.retry;
    this.details = opts.details;
  }
}

export function isStewardError(err: unknown): err is StewardError {
  return err instanceof StewardError;
}

/** Whether an error may go away by itself: only our own errors can say so. */
export function isRetryable(err: unknown): boolean {
  return isStewardError(err) && err.retry;
}

/** Errors whose message is about what the person asked, so a Slack user is shown it. */
const ABOUT_THE_REQUEST: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['bad_target']);

/**
 * The one place that turns an error into words people see. A Slack user is told what
 * was wrong with their request, or that the fault is ours (the details go to the log,
 * under the error's code, never to Slack).
 */
export function userText(err: unknown): string {
  if (isStewardError(err) && ABOUT_THE_REQUEST.has(err.code)) return err.message;
  return 'Something went wrong on our side. It has been logged; please try again.';
}

/**
 * Words for an operator at a terminal (the CLI, start-up): our own errors' messages are
 * written for people and never contain secrets; anything else is shown with `what`
 * failed in front of its message.
 */
export function operatorText(err: unknown, what: string): string {
  if (isStewardError(err)) return err.message;
  return scrubUrlSecrets(`${what}: ${err instanceof Error ? err.message : String(err)}`);
}
