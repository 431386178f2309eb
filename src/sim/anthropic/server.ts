import type { IncomingMessage, ServerResponse } from 'node:http';
import { adminError, isAdminErrorCode } from './admin-errors.js';
import { injectAdminError } from './admin-faults.js';
import { authenticateCompliance, authenticatesForCompliance, authorize } from './auth.js';
import { routeByCredential } from './organizations.js';
import { pickHeaders, type CallLog, type RecordedCall } from './calls.js';
import type { RateLimiter } from './compliance/rate-limiter.js';
import type { RouteContext, SimCore } from './context.js';
import { emitActivity, type CallOrigin } from './emitter.js';
import { ApiError, errorBody } from './errors.js';
import { faultResponse, type Reply } from './fault-replies.js';
import type { Faults } from './faults.js';
import type { IdempotencyStore, StoredResponse } from './idempotency.js';
import type { Latency } from './latency.js';
import { Query } from './query.js';
import { matchRoute, type Match } from './router.js';
import { faultHeaders, isErrorEnvelope, parseJson, readBody, send, single } from './server-io.js';

export interface ServerDeps {
  core: SimCore;
  /** Every organisation under the parent, the first (`core`) first (see organizations.ts). */
  orgs: () => readonly SimCore[];
  faults: Faults;
  calls: CallLog;
  idempotency: IdempotencyStore;
  limiter: RateLimiter;
  latency: Latency;
  /** Responses held open by `hang` faults or a latency delay; `close()` ends them. */
  hung: Set<ServerResponse>;
}

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
  // The organisation whose key this is answers (an Admin key reaches only its own organisation).
  const routed = routeByCredential(req.headers, deps.orgs());
  const { core, auth } = routed;
  const requestId = core.ids.requestId();
  const url = new URL(req.url ?? '/', 'http://sim.local');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const query = new Query(url.searchParams);
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
    org: core.state.org.uuid,
    status: null,
    fault: undefined,
    replayed: false,
    requestId,
  };
  deps.calls.push(call);
  const target = { op: call.op, method, path, org: call.org };
  const origin: CallOrigin = {
    auth,
    ip: req.socket.remoteAddress ?? '127.0.0.1',
    userAgent: single(req.headers['user-agent']) ?? '',
  };
  const emit = (kind: 'mutation' | 'read' | 'compliance', type: string, fields?: Record<string, unknown>) =>
    emitActivity(core, origin, kind, type, fields);
  const reply = (r: Reply) => deliver(deps, res, call, r);

  const before = deps.faults.take(target, 'before');
  if (before) {
    call.fault = before.kind;
    if (isAdminErrorCode(before.kind)) {
      const err = injectAdminError(core, before.kind, call.op, route?.params ?? {}, before, emit);
      return reply(errorReply(err, requestId, faultHeaders(before)));
    }
    return reply(faultResponse(deps, res, before, requestId, faultHeaders(before)));
  }

  const headers: Record<string, string> = {};
  let result: StoredResponse;
  const idemKey = method !== 'GET' ? single(req.headers['idempotency-key']) : undefined;
  const compliance = route?.route.realm === 'compliance';
  try {
    if (match === undefined) throw new ApiError(404, path.startsWith('/v1/compliance/') ? 'Not found' : 'Not Found');
    if (match === 'method') throw new ApiError(405, 'Method Not Allowed', { type: 'invalid_request_error' });
    const r = match.route;
    if (!compliance && core.config.requireVersionHeader && !req.headers['anthropic-version']) {
      throw new ApiError(400, 'anthropic-version: header is required');
    }
    if (compliance) {
      // Documented order: failed authentication never reaches the limiter; a known key lacking
      // scope spends a unit first (compliance-errors#429-too-many-requests).
      authenticateCompliance(auth);
      Object.assign(headers, deps.limiter.take());
    }
    authorize(r.realm, auth, core.config);
    if (bodyError) throw new ApiError(400, 'The request body is not valid JSON.');
    const replay = idemKey ? deps.idempotency.lookup(idemKey, method, path, raw ?? '') : undefined;
    if (replay) {
      call.replayed = true;
      result = replay;
    } else {
      result = run(match, core, req, auth, query, body, method, path, emit, routed.scopedToOrg);
      if (idemKey) deps.idempotency.remember(idemKey, method, path, raw ?? '', result);
    }
  } catch (err) {
    result = errorResult(err, requestId);
  }

  if (route) {
    const after = deps.faults.take(target, 'after');
    if (after) {
      call.fault = after.kind;
      // The change was applied in full; only the answer is the documented error.
      if (isAdminErrorCode(after.kind))
        return reply(errorReply(adminError(after.kind), requestId, faultHeaders(after)));
      return reply(faultResponse(deps, res, after, requestId, faultHeaders(after)));
    }
  }
  if (compliance && authenticatesForCompliance(auth)) {
    // "Logging event auto-generated for each compliance API request" — recorded after the
    // response is decided, so a call never returns its own record.
    emit('compliance', 'compliance_api_accessed', {
      url: `http://${single(req.headers.host) ?? 'api.anthropic.com'}${req.url ?? path}`,
      request_method: method,
      status_code: result.status,
      request_body: raw ?? '',
      request_id: requestId,
    });
  }
  const resultBody = isErrorEnvelope(result.body) ? { ...result.body, request_id: requestId } : result.body;
  reply({
    status: result.status,
    body: resultBody,
    headers: {
      ...headers,
      ...result.headers,
      'request-id': requestId,
      'anthropic-organization-id': core.state.org.uuid,
    },
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
  emit: RouteContext['emit'],
  scopedToOrg: boolean,
): StoredResponse {
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
    emit,
    ...(scopedToOrg ? { feedScope: core.state.org } : {}),
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

function errorReply(err: ApiError, requestId: string, headers: Record<string, string>): Reply {
  const r = errorResult(err, requestId);
  return { status: r.status, body: r.body, headers: { ...r.headers, ...headers, 'request-id': requestId } };
}

/** Sends a reply after the configured latency for its op (the response is held, not changed). */
function deliver(deps: ServerDeps, res: ServerResponse, call: RecordedCall, r: Reply): void {
  if (r === 'held') return;
  const write = () => {
    deps.hung.delete(res);
    if (res.destroyed) return;
    call.status = r.status;
    if (r.rawText !== undefined) {
      res.writeHead(r.status, {
        ...r.headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(r.rawText),
      });
      res.end(r.rawText);
    } else send(res, r.status, r.body, r.headers);
  };
  const delay = deps.latency.delayFor(call.op);
  if (delay <= 0) return write();
  deps.hung.add(res);
  const timer = setTimeout(write, delay);
  res.on('close', () => clearTimeout(timer));
}
