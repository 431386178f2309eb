import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../log.js';
import { checkBodyShape, isSslCheck, verifySignature } from './request-shape.js';

export interface RequestGuardOptions {
  signingSecret: string;
  /** The paths Bolt serves events on (POST only). */
  endpoints: readonly string[];
  /**
   * Wall-clock milliseconds, compared with Slack's request timestamps. Always the real
   * clock: it is Slack's clock the timestamp comes from, not the one Steward's logic runs on.
   */
  wallClockMs: () => number;
  logger: Logger;
}

/**
 * Puts a screen in front of Bolt's HTTP receiver: every POST to an events endpoint is
 * buffered (with Bolt's own body limit), its signature and timestamp checked in both
 * directions, and its body checked to be something Bolt can route without throwing.
 * What passes goes to Bolt unchanged (Bolt reads the buffered body and verifies again);
 * what does not gets 401 or 400 here, and nothing in it can reach a handler. A failure
 * of the screen itself answers 500 and never escapes, so no request can stop the process.
 */
export function guardHttpReceiver(receiver: HTTPReceiver, opts: RequestGuardOptions): void {
  const inner = receiver.requestListener;
  const log = opts.logger.child({ component: 'slack-receiver' });
  receiver.requestListener = (req, res) => {
    if (req.method?.toUpperCase() !== 'POST' || !opts.endpoints.includes(pathOf(req))) {
      inner(req, res);
      return;
    }
    screen(req, res).then(
      (pass) => {
        if (pass) inner(req, res);
      },
      (err: unknown) => {
        log.error({ err }, 'could not screen a Slack request');
        answer(res, 500);
      },
    );
  };

  async function screen(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    let rawBody: string;
    try {
      const buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
      rawBody = buffered.rawBody.toString();
    } catch (err) {
      const tooLarge =
        HTTPModuleFunctions.isRawBodyError(err) && (err.statusCode === 413 || err.type === 'entity.too.large');
      log.warn({ code: tooLarge ? 'too_large' : 'unreadable' }, 'refused a Slack request: body could not be read');
      answer(res, tooLarge ? 413 : 400);
      return false;
    }
    const contentType = header(req, 'content-type');
    // Slack's SSL check carries no signature; Bolt answers it and drops anything else in it.
    if (isSslCheck(rawBody, contentType)) return true;
    const signed = verifySignature(
      opts.signingSecret,
      { timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature') },
      rawBody,
      opts.wallClockMs(),
    );
    const verdict = signed.ok ? checkBodyShape(rawBody, contentType) : signed;
    if (verdict.ok) return true;
    log.warn({ status: verdict.status, why: verdict.why }, `refused a Slack request: ${verdict.why}`);
    answer(res, verdict.status);
    return false;
  }
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}
