/**
 * A small HTTP endpoint standing in for Steward's /slack/events in the page's tests: it
 * checks each request's signature as Bolt does (HMAC over "v0:{timestamp}:{body}", with the
 * sim's own signing helper), records what arrived, and answers what the test tells it to.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSlackRequest } from '../../src/sim/slack/index.js';

export interface ReceivedRequest {
  contentType: string;
  rawBody: string;
  signatureValid: boolean;
  /** block_actions / view_submission / view_closed payloads, slash command fields, or the event envelope. */
  body: Record<string, unknown>;
  kind: 'interactive' | 'command' | 'event';
}

/** What to answer; `delayMs` holds the answer back (Slack gives up after its ack deadline). */
export type Answer = { status?: number; json?: unknown; delayMs?: number };
export type AnswerFn = (req: ReceivedRequest) => Answer | undefined;

export interface StandInApp {
  url: string;
  received: ReceivedRequest[];
  /** What to answer next (default: 200 with an empty body, as an ack). */
  answer: AnswerFn;
  close(): Promise<void>;
}

function verify(secret: string, req: IncomingMessage, rawBody: string): boolean {
  const ts = req.headers['x-slack-request-timestamp'];
  const sig = req.headers['x-slack-signature'];
  if (typeof ts !== 'string' || typeof sig !== 'string') return false;
  // Bolt refuses requests older than five minutes (replays).
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const expected = signSlackRequest(secret, rawBody, Number(ts))['x-slack-signature'];
  return expected.length === sig.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sig));
}

export async function startStandInApp(signingSecret: () => string): Promise<StandInApp> {
  const app: StandInApp = { url: '', received: [], answer: () => undefined, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const contentType = req.headers['content-type'] ?? '';
      let body: Record<string, unknown>;
      let kind: ReceivedRequest['kind'];
      if (contentType.includes('application/json')) {
        body = JSON.parse(rawBody) as Record<string, unknown>;
        kind = 'event';
      } else {
        const form = new URLSearchParams(rawBody);
        const payload = form.get('payload');
        body = payload ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form);
        kind = payload ? 'interactive' : 'command';
      }
      const received: ReceivedRequest = {
        contentType,
        rawBody,
        signatureValid: verify(signingSecret(), req, rawBody),
        body,
        kind,
      };
      app.received.push(received);
      const answer = received.signatureValid ? (app.answer(received) ?? {}) : { status: 401 };
      const text = answer.json === undefined ? '' : JSON.stringify(answer.json);
      setTimeout(() => {
        res.writeHead(answer.status ?? 200, text ? { 'content-type': 'application/json' } : {});
        res.end(text);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  app.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return app;
}
