/**
 * How the driver reaches the app: an HTTP POST to the Request URL signed as Slack signs
 * (../sign.ts), or, while the sim is in Socket Mode, an envelope over the app's connection. Slash commands travel as form fields,
 * interactions as a form-encoded `payload`, events as JSON.
 */
import type { DeliveredRequest, DeliveryOptions, DriverResponse } from '../delivery.js';
import { signSlackRequest } from '../sign.js';
import type { EnvelopeType } from '../socket-frames.js';
import type { JsonObject } from '../types.js';
import type { DriverContext } from './types.js';

function responseHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

function decode(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if ((contentType ?? '').includes('json') || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export class AppDelivery {
  constructor(readonly ctx: DriverContext) {}

  /** Sends a raw body to the app, signed as Slack signs (or mis-signed, on request). */
  async send(rawBody: string, contentType: string, opts: DeliveryOptions = {}): Promise<DriverResponse> {
    const url = opts.url ?? this.ctx.requestUrl();
    if (!url) throw new Error('no requestUrl: set one with sim.setRequestUrl() before driving the app');
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    const signature = opts.signature ?? 'valid';
    if (signature !== 'missing') {
      const ts = opts.timestampSeconds ?? Math.floor(Date.now() / 1000) - (opts.staleBySeconds ?? 0);
      const signed = signSlackRequest(opts.signingSecret ?? this.ctx.signingSecret, rawBody, ts);
      headers['x-slack-request-timestamp'] = signed['x-slack-request-timestamp'];
      headers['x-slack-signature'] =
        signature === 'invalid'
          ? signed['x-slack-signature'].replace(/.{8}$/, '00000000')
          : signed['x-slack-signature'];
    }
    if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
    const request: DeliveredRequest = { url, contentType, rawBody };
    const started = performance.now();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: rawBody,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
      const text = await res.text();
      const elapsedMs = performance.now() - started;
      return {
        status: res.status,
        headers: responseHeaders(res),
        text,
        body: decode(text, res.headers.get('content-type') ?? undefined),
        elapsedMs,
        late: elapsedMs > this.ctx.ackDeadlineMs,
        request,
      };
    } catch (err) {
      const elapsedMs = performance.now() - started;
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        return { status: 0, headers: {}, text: '', body: undefined, elapsedMs, late: true, request };
      }
      throw err;
    }
  }

  /** Delivers the same request again, freshly signed, as Slack's retries do (over the socket: a new envelope, retry_attempt + 1). */
  resend(request: DeliveredRequest, opts: DeliveryOptions = {}): Promise<DriverResponse> {
    if (request.socket) {
      const socket = this.ctx.socket?.();
      if (!socket) throw new Error('cannot resend a Socket Mode envelope: the sim is no longer in socket mode');
      return socket.deliver(request.socket.type, request.socket.payload, {
        retryNum: request.socket.retryAttempt + 1,
        retryReason: 'timeout',
        ...opts,
      });
    }
    return this.send(request.rawBody, request.contentType, {
      url: request.url,
      retryNum: 1,
      retryReason: 'http_timeout',
      ...opts,
    });
  }

  /** In socket mode the envelope goes over the app's connection; otherwise undefined (use HTTP). */
  viaSocket(type: EnvelopeType, payload: JsonObject, opts: DeliveryOptions): Promise<DriverResponse> | undefined {
    const socket = opts.transport === 'http' ? undefined : this.ctx.socket?.();
    if (!socket) {
      if (opts.transport === 'socket')
        throw new Error('transport "socket" asked for but the sim is not in socket mode');
      return undefined;
    }
    return socket.deliver(type, payload, opts);
  }

  postForm(fields: Record<string, string>, opts: DeliveryOptions): Promise<DriverResponse> {
    return this.send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
  }

  /** A slash command: form fields over HTTP, the same fields as a JSON payload over a socket. */
  sendCommand(fields: Record<string, string>, opts: DeliveryOptions): Promise<DriverResponse> {
    return this.viaSocket('slash_commands', fields, opts) ?? this.postForm(fields, opts);
  }

  sendPayload(payload: JsonObject, opts: DeliveryOptions): Promise<DriverResponse> {
    return this.viaSocket('interactive', payload, opts) ?? this.postForm({ payload: JSON.stringify(payload) }, opts);
  }

  /** An Events API callback: JSON over HTTP, an events_api envelope over a socket. */
  sendEvent(payload: JsonObject, opts: DeliveryOptions): Promise<DriverResponse> {
    return this.viaSocket('events_api', payload, opts) ?? this.send(JSON.stringify(payload), 'application/json', opts);
  }
}
