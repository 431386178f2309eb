import { StewardError, type ErrorCode } from '../domain/errors.js';

/**
 * One vocabulary for Anthropic failures, whichever client saw them (the SDK, mapped
 * in sdk-errors.ts, or the Compliance feed's own fetch). This module does not load the
 * SDK, so the feed client stays light. `retry` says whether the same call may succeed later:
 * rate limits, 5xx, timeouts and lost connections may; other 4xx will not. The server
 * can override that with `x-should-retry`.
 */
export const ANTHROPIC_ERROR_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'anthropic_bad_request',
  401: 'anthropic_unauthorized',
  403: 'anthropic_forbidden',
  404: 'anthropic_not_found',
  409: 'anthropic_conflict',
  429: 'anthropic_rate_limited',
};

export function codeForStatus(status: number, errorCode?: string | null): ErrorCode {
  const documented = errorCode ? DOCUMENTED_CODES[errorCode] : undefined;
  if (documented) return documented.code;
  if (status >= 500) return 'anthropic_unavailable';
  return ANTHROPIC_ERROR_CODES[status] ?? 'anthropic_request_failed';
}

/**
 * Admin API `error.details.error_code`s whose meaning changes what to do (SDK 1.16 `.d.ts`).
 * `api_key_requester_unconfirmed`: "It is safe to send the same request again" — a 403 that is
 * not a refusal. `concurrent_membership_change` (409) and `change_outcome_unknown` (503) are
 * retried by status already. The active-key limits are permanent and say how to get unstuck.
 */
const DOCUMENTED_CODES: Record<string, { code: ErrorCode; retry: boolean; hint?: string }> = {
  api_key_requester_unconfirmed: {
    code: 'anthropic_requester_unconfirmed',
    retry: true,
    hint: 'Anthropic could not confirm the request came from this organisation; it is safe to send again',
  },
  concurrent_membership_change: { code: 'anthropic_conflict', retry: true },
  change_outcome_unknown: {
    code: 'anthropic_unavailable',
    retry: true,
    hint: 'the change may be partly applied; sending it again finishes it',
  },
  org_api_key_limit_exceeded: {
    code: 'anthropic_key_limit',
    retry: false,
    hint: 'the organisation has reached its limit of active API keys: archive keys it no longer needs or ask Anthropic to raise the limit, then try again',
  },
  workspace_api_key_limit_exceeded: {
    code: 'anthropic_key_limit',
    retry: false,
    hint: 'the workspace has reached its limit of active API keys: archive keys it no longer needs or ask Anthropic to raise the limit, then try again',
  },
};

/**
 * Errors the API documents as safe to send again unchanged (SDK 1.16 `.d.ts`: "It is safe to send
 * the same request again", "Retry the request once it completes", "Send the same request again to
 * finish it"): they say nothing about whether the change is wanted, so a caller holding an
 * idempotency key keeps resending it, however long it takes, and never records a refusal.
 */
const RESEND_SAFE = new Set([
  'api_key_requester_unconfirmed',
  'concurrent_membership_change',
  'change_outcome_unknown',
]);

export function isSafeToResend(err: unknown): boolean {
  if (!(err instanceof StewardError) || !err.retry) return false;
  const code = err.details?.['errorCode'];
  return typeof code === 'string' && RESEND_SAFE.has(code);
}

/** Retryable by status alone: 408/409 (lock timeouts), 429 and every 5xx, as the SDK does. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** `x-should-retry: true|false` wins; then a documented `error_code`; then the status. */
export function shouldRetry(status: number, header: string | null | undefined, errorCode?: string | null): boolean {
  if (header === 'true') return true;
  if (header === 'false') return false;
  const documented = errorCode ? DOCUMENTED_CODES[errorCode] : undefined;
  return documented ? documented.retry : retryableStatus(status);
}

export interface HttpFailure {
  /** What was being done, for the message: "listing API keys". */
  what: string;
  status: number;
  shouldRetryHeader?: string | null;
  requestId?: string | null;
  /** The API's `error.type` and `error.message`, when the body had them. */
  type?: string | null;
  message?: string | null;
  errorCode?: string | null;
  retryAfterMs?: number | undefined;
}

export function httpError(f: HttpFailure): StewardError {
  const detail = [f.type, f.message].filter(Boolean).join(': ');
  const hint = f.errorCode ? DOCUMENTED_CODES[f.errorCode]?.hint : undefined;
  return new StewardError(
    codeForStatus(f.status, f.errorCode),
    `Anthropic API: ${f.what} failed with HTTP ${f.status}${detail ? ` (${detail})` : ''}${hint ? `: ${hint}` : ''}`,
    {
      retry: shouldRetry(f.status, f.shouldRetryHeader, f.errorCode),
      details: {
        status: f.status,
        ...(f.requestId ? { requestId: f.requestId } : {}),
        ...(f.type ? { errorType: f.type } : {}),
        ...(f.errorCode ? { errorCode: f.errorCode } : {}),
        ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
      },
    },
  );
}

export function timeoutError(what: string, timeoutMs?: number, cause?: unknown): StewardError {
  const after = timeoutMs !== undefined && Number.isFinite(timeoutMs) ? ` after ${timeoutMs} ms` : '';
  return new StewardError('anthropic_timeout', `Anthropic API: ${what} timed out${after}`, { retry: true, cause });
}

export function connectionError(what: string, cause?: unknown): StewardError {
  const reason =
    cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return new StewardError('anthropic_unreachable', `Anthropic API: ${what} could not connect (${reason})`, {
    retry: true,
    cause,
  });
}

/** 403/404 from an endpoint the organisation or credential may simply not have. */
export function isNotAvailable(err: unknown): boolean {
  return err instanceof StewardError && (err.code === 'anthropic_forbidden' || err.code === 'anthropic_not_found');
}
