import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Args } from './args.js';
import { BodyTooLargeError, mediaType, parseBody, readRawBody, type ParsedBody } from './body.js';
import { CallLog, recordableArgs, type RecordedCall } from './calls.js';
import { SlackApiError } from './errors.js';
import { Faults } from './faults.js';
import { METHODS, type MethodTable } from './methods/index.js';
import { RateLimiter } from './rate-limit.js';
import { applyResponseUrlPost } from './response-url.js';
import type { WorkspaceState } from './state.js';

/** Scopes a Steward bot token holds; echoed in `x-oauth-scopes` as Slack does. */
const BOT_SCOPES = [
  'chat:write',
  'chat:write.public',
  'commands',
  'im:write',
  'im:read',
  'users:read',
  'users:read.email',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
  'im:history',
  'files:write',
].join(',');

export interface ServerDeps {
  state: WorkspaceState;
  calls: CallLog;
  faults: Faults;
  limiter: RateLimiter;
  /** Tokens accepted as the app's bot token. */
  tokens: () => readonly string[];
  /** Methods called with the app-level token (xapp-…) instead, e.g. apps.connections.open. */
  appLevel?: { tokens: () => readonly string[]; methods: MethodTable };
  /** WebSocket upgrades (Socket Mode's /link/). */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * The HTTP side of the sim: Slack's Web API under /api/<method>, the file upload URLs it
 * hands out, and the response_url endpoints the app posts replies to.
 */
export class SlackSimServer {
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`sim error: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    });
    if (deps.upgrade) this.server.on('upgrade', deps.upgrade);
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${h}:${addr.port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const path = url.pathname;
    if (path.startsWith('/api/')) return this.api(req, res, decodeURIComponent(path.slice('/api/'.length)), url);
    if (path.startsWith('/upload/v1/') && req.method === 'POST') return this.upload(req, res, path);
    if ((path.startsWith('/commands/') || path.startsWith('/actions/')) && req.method === 'POST')
      return this.responseUrl(req, res, path);
    if (path.startsWith('/files-pri/') && req.method === 'GET') return this.download(req, res, path);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  private token(req: IncomingMessage, body: ParsedBody): { token: string | undefined; how: RecordedCall['auth'] } {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && /^Bearer\s+/i.test(auth))
      return { token: auth.replace(/^Bearer\s+/i, '').trim(), how: 'bearer' };
    // Slack takes a `token` parameter only in form bodies, never inside a JSON body.
    if (body.kind !== 'json' && typeof body.args.token === 'string' && body.args.token !== '')
      return { token: body.args.token, how: 'form' };
    return { token: undefined, how: 'none' };
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-oauth-scopes': BOT_SCOPES,
      ...headers,
    });
    res.end(text);
  }

  private async api(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const { state, calls, faults, limiter } = this.deps;
    const started = Date.now();
    let parsed: ParsedBody;
    try {
      const raw = await readRawBody(req);
      parsed =
        req.method === 'GET'
          ? { kind: 'form', args: {}, files: [], missingCharset: false, superfluousCharset: false, invalid: undefined }
          : parseBody(raw, req.headers['content-type']);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return this.send(res, 413, { ok: false, error: 'request_too_large' });
      throw err;
    }
    for (const [k, v] of url.searchParams) if (!(k in parsed.args)) parsed.args[k] = v;
    const { token, how } = this.token(req, parsed);
    const appTokens = this.deps.appLevel?.tokens() ?? [];
    const call: RecordedCall = {
      method,
      args: recordableArgs(parsed.args, [...this.deps.tokens(), ...appTokens]),
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
    const finish = (
      status: number,
      body: Record<string, unknown> | string,
      headers: Record<string, string> = {},
    ): void => {
      call.status = status;
      call.durationMs = Date.now() - started;
      if (typeof body === 'object') {
        call.ok = body.ok === true;
        call.error = typeof body.error === 'string' ? body.error : undefined;
      }
      this.send(res, status, body, headers);
    };
    const fail = (error: string, extra: Record<string, unknown> = {}): void =>
      finish(200, { ok: false, error, ...extra });

    const appHandler = this.deps.appLevel?.methods[method];
    const handler = appHandler ?? METHODS[method];
    if (!handler) return fail('unknown_method', { req_method: method });
    if (parsed.invalid) return fail(parsed.invalid);
    if (token === undefined) return fail('not_authed');
    const accepted = appHandler ? appTokens : this.deps.tokens();
    if (!accepted.includes(token)) {
      // A real token of the other kind (bot token for apps.connections.open, or the reverse) is not_allowed_token_type.
      const other = appHandler ? this.deps.tokens() : appTokens;
      return fail(other.includes(token) ? 'not_allowed_token_type' : 'invalid_auth');
    }

    const fault = faults.match(method);
    if (fault) {
      call.fault = fault.kind;
      switch (fault.kind) {
        case 'rate_limit': {
          call.rateLimited = true;
          const retryAfter = String(fault.spec.retryAfter ?? 1);
          return finish(429, { ok: false, error: 'ratelimited' }, { 'retry-after': retryAfter });
        }
        case 'server_error':
          call.status = fault.spec.status ?? 500;
          call.error = 'server_error';
          call.durationMs = Date.now() - started;
          res.writeHead(call.status, { 'content-type': 'text/html' });
          res.end('<html><body><h1>Internal Server Error</h1></body></html>');
          return;
        case 'hang':
          call.error = 'hang';
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          return;
        case 'malformed':
          call.status = 200;
          call.error = 'malformed';
          call.durationMs = Date.now() - started;
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end('<html>upstream connect error or disconnect/reset before headers</html>');
          return;
        case 'error':
          return fail(fault.spec.error!);
      }
    }

    const decision = limiter.take(method, this.channelKey(parsed.args.channel));
    if (!decision.allowed) {
      call.rateLimited = true;
      return finish(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(decision.retryAfterSeconds) });
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
      // An app-level token carries only connections:write.
      return finish(200, body, appHandler ? { 'x-oauth-scopes': 'connections:write' } : {});
    } catch (err) {
      if (err instanceof SlackApiError) {
        const extra: Record<string, unknown> = { ...err.extra };
        if (err.messages.length > 0) extra.response_metadata = { messages: err.messages };
        return fail(err.error, extra);
      }
      return fail('internal_error', { detail: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The conversation a call targets, so a user id and the DM it means share one limit. */
  private channelKey(channel: unknown): string | undefined {
    if (typeof channel !== 'string') return undefined;
    if (/^[UW][A-Z0-9]+$/.test(channel)) return this.deps.state.dmWith(channel)?.id ?? channel;
    return this.deps.state.channelByName(channel)?.id ?? channel;
  }

  private async upload(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const { state } = this.deps;
    const [, , , fileId, secretPart] = path.split('/');
    const file = fileId ? state.files.get(fileId) : undefined;
    const raw = await readRawBody(req);
    if (!file || file.upload_secret !== secretPart || file.completed) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not_found');
      return;
    }
    const parsed = parseBody(raw, req.headers['content-type']);
    // WebClient posts multipart (its Buffer becomes a form file); curl may post raw bytes.
    file.bytes = parsed.kind === 'multipart' ? (parsed.files[0]?.data ?? Buffer.alloc(0)) : raw;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`OK - ${file.bytes.length}`);
  }

  private async responseUrl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const { state } = this.deps;
    const raw = await readRawBody(req);
    const record = state.responseUrlByUrl(`${state.baseUrl}${path}`);
    if (!record) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('invalid_token');
      return;
    }
    let body: unknown;
    const type = mediaType(req.headers['content-type']);
    try {
      if (type === 'application/x-www-form-urlencoded') {
        const payload = new URLSearchParams(raw.toString('utf8')).get('payload');
        body = payload === null ? undefined : JSON.parse(payload);
      } else {
        body = JSON.parse(raw.toString('utf8'));
      }
    } catch {
      body = raw.toString('utf8');
    }
    const answer = applyResponseUrlPost(state, record, body, { countUse: true, source: 'response_url' });
    res.writeHead(answer.status, { 'content-type': answer.contentType });
    res.end(answer.body);
  }

  private async download(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const { state } = this.deps;
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
    const m = /^\/files-pri\/[^-]+-([^/]+)\//.exec(path);
    const file = m ? state.files.get(m[1]!) : undefined;
    if (!token || !this.deps.tokens().includes(token)) {
      res.writeHead(302, { location: `https://${state.team.domain}.slack.com/?redir=login` });
      res.end();
      return;
    }
    if (!file?.bytes || !file.completed) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
    res.end(file.bytes);
  }
}
