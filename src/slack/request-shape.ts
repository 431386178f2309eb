import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';

/**
 * What a request to /slack/events must look like before Bolt sees it (pure). Bolt 5.1's
 * HTTP receiver parses the body outside any handler and reads `body.ssl_check` on
 * whatever JSON it found, so a signed `null` throws where nothing catches it and the
 * process exits; it also checks only that a timestamp is not too old. These checks
 * answer such requests with a status instead.
 */

/**
 * Slack: "verify that the request timestamp is within five minutes of the current time"
 * (either way: a request from the future is as replayable as an old one).
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export type Verdict = { ok: true } | { ok: false; status: 400 | 401; why: string };

const refuse = (status: 400 | 401, why: string): Verdict => ({ ok: false, status, why });

/**
 * The signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the
 * signing secret, and a timestamp within five minutes of now (past or future).
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function verifySignature(
  signingSecret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowMs: number,
): Verdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return refuse(401, 'missing or malformed x-slack-request-timestamp');
  if (!signature || !signature.startsWith('v0=')) return refuse(401, 'missing or malformed x-slack-signature');
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (skew < -MAX_CLOCK_SKEW_SECONDS) return refuse(401, 'request timestamp is more than 5 minutes old');
  if (skew > MAX_CLOCK_SKEW_SECONDS) return refuse(401, 'request timestamp is more than 5 minutes in the future');
  const ours = Buffer.from(
    `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`,
  );
  const theirs = Buffer.from(signature);
  if (ours.length !== theirs.length || !timingSafeEqual(ours, theirs)) return refuse(401, 'signature mismatch');
  return { ok: true };
}

const FORM = 'application/x-www-form-urlencoded';

/** Form bodies Bolt accepts without a signature (Slack's SSL check); Bolt strips the rest. */
export function isSslCheck(rawBody: string, contentType: string | undefined): boolean {
  return contentType === FORM && parseQuery(rawBody)['ssl_check'] === '1';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => typeof v === 'string' && v.length > 0;
const userOf = (b: Json) => isObject(b['user']) && str(b['user']['id']);

/**
 * What each kind of body needs for Bolt to route it without throwing. The kinds are
 * those Slack sends to a Request URL (events, interactivity, slash commands); anything
 * else is not from Slack.
 * https://docs.slack.dev/apis/events-api/ https://docs.slack.dev/interactivity/handling-user-interaction
 */
const PAYLOAD_NEEDS: Record<string, (b: Json) => string | null> = {
  url_verification: (b) => (str(b['challenge']) ? null : 'url_verification without a challenge'),
  event_callback: (b) =>
    isObject(b['event']) && str(b['event']['type']) ? null : 'event_callback without an event type',
  app_rate_limited: () => null,
  block_actions: (b) =>
    userOf(b) && Array.isArray(b['actions']) && b['actions'].every(isObject)
      ? null
      : 'block_actions without a user or actions',
  block_suggestion: (b) => (userOf(b) ? null : 'block_suggestion without a user'),
  // A submission without `state` reaches its listener, which answers it with a form error.
  view_submission: (b) => (userOf(b) && isObject(b['view']) ? null : 'view_submission without a user or view'),
  view_closed: (b) => (userOf(b) && isObject(b['view']) ? null : 'view_closed without a user or view'),
  shortcut: (b) => (userOf(b) ? null : 'shortcut without a user'),
  message_action: (b) => (userOf(b) ? null : 'message_action without a user'),
};

/** Parses the body as Bolt will and says whether Bolt can take it; `why` names what is wrong. */
export function checkBodyShape(rawBody: string, contentType: string | undefined): Verdict {
  let body: unknown;
  if (contentType === FORM) {
    const form = parseQuery(rawBody);
    const payload = form['payload'];
    if (payload === undefined) {
      // A slash command: Bolt routes it by `command` and answers through `user_id`'s context.
      return str(form['command']) && str(form['user_id']) && str(form['team_id'])
        ? { ok: true }
        : refuse(400, 'a form body that is neither a payload nor a slash command');
    }
    if (typeof payload !== 'string') return refuse(400, 'more than one payload field');
    body = parseJson(payload);
  } else {
    body = parseJson(rawBody);
  }
  if (body === INVALID) return refuse(400, 'the body is not JSON');
  if (!isObject(body))
    return refuse(
      400,
      `the payload is ${Array.isArray(body) ? 'an array' : `${body === null ? 'null' : typeof body}`}, not an object`,
    );
  const type = body['type'];
  if (typeof type !== 'string') return refuse(400, 'the payload has no type');
  const needs = PAYLOAD_NEEDS[type];
  if (!needs) return refuse(400, `unexpected payload type ${JSON.stringify(type.slice(0, 40))}`);
  const problem = needs(body);
  return problem ? refuse(400, problem) : { ok: true };
}

const INVALID = Symbol('invalid');
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}
