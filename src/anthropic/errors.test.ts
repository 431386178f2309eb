import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { StewardError } from '../domain/errors.js';
import { codeForStatus, httpError, isNotAvailable, isSafeToResend, shouldRetry } from './errors.js';
import { fromSdkError } from './sdk-errors.js';

describe('Anthropic error mapping', () => {
  it('retries rate limits, lock timeouts, 5xx; not other 4xx; x-should-retry wins', () => {
    for (const s of [408, 409, 429, 500, 502, 529]) expect(shouldRetry(s, null)).toBe(true);
    for (const s of [400, 401, 403, 404, 422]) expect(shouldRetry(s, undefined)).toBe(false);
    expect(shouldRetry(500, 'false')).toBe(false);
    expect(shouldRetry(400, 'true')).toBe(true);
  });

  it('names codes by status', () => {
    expect(codeForStatus(429)).toBe('anthropic_rate_limited');
    expect(codeForStatus(403)).toBe('anthropic_forbidden');
    expect(codeForStatus(529)).toBe('anthropic_unavailable');
    expect(codeForStatus(418)).toBe('anthropic_request_failed');
  });

  it('builds a message naming the operation, the status and the API message, with details', () => {
    const e = httpError({
      what: 'listing API keys',
      status: 429,
      type: 'rate_limit_error',
      message: 'slow down',
      requestId: 'req_1',
      retryAfterMs: 2000,
    });
    expect(e.message).toBe('Anthropic API: listing API keys failed with HTTP 429 (rate_limit_error: slow down)');
    expect(e.retry).toBe(true);
    expect(e.details).toEqual({ status: 429, requestId: 'req_1', errorType: 'rate_limit_error', retryAfterMs: 2000 });
  });

  it('maps SDK errors: status errors, timeouts, connection failures', () => {
    const headers = new Headers({ 'x-should-retry': 'false', 'request-id': 'req_9' });
    const sdk = APIError.generate(
      503,
      { type: 'error', error: { type: 'api_error', message: 'down' } },
      undefined,
      headers,
    );
    const mapped = fromSdkError(sdk, 'listing users');
    expect(mapped).toBeInstanceOf(StewardError);
    expect(mapped).toMatchObject({ code: 'anthropic_unavailable', retry: false });
    expect(mapped.message).toContain('listing users failed with HTTP 503');

    const forbidden = fromSdkError(
      APIError.generate(
        403,
        { type: 'error', error: { type: 'permission_error', message: 'no' } },
        undefined,
        new Headers(),
      ),
      'x',
    );
    expect(isNotAvailable(forbidden)).toBe(true);

    expect(fromSdkError(new APIConnectionTimeoutError(), 'listing users', 2000)).toMatchObject({
      code: 'anthropic_timeout',
      retry: true,
    });
    expect(fromSdkError(new APIConnectionTimeoutError(), 'listing users', 2000).message).toBe(
      'Anthropic API: listing users timed out after 2000 ms',
    );
    expect(fromSdkError(new APIConnectionError({ cause: new Error('ECONNREFUSED') }), 'x')).toMatchObject({
      code: 'anthropic_unreachable',
      retry: true,
    });
    const own = new StewardError('slack_error', 'y', { retry: false });
    expect(fromSdkError(own, 'z')).toBe(own);
  });
});

describe('documented Admin API error codes', () => {
  it('treats api_key_requester_unconfirmed as safe to resend, and key limits as permanent with a way out', () => {
    const unconfirmed = httpError({
      what: 'setting API key k inactive',
      status: 403,
      type: 'permission_error',
      message: 'could not confirm',
      errorCode: 'api_key_requester_unconfirmed',
    });
    expect(unconfirmed).toMatchObject({ code: 'anthropic_requester_unconfirmed', retry: true });
    expect(unconfirmed.details).toMatchObject({ errorCode: 'api_key_requester_unconfirmed' });
    expect(isNotAvailable(unconfirmed)).toBe(false);
    expect(shouldRetry(403, 'false', 'api_key_requester_unconfirmed')).toBe(false);

    const limit = httpError({ what: 'setting API key k active', status: 400, errorCode: 'org_api_key_limit_exceeded' });
    expect(limit).toMatchObject({ code: 'anthropic_key_limit', retry: false });
    expect(limit.message).toMatch(/limit of active API keys: archive keys it no longer needs/);
    expect(codeForStatus(409, 'concurrent_membership_change')).toBe('anthropic_conflict');
    expect(shouldRetry(503, null, 'change_outcome_unknown')).toBe(true);
    // An unrecognised code is read as its bare status.
    expect(codeForStatus(403, 'something_new')).toBe('anthropic_forbidden');
    expect(shouldRetry(403, null, 'something_new')).toBe(false);
  });

  it('says which errors are safe to resend unchanged, however often they come', () => {
    const of = (status: number, errorCode?: string, header?: string) =>
      httpError({ what: 'x', status, errorCode: errorCode ?? null, shouldRetryHeader: header ?? null });
    expect(isSafeToResend(of(403, 'api_key_requester_unconfirmed'))).toBe(true);
    expect(isSafeToResend(of(409, 'concurrent_membership_change'))).toBe(true);
    expect(isSafeToResend(of(503, 'change_outcome_unknown'))).toBe(true);
    // Retryable, but not documented as safe to resend forever: the attempt budget applies.
    expect(isSafeToResend(of(500))).toBe(false);
    expect(isSafeToResend(of(429))).toBe(false);
    // The server said not to retry: that wins.
    expect(isSafeToResend(of(403, 'api_key_requester_unconfirmed', 'false'))).toBe(false);
    expect(isSafeToResend(of(400, 'org_api_key_limit_exceeded'))).toBe(false);
    expect(isSafeToResend(new Error('x'))).toBe(false);
  });
});
