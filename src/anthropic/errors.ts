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

export function codeForStatus(status: number): ErrorCode {
  if (status >= 500) return 'anthropic_unavailable';
  return ANTHROPIC_ERROR_CODES[status] ?? 'anthropic_request_failed';
}

/** Retryable by status alone: 408/409 (lock timeouts), 429 and every 5xx, as the SDK does. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** `x-should-retry: true|false` wins over the status when present. */
export function shouldRetry(status: number, header: string | null | undefined): boolean {
  if (header === 'true') return true;
  if (header === 'false') return false;
  return retryableStatus(status);
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
  return new StewardError(
    codeForStatus(f.status),
    `Anthropic API: ${f.what} failed with HTTP ${f.status}${detail ? ` (${detail})` : ''}`,
    {
      retry: shouldRetry(f.status, f.shouldRetryHeader),
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
