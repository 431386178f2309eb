import type { ServerResponse } from 'node:http';
import { errorBody, type ApiErrorType } from './errors.js';
import type { FaultSpec } from './faults.js';

/** A response to send (JSON body or raw text), or `held` when the fault answers nothing. */
export type Reply = { status: number; body?: unknown; rawText?: string; headers: Record<string, string> } | 'held';

/**
 * The response a transport-level fault stands for. Error bodies follow the documented envelope
 * (https://platform.claude.com/docs/en/api/errors); `x-should-retry`, `retry-after(-ms)` come from
 * the spec (a deterministic 500 carries `x-should-retry: false`,
 * https://platform.claude.com/docs/en/manage-claude/compliance-errors#500-internal-server-error).
 */
export function faultResponse(
  deps: { hung: Set<ServerResponse> },
  res: ServerResponse,
  f: FaultSpec,
  requestId: string,
  extra: Record<string, string>,
): Reply {
  const base: Record<string, string> = { ...extra, 'request-id': requestId };
  switch (f.kind) {
    case 'rate_limit': {
      const retryAfter = f.retryAfter ?? 1;
      return {
        status: 429,
        body: errorBody(
          'rate_limit_error',
          'Number of requests has exceeded your rate limit. Please try again later.',
          requestId,
        ),
        headers: {
          ...base,
          'retry-after': String(retryAfter),
          'anthropic-ratelimit-requests-limit': '600',
          'anthropic-ratelimit-requests-remaining': '0',
          'anthropic-ratelimit-requests-reset': new Date(Date.now() + retryAfter * 1000).toISOString(),
        },
      };
    }
    case 'server_error':
      return { status: 500, body: errorBody('api_error', 'Internal server error', requestId), headers: base };
    case 'overloaded':
      return { status: 529, body: errorBody('overloaded_error', 'Overloaded', requestId), headers: base };
    case 'api_error': {
      const e = f.error ?? { status: 500, message: 'Internal server error' };
      const type: ApiErrorType = e.type ?? (e.status >= 500 ? 'api_error' : 'invalid_request_error');
      const details = e.errorCode === undefined ? undefined : { error_code: e.errorCode };
      return { status: e.status, body: errorBody(type, e.message, requestId, details), headers: base };
    }
    case 'malformed': {
      const text =
        f.body ??
        (f.malformed === 'wrong_shape'
          ? '{"type":"unexpected","data":"not-a-list","has_more":"perhaps","first_id":7}'
          : '{"data": [{"id": "trunc');
      return { status: 200, rawText: text, headers: base };
    }
    case 'hang':
      // Accept and never answer; close() ends it.
      deps.hung.add(res);
      res.on('close', () => deps.hung.delete(res));
      return 'held';
    case 'drop':
      res.socket?.destroy();
      return 'held';
    default:
      throw new Error(`fault kind ${f.kind} is not a transport fault`);
  }
}
