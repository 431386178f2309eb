import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { StewardError } from '../domain/errors.js';
import { connectionError, httpError, timeoutError } from './errors.js';

/** Maps anything the SDK throws to a StewardError; StewardErrors pass through. */
export function fromSdkError(err: unknown, what: string, timeoutMs?: number): StewardError {
  if (err instanceof StewardError) return err;
  if (err instanceof APIUserAbortError)
    return new StewardError('aborted', `Anthropic API: ${what} was cancelled`, { retry: false, cause: err });
  if (err instanceof APIConnectionTimeoutError) return timeoutError(what, timeoutMs, err);
  if (err instanceof APIConnectionError) return connectionError(what, err);
  if (err instanceof APIError && typeof err.status === 'number') {
    const headers = err.headers as Headers | undefined;
    const mapped = httpError({
      what,
      status: err.status,
      shouldRetryHeader: headers?.get('x-should-retry') ?? null,
      requestId: err.requestID ?? null,
      type: err.type ?? null,
      message: err.apiMessage ?? null,
      errorCode: err.errorCode ?? null,
    });
    return new StewardError(mapped.code, mapped.message, { retry: mapped.retry, details: mapped.details, cause: err });
  }
  return new StewardError(
    'anthropic_request_failed',
    `Anthropic API: ${what} failed (${err instanceof Error ? err.message : String(err)})`,
    { retry: false, cause: err },
  );
}
