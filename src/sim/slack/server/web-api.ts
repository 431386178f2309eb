/**
 * One Web API call, `/api/<method>`, answered as Slack answers it: the body parsed (form,
 * JSON or multipart, with Slack's charset warnings), the token checked for its kind, any
 * injected fault, the method's rate limit, then the method itself; every call recorded.
 * Error shapes and warnings: docs.slack.dev/apis/web-api.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Args } from '../args.js';
import { BodyTooLargeError, mediaType, parseBody, readRawBody, type ParsedBody } from '../body.js';
import { recordableArgs, type RecordedCall } from '../calls.js';
import { SlackApiError } from '../errors.js';
import type { ActiveFault } from '../faults.js';
import { METHODS } from '../methods/index.js';
import { ApiReply, sendJson } from './api-reply.js';
import type { ServerDeps } from './deps.js';

export async function serveWebApi(
  deps: ServerDeps,
  hanging: Set<ServerResponse>,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  url: URL,
): Promise<void> {
  const { state, calls, faults, limiter } = deps;
  const started = Date.now();
  let parsed: ParsedBody;
  try {
    const raw = await readRawBody(req);
    parsed =
      req.method === 'GET'
        ? { kind: 'form', args: {}, files: [], missingCharset: false, superfluousCharset: false, invalid: undefined }
        : parseBody(raw, req.headers['content-type']);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return sendJson(res, 413, { ok: false, error: 'request_too_large' });
    throw err;
  }
  for (const [k, v] of url.searchParams) if (!(k in parsed.args)) parsed.args[k] = v;
  const { token, how } = tokenOf(req, parsed);
  const appTokens = deps.appLevel?.tokens() ?? [];
  const call: RecordedCall = {
    method,
    args: recordableArgs(parsed.args, [...deps.tokens(), ...appTokens]),
    auth: how,
    contentType: mediaType(req.headers['content-type']),
    time: started,
    durationMs: 0,
    status: 0,
    ok: false,
    error: undefined,
    fault: undefined,
    rateLimited: false,
  };
  calls.push(call);
  const reply = new ApiReply(res, call, started);

  const appHandler = deps.appLevel?.methods[method];
  const handler = appHandler ?? METHODS[method];
  if (!handler) return reply.fail('unknown_method', { req_method: method });
  if (parsed.invalid) return reply.fail(parsed.invalid);
  if (token === undefined) return reply.fail('not_authed');
  const accepted = appHandler ? appTokens : deps.tokens();
  if (!accepted.includes(token)) {
    // A real token of the other kind (bot token for apps.connections.open, or the reverse) is not_allowed_token_type.
    const other = appHandler ? deps.tokens() : appTokens;
    return reply.fail(other.includes(token) ? 'not_allowed_token_type' : 'invalid_auth');
  }

  const fault = faults.match(method, parsed.args);
  const held = fault?.kind === 'held';
  if (fault && !held) return answerWithFault(fault, reply, () => hang(hanging, res));
  if (held) call.fault = 'held';

  const decision = limiter.take(method, channelKey(deps, parsed.args.channel));
  if (!decision.allowed) {
    call.rateLimited = true;
    return reply.finish(
      429,
      { ok: false, error: 'ratelimited' },
      { 'retry-after': String(decision.retryAfterSeconds) },
    );
  }

  try {
    const result = await handler({ state, args: new Args(parsed.args) });
    const body: Record<string, unknown> = { ok: true, ...result };
    // Slack's documented content-type warnings (docs.slack.dev/apis/web-api, "warnings").
    const warning = parsed.missingCharset
      ? 'missing_charset'
      : parsed.superfluousCharset
        ? 'superfluous_charset'
        : undefined;
    if (warning) {
      body.warning = warning;
      const meta = (body.response_metadata as Record<string, unknown> | undefined) ?? {};
      body.response_metadata = { ...meta, warnings: [warning] };
    }
    if (held) await faults.hold();
    // An app-level token carries only connections:write.
    return reply.finish(200, body, appHandler ? { 'x-oauth-scopes': 'connections:write' } : {});
  } catch (err) {
    if (err instanceof SlackApiError) {
      const extra: Record<string, unknown> = { ...err.extra };
      if (err.messages.length > 0) extra.response_metadata = { messages: err.messages };
      return reply.fail(err.error, extra);
    }
    return reply.fail('internal_error', { detail: err instanceof Error ? err.message : String(err) });
  }
}

/** The injected fault's answer: a 429, an HTML error page, no answer at all, a non-JSON body, or a Slack error. */
function answerWithFault(fault: ActiveFault, reply: ApiReply, hangUp: () => void): void {
  const { call } = reply;
  call.fault = fault.kind;
  switch (fault.kind) {
    case 'rate_limit': {
      call.rateLimited = true;
      const retryAfter = String(fault.spec.retryAfter ?? 1);
      return reply.finish(429, { ok: false, error: 'ratelimited' }, { 'retry-after': retryAfter });
    }
    case 'server_error':
      return reply.raw(
        fault.spec.status ?? 500,
        'text/html',
        '<html><body><h1>Internal Server Error</h1></body></html>',
        'server_error',
      );
    case 'hang':
      call.error = 'hang';
      return hangUp();
    case 'malformed':
      return reply.raw(
        200,
        'text/html; charset=utf-8',
        '<html>upstream connect error or disconnect/reset before headers</html>',
        'malformed',
      );
    case 'error':
      return reply.fail(fault.spec.error!);
  }
}

/** Leaves the request unanswered until the client gives up or the sim closes. */
function hang(hanging: Set<ServerResponse>, res: ServerResponse): void {
  hanging.add(res);
  res.on('close', () => hanging.delete(res));
}

function tokenOf(req: IncomingMessage, body: ParsedBody): { token: string | undefined; how: RecordedCall['auth'] } {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth))
    return { token: auth.replace(/^Bearer\s+/i, '').trim(), how: 'bearer' };
  // Slack takes a `token` parameter only in form bodies, never inside a JSON body.
  if (body.kind !== 'json' && typeof body.args.token === 'string' && body.args.token !== '')
    return { token: body.args.token, how: 'form' };
  return { token: undefined, how: 'none' };
}

/** The conversation a call targets, so a user id and the DM it means share one limit. */
function channelKey(deps: ServerDeps, channel: unknown): string | undefined {
  if (typeof channel !== 'string') return undefined;
  if (/^[UW][A-Z0-9]+$/.test(channel)) return deps.state.dmWith(channel)?.id ?? channel;
  return deps.state.channelByName(channel)?.id ?? channel;
}
