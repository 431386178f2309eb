import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody } from '../errors.js';
import { prng } from '../ids.js';
import { MessagesFaults, type MessagesFaultSpec } from './faults.js';
import { defaultReply, messageResponse, type Responder, type ScriptedReply } from './reply.js';
import { validateMessagesRequest, type MessagesRequest } from './validate.js';

export type { MessagesFaultKind, MessagesFaultSpec } from './faults.js';
export type { Responder, ScriptedReply, StopReason } from './reply.js';
export { lastUserText, toolResults, type MessagesRequest } from './validate.js';

/**
 * `POST /v1/messages` of the simulated API (the Messages API, reached with an ordinary
 * API key, never the Admin or Compliance key): request validation, the `Message`
 * response with `tool_use` / `tool_result` turns, `stop_reason`, usage, error bodies,
 * rate-limit headers, and faults. Answers come from a per-test script; without one the
 * sim answers like constrained decoding would (see `defaultReply`).
 */
export interface MessagesCall {
  seq: number;
  /** The request body as received (parsed JSON, or the raw text when it was not JSON). */
  body: unknown;
  status: number | null;
  fault: MessagesFaultSpec['kind'] | undefined;
  requestId: string;
  /** The client gave up (closed the connection) before the answer was sent. */
  abortedByClient: boolean;
}

export interface MessagesSimOptions {
  /** The ordinary API key (`sk-ant-api03-…`) the endpoint accepts. */
  apiKey?: string;
  /** Requests per minute before a 429 (documented per-organisation limit); null = none. */
  requestsPerMinute?: number | null;
  seed?: number;
  requestId: () => string;
}

const WINDOW_MS = 60_000;

/** The ordinary API key the simulated Messages API accepts unless a test sets another. */
export const SIM_MESSAGES_API_KEY = 'sk-ant-api03-simulated-messages-key-AAAA';

export class MessagesSim {
  readonly apiKey: string;
  readonly faults = new MessagesFaults();
  readonly calls: MessagesCall[] = [];
  requestsPerMinute: number | null;
  private readonly script: Responder[] = [];
  private fallback: Responder | undefined;
  private readonly open = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private window = { start: 0, used: 0 };
  private readonly rand: () => number;

  constructor(private readonly opts: MessagesSimOptions) {
    this.apiKey = opts.apiKey ?? SIM_MESSAGES_API_KEY;
    this.requestsPerMinute = opts.requestsPerMinute ?? null;
    this.rand = prng((opts.seed ?? 1) ^ 0x6d657373);
  }

  /** Queues answers: each request takes the next one (then the default). */
  reply(...responders: Responder[]): void {
    this.script.push(...responders);
  }

  /** Answers every request the script does not cover (`undefined` = the built-in default). */
  setDefault(responder: Responder | undefined): void {
    this.fallback = responder;
  }

  /** Scripted answers not used yet. */
  pending(): number {
    return this.script.length;
  }

  /** Bodies of the requests that reached validation, oldest first. */
  requests(): MessagesRequest[] {
    return this.calls.map((c) => c.body as MessagesRequest);
  }

  reset(): void {
    this.script.length = 0;
    this.fallback = undefined;
    this.faults.clear();
    this.calls.length = 0;
    this.window = { start: 0, used: 0 };
  }

  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').split('?')[0] === '/v1/messages';
  }

  /** Reads the body, then answers; the server hands every `/v1/messages` request here. */
  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.handle(req, res, chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined));
  }

  handle(req: IncomingMessage, res: ServerResponse, raw: string | undefined): void {
    const requestId = this.opts.requestId();
    const call: MessagesCall = {
      seq: this.calls.length + 1,
      body: parse(raw),
      status: null,
      fault: undefined,
      requestId,
      abortedByClient: false,
    };
    this.calls.push(call);
    this.open.add(res);
    res.on('close', () => {
      this.open.delete(res);
      if (!res.writableFinished) call.abortedByClient = true;
    });
    this.serve(req, res, raw, call).catch((err: unknown) => {
      // A bug in a scripted responder or the sim: say so loudly, as a 500 naming it.
      this.send(res, call, 500, errorBody('api_error', `simulator bug: ${String(err)}`, requestId), {});
    });
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const res of this.open) res.socket?.destroy();
    this.open.clear();
  }

  private async serve(req: IncomingMessage, res: ServerResponse, raw: string | undefined, call: MessagesCall) {
    const id = call.requestId;
    try {
      if ((req.method ?? 'GET').toUpperCase() !== 'POST')
        throw new ApiError(405, 'Method Not Allowed', { type: 'invalid_request_error' });
      // https://platform.claude.com/docs/en/api/errors: 401 authentication_error, "There's an
      // issue with your API key". The docs give no message text; these are the wordings the
      // rest of this sim uses. Admin and Compliance keys are other kinds of key: refused.
      // SDK 1.x sends `apiKey` as `Authorization: Bearer`; curl sends `x-api-key`.
      const key = header(req, 'x-api-key') ?? /^Bearer\s+(.+)$/i.exec(header(req, 'authorization') ?? '')?.[1]?.trim();
      if (!key) throw new ApiError(401, 'x-api-key header is required');
      if (key !== this.apiKey) throw new ApiError(401, 'invalid x-api-key');
      // Every request names the API version (https://platform.claude.com/docs/en/api/versioning).
      const version = header(req, 'anthropic-version');
      if (!version) throw new ApiError(400, 'anthropic-version: header is required');
      const limited = this.rateLimit();
      if (limited) return this.rateLimited(res, call, limited);
      if (raw !== undefined && call.body === raw) throw new ApiError(400, 'The request body is not valid JSON.');
      const request = validateMessagesRequest(call.body, version);
      const fault = this.faults.take();
      call.fault = fault?.kind;
      if (fault) return await this.applyFault(fault, request, res, call);
      return this.answer(res, call, request, await this.next(request));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      this.send(res, call, err.status, errorBody(err.type, err.message, id, err.details), err.headers);
    }
  }

  private async next(request: MessagesRequest): Promise<ScriptedReply> {
    const responder = this.script.shift() ?? this.fallback ?? defaultReply;
    return typeof responder === 'function' ? responder(request) : responder;
  }

  private answer(res: ServerResponse, call: MessagesCall, request: MessagesRequest, reply: ScriptedReply): void {
    const ids = { next: (p: 'msg' | 'toolu') => `${p}_01${this.token()}` };
    this.send(res, call, 200, messageResponse(request, reply, ids), this.limitHeaders());
  }

  private async applyFault(f: MessagesFaultSpec, request: MessagesRequest, res: ServerResponse, call: MessagesCall) {
    const id = call.requestId;
    switch (f.kind) {
      case 'rate_limit':
        return this.rateLimited(res, call, f.retryAfter ?? 1);
      case 'server_error':
        return this.send(res, call, 500, errorBody('api_error', 'Internal server error', id), {});
      case 'overloaded':
        return this.send(res, call, 529, errorBody('overloaded_error', 'Overloaded', id), {});
      case 'hang':
        return; // Held open; the client's timeout or close() ends it.
      case 'slow': {
        const reply = await this.next(request);
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (!res.destroyed) this.answer(res, call, request, reply);
        }, f.delayMs ?? 5_000);
        this.timers.add(t);
        return;
      }
      case 'malformed': {
        call.status = 200;
        const text = '{"id": "msg_01trunc", "type": "message", "content": [{"type": "te';
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          'request-id': id,
        });
        res.end(text);
        return;
      }
      case 'refusal':
        return this.answer(res, call, request, {
          text: '',
          refusal: { category: f.category ?? null, explanation: null },
        });
    }
  }

  /** Seconds until the window resets when over the limit, else undefined (and counts the request). */
  private rateLimit(): number | undefined {
    const now = Date.now();
    if (now - this.window.start >= WINDOW_MS) this.window = { start: now, used: 0 };
    if (this.requestsPerMinute !== null && this.window.used >= this.requestsPerMinute)
      return Math.max(1, Math.ceil((this.window.start + WINDOW_MS - now) / 1000));
    this.window.used++;
    return undefined;
  }

  private rateLimited(res: ServerResponse, call: MessagesCall, retryAfter: number): void {
    this.send(
      res,
      call,
      429,
      errorBody('rate_limit_error', 'Number of requests has exceeded your rate limit.', call.requestId),
      { ...this.limitHeaders(0), 'retry-after': String(retryAfter) },
    );
  }

  /** https://platform.claude.com/docs/en/api/rate-limits, "Response headers" (request limits). */
  private limitHeaders(remaining?: number): Record<string, string> {
    const limit = this.requestsPerMinute ?? 4000;
    const left = remaining ?? Math.max(0, limit - this.window.used);
    return {
      'anthropic-ratelimit-requests-limit': String(limit),
      'anthropic-ratelimit-requests-remaining': String(left),
      'anthropic-ratelimit-requests-reset': new Date(this.window.start + WINDOW_MS).toISOString(),
    };
  }

  private send(
    res: ServerResponse,
    call: MessagesCall,
    status: number,
    body: unknown,
    headers: Record<string, string>,
  ) {
    if (res.headersSent || res.destroyed) return;
    call.status = status;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'request-id': call.requestId,
    });
    res.end(text);
  }

  private token(): string {
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    return Array.from({ length: 22 }, () => alphabet[Math.floor(this.rand() * alphabet.length)]).join('');
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parse(raw: string | undefined): unknown {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
