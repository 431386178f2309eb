/**
 * One Web API call's answer, written once and recorded in the call log as it is written:
 * JSON with the `x-oauth-scopes` header Slack echoes, or (for injected faults) a raw body
 * such as the HTML error page a broken edge serves.
 */
import type { ServerResponse } from 'node:http';
import type { RecordedCall } from '../calls.js';

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

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-oauth-scopes': BOT_SCOPES,
    ...headers,
  });
  res.end(text);
}

export class ApiReply {
  constructor(
    private readonly res: ServerResponse,
    readonly call: RecordedCall,
    private readonly started: number,
  ) {}

  finish(status: number, body: Record<string, unknown> | string, headers: Record<string, string> = {}): void {
    const { call } = this;
    call.status = status;
    call.durationMs = Date.now() - this.started;
    if (typeof body === 'object') {
      call.ok = body.ok === true;
      call.error = typeof body.error === 'string' ? body.error : undefined;
    }
    sendJson(this.res, status, body, headers);
  }

  /** Slack's error shape: HTTP 200 with `ok: false`. */
  fail(error: string, extra: Record<string, unknown> = {}): void {
    this.finish(200, { ok: false, error, ...extra });
  }

  /** A body that is not Slack's JSON, recorded under `error`. */
  raw(status: number, contentType: string, text: string, error: string): void {
    const { call } = this;
    call.status = status;
    call.error = error;
    call.durationMs = Date.now() - this.started;
    this.res.writeHead(status, { 'content-type': contentType });
    this.res.end(text);
  }
}
