import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize, identify } from './auth.js';
import { pickHeaders, type CallLog, type RecordedCall } from './calls.js';
import type { RateLimiter } from './compliance/rate-limiter.js';
import type { RouteContext, SimCore } from './context.js';
import { emitActivity } from './emitter.js';
import { ApiError, errorBody } from './errors.js';
import type { Faults, FaultSpec } from './faults.js';
import type { IdempotencyStore, StoredResponse } from './idempotency.js';
import { Query } from './query.js';
import { matchRoute, type Match } from './router.js';

export interface ServerDeps {
  core: SimCore;
  faults: Faults;
  calls: CallLog;
  idempotency: IdempotencyStore;
  limiter: RateLimiter;
  /** Responses held open by `hang` faults; `close()` ends them. */
  hung: Set<ServerResponse>;
}

const MAX_BODY = 8 * 1024 * 1024;

export function createRequestHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  let seq = 0;
  return (req, res) => {
    readBody(req)
      .then((raw) => serve(deps, req, res, raw, ++seq))
      .catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed)
          send(res, 500, errorBody('api_error', `simulator failure: ${String(err)}`, 'req_sim'), {});
      });
  };
}

function serve(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  raw: string | undefined,
  seq: number,
): void {
  const { core } = deps;
  const requestId = core.ids.requestId();
  const url = new URL(req.url ?? '/', 'http://sim.local');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const query = new Query(url.searchParams);
  const auth = identify(req.headers, core.config);
  const match = matchRoute(method, path);
  const route = typeof match === 'object' ? match : undefined;
  const { body, bodyError } = parseJson(raw);
  const call: RecordedCall = {
    seq,
    at: new Date().toISOString(),
    method,
    path,
    op: route?.route.op,
    query: query.toRecord(),
    body: bodyError ? raw : body,
    headers: pickHeaders(req.headers),
    auth: {
      scheme: auth.scheme,
      credential: auth.credential,
      matched: auth.credential !== 'none' && auth.credential !== 'unknown',
    },
    status: null,
    fault: undefined,
    replayed: false,
    requestId,
  };
  deps.calls.push(call);
  const target = { op: call.op, method, path };

  const before = deps.faults.take(target, 'before');
  if (before) return applyFault(deps, res, call, before, requestId);

  const headers: Record<string, string> = {};
  let result: StoredResponse;
  const idemKey = method !== 'GET' ? single(req.headers['idempotency-key']) : undefined;
  try {
    if (match === undefined) throw new ApiError(404, 'Not Found');
    if (match === 'method') throw new ApiError(405, 'Method Not Allowed', { type: 'invalid_request_error' });
    const r = match.route;
    if (r.realm !== 'compliance' && core.config.requireVersionHeader && !req.headers['anthropic-version']) {
      throw new ApiError(400, 'anthropic-version: header is required');
    }
    // Documented: unauthenticated calls never reach the limiter; a known key lacking scope spends a unit first.
    if (r.realm === 'compliance' && (auth.credential === 'admin' || auth.credential === 'compliance'))
      Object.assign(headers, deps.limiter.take());
    authorize(r.realm, auth, core.config);
    if (bodyError) throw new ApiError(400, 'The request body is not valid JSON.');
    const replay = idemKey ? deps.idempotency.lookup(idemKey, method, path, raw ?? '') : undefined;
    if (replay) {
      call.replayed = true;
      result = replay;
    } else {
      result = run(match, core, req, auth, query, body, method, path);
      if (idemKey) deps.idempotency.remember(idemKey, method, path, raw ?? '', result);
    }
  } catch (err) {
    result = errorResult(err, requestId);
  }

  if (route) {
    const after = deps.faults.take(target, 'after');
    if (after) return applyFault(deps, res, call, after, requestId);
  }
  call.status = result.status;
  const body2 = isErrorEnvelope(result.body) ? { ...result.body, request_id: requestId } : result.body;
  send(res, result.status, body2, {
    ...headers,
    ...result.headers,
    'request-id': requestId,
    'anthropic-organization-id': core.state.org.uuid,
  });
}

function run(
  match: Match,
  core: SimCore,
  req: IncomingMessage,
  auth: RouteContext['auth'],
  query: Query,
  body: unknown,
  method: string,
  path: string,
): StoredResponse {
  const origin = {
    auth,
    ip: req.socket.remoteAddress ?? '127.0.0.1',
    userAgent: single(req.headers['user-agent']) ?? '',
  };
  const ctx: RouteContext = {
    sim: core,
    method,
    path,
    params: match.params,
    query,
    body,
    headers: req.headers,
    auth,
    now: core.clock.now(),
    emit: (kind, type, fields) => emitActivity(core, origin, kind, type, fields),
  };
  const out = match.route.handle(ctx);
  return { status: out.status ?? 200, body: out.body, headers: out.headers ?? {} };
}

function errorResult(err: unknown, requestId: string): StoredResponse {
  if (err instanceof ApiError) {
    return { status: err.status, body: errorBody(err.type, err.message, requestId, err.details), headers: err.headers };
  }
  // A bug in the simulator: say so loudly instead of pretending the API failed.
  const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  return { status: 500, body: errorBody('api_error', `simulator bug: ${message}`, requestId), headers: {} };
}

function isErrorEnvelope(b: unknown): b is Record<string, unknown> {
  return b !== null && typeof b === 'object' && (b as Record<string, unknown>)['type'] === 'error';
}

function applyFault(deps: ServerDeps, res: ServerResponse, call: RecordedCall, f: FaultSpec, requestId: string): void {
  call.fault = f.kind;
  const base: Record<string, string> = { 'request-id': requestId };
  if (f.shouldRetry !== undefined) base['x-should-retry'] = String(f.shouldRetry);
  if (f.retryAfterMs !== undefined) base['retry-after-ms'] = String(f.retryAfterMs);
  if (f.retryAfter !== undefined) base['retry-after'] = String(f.retryAfter);
  switch (f.kind) {
    case 'rate_limit': {
      const retryAfter = f.retryAfter ?? 1;
      call.status = 429;
      return send(
        res,
        429,
        errorBody(
          'rate_limit_error',
          'Number of requests has exceeded your rate limit. Please try again later.',
          requestId,
        ),
        {
          ...base,
          'retry-after': String(retryAfter),
          'anthropic-ratelimit-requests-limit': '600',
          'anthropic-ratelimit-requests-remaining': '0',
          'anthropic-ratelimit-requests-reset': new Date(Date.now() + retryAfter * 1000).toISOString(),
        },
      );
    }
    case 'server_error':
      call.status = 500;
      return send(res, 500, errorBody('api_error', 'Internal server error', requestId), base);
    case 'overloaded':
      call.status = 529;
      return send(res, 529, errorBody('overloaded_error', 'Overloaded', requestId), base);
    case 'malformed': {
      call.status = 200;
      const text =
        f.body ??
        (f.malformed === 'wrong_shape'
          ? '{"type":"unexpected","data":"not-a-list","has_more":"perhaps","first_id":7}'
          : '{"data": [{"id": "trunc');
      res.writeHead(200, { ...base, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    case 'hang':
      // Accept and never answer; close() ends it.
      deps.hung.add(res);
      res.on('close', () => deps.hung.delete(res));
      return;
    case 'drop':
      res.socket?.destroy();
      return;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(raw: string | undefined): { body: unknown; bodyError: boolean } {
  if (raw === undefined || raw.trim() === '') return { body: undefined, bodyError: false };
  try {
    return { body: JSON.parse(raw) as unknown, bodyError: false };
  } catch {
    return { body: undefined, bodyError: true };
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
