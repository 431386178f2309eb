import { isAscii } from 'node:buffer';
import { setTimeout as delay } from 'node:timers/promises';
import { StewardError } from '../../domain/errors.js';
import type { Logger } from '../../log.js';
import { connectionError, httpError, timeoutError } from '../errors.js';
import { createPacer, type Pacer } from './pacer.js';
import { backoffDelay, DEFAULT_BACKOFF, retryAfterMs, type BackoffPolicy } from './backoff.js';
import { feedQueryString, type FeedQuery } from './query.js';
import {
  describeIssues,
  feedPageSchema,
  isWellFormedPage,
  readRateLimit,
  type Activity,
  type FeedPage,
} from './schema.js';

export const ANTHROPIC_VERSION = '2023-06-01';
const PATH = '/v1/compliance/activities';

/** `GET /v1/compliance/activities` (the Compliance API; not in the SDK). */
export interface ComplianceFeedClient {
  /**
   * One page, newest first, validated. Retries rate limits, 5xx, timeouts, lost connections and
   * bodies that are not JSON, all in one loop; paces itself to its share of the rate limit.
   */
  page(query: FeedQuery, opts?: { signal?: AbortSignal }): Promise<FeedPage>;
}

export interface ComplianceFeedOptions {
  /** A Compliance Access Key, or an Admin key with `read:compliance_activities`. Never logged. */
  apiKey: string;
  baseUrl: string;
  /** Per attempt, covering the body: a hung request is abandoned after this. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  backoff?: Partial<BackoffPolicy>;
  logger?: Logger;
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Share of the organisation's Compliance API budget (`anthropic-ratelimit-requests-*`) this
   * client may take per window, in (0, 1]; undefined: no pacing (429s are still waited out).
   */
  rateShare?: number;
  /** Wall clock for pacing (the budget is wall time). */
  wallNow?: () => number;
  /**
   * A pacer shared with other feed clients (`createFeedPacer`), used instead of one of its own
   * (`rateShare` is then ignored): the budget is the parent's, "shared across every key under
   * the parent", so clients reading with several organisations' keys keep to one share together.
   */
  pacer?: Pacer;
}

/** What a feed pacer needs: the share, and optionally the logger, sleep and wall clock of the clients that use it. */
export type FeedPacerOptions = Pick<ComplianceFeedOptions, 'logger' | 'sleep' | 'wallNow'> & { rateShare: number };

/**
 * The pacer a feed client builds for itself from `rateShare`, made once so several clients
 * (one per organisation's key, issue 17) can share it through `ComplianceFeedOptions.pacer`.
 */
export function createFeedPacer(opts: FeedPacerOptions): Pacer {
  const sleep = opts.sleep ?? defaultSleep;
  return createPacer({
    share: opts.rateShare,
    sleep,
    ...(opts.wallNow ? { wallNow: opts.wallNow } : {}),
    onWait: (ms, why) =>
      opts.logger?.debug(
        { waitMs: ms, why },
        why === 'share'
          ? "compliance feed: this window's share of the rate limit is spent; waiting for the reset"
          : 'compliance feed: the shared rate limit is spent by other readers; waiting for the reset',
      ),
  });
}

const defaultSleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {});

export const FEED_DEFAULTS = { timeoutMs: 60_000, maxRetries: 6 } as const;

export function createComplianceFeedClient(opts: ComplianceFeedOptions): ComplianceFeedClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? FEED_DEFAULTS.timeoutMs;
  const maxRetries = opts.maxRetries ?? FEED_DEFAULTS.maxRetries;
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const doFetch = opts.fetch ?? fetch;
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? defaultSleep;
  const headers = { 'x-api-key': opts.apiKey, 'anthropic-version': ANTHROPIC_VERSION, accept: 'application/json' };

  interface Answer {
    status: number;
    headers: Headers;
    text: string;
  }

  async function attempt(url: string, what: string, signal: AbortSignal | undefined): Promise<Answer | StewardError> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const res = await doFetch(url, { headers, signal: combined });
      // Read the body under the same deadline: a server can hang after the headers too.
      return { status: res.status, headers: res.headers, text: bodyText(Buffer.from(await res.arrayBuffer())) };
    } catch (err) {
      if (signal?.aborted)
        throw new StewardError('aborted', `Compliance feed: ${what} was cancelled`, {
          retry: false,
          cause: err,
        });
      if (timeout.aborted) return timeoutError(what, timeoutMs, err);
      return connectionError(what, err);
    }
  }

  const pacer =
    opts.pacer ?? (opts.rateShare === undefined ? undefined : createFeedPacer({ ...opts, rateShare: opts.rateShare }));

  /** One request: its page, or the failure it ended in (whether trying again can help is on the error). */
  async function once(url: string, what: string, signal: AbortSignal | undefined): Promise<FeedPage | Failure> {
    try {
      await pacer?.acquire(signal);
    } catch (err) {
      throw new StewardError('aborted', `Compliance feed: ${what} was cancelled`, { retry: false, cause: err });
    }
    const sent = performance.now();
    const res = await attempt(url, what, signal).catch((err: unknown) => {
      pacer?.observe(undefined);
      throw err;
    });
    if (res instanceof StewardError) {
      pacer?.observe(undefined);
      return { error: res };
    }
    const elapsedMs = performance.now() - sent;
    const rateLimit = readRateLimit(res.headers);
    pacer?.observe(rateLimit, res.headers.get('date'));
    if (res.status < 200 || res.status >= 300) {
      const wait = retryAfterMs(res.headers);
      const body = safeJson(res.text);
      const error = (body?.['error'] ?? {}) as Record<string, unknown>;
      const failure = httpError({
        what,
        status: res.status,
        shouldRetryHeader: res.headers.get('x-should-retry'),
        requestId: res.headers.get('request-id'),
        type: typeof error['type'] === 'string' ? error['type'] : null,
        message: typeof error['message'] === 'string' ? error['message'] : null,
        errorCode: errorCodeOf(error),
        retryAfterMs: wait,
      });
      return { error: failure, wait };
    }
    try {
      const parsed = parsePage(res.text, what, res.headers.get('request-id'));
      return rateLimit ? { ...parsed, rateLimit, elapsedMs } : { ...parsed, elapsedMs };
    } catch (err) {
      // A body that is not JSON (cut off on the way) is worth asking again, by the same loop.
      if (err instanceof StewardError) return { error: err };
      throw err;
    }
  }

  return {
    async page(query, o = {}) {
      const qs = feedQueryString(query);
      const url = `${base}${PATH}${qs ? `?${qs}` : ''}`;
      const what = `reading the activity feed${query.afterId ? ` after ${query.afterId}` : query.beforeId ? ` before ${query.beforeId}` : ''}`;
      for (let n = 0; ; n++) {
        const res = await once(url, what, o.signal);
        if (!('error' in res)) return res;
        const failure = res.error;
        if (!failure.retry || n >= maxRetries) throw failure;
        const ms = backoffDelay(n, policy, random(), res.wait);
        opts.logger?.warn(
          { code: failure.code, attempt: n + 1, waitMs: ms },
          `compliance feed: ${failure.message}; retrying`,
        );
        try {
          await sleep(ms, o.signal);
        } catch (err) {
          throw new StewardError('aborted', `Compliance feed: ${what} was cancelled`, { retry: false, cause: err });
        }
      }
    },
  };
}

/**
 * The body as text. A feed page is almost always plain ASCII, which is read as Latin-1: the
 * same characters, without UTF-8 decoding's cost (a catch-up decodes gigabytes); any other
 * body is decoded as UTF-8, as `Response.text()` would.
 */
const utf8 = new TextDecoder();

export function bodyText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : utf8.decode(bytes);
}

/** A request that ended without a page: the error, and the wait the server asked for. */
interface Failure {
  error: StewardError;
  wait?: number | undefined;
}

function errorCodeOf(error: Record<string, unknown>): string | null {
  const details = error['details'];
  const code =
    details !== null && typeof details === 'object' ? (details as Record<string, unknown>)['error_code'] : null;
  return typeof code === 'string' ? code : null;
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A page that is not JSON or not the documented shape is refused whole: nothing of it is used. */
export function parsePage(text: string, what: string, requestId?: string | null): FeedPage {
  const rid = requestId ? ` (request-id ${requestId})` : '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StewardError(
      'anthropic_malformed_response',
      `Compliance feed: ${what} returned a body that is not valid JSON${rid}: ${(err as Error).message}`,
      {
        retry: true,
        details: { bytes: text.length },
      },
    );
  }
  // The quick check accepts what the schema accepts; only a page it refuses goes through
  // zod, for the issues that name what is wrong.
  const parsed = isWellFormedPage(json) ? undefined : feedPageSchema.safeParse(json);
  if (parsed && !parsed.success) {
    throw new StewardError(
      'anthropic_malformed_response',
      `Compliance feed: ${what} returned a page of the wrong shape${rid}: ${describeIssues(parsed.error)}`,
      {
        retry: false,
        details: {
          issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      },
    );
  }
  const p = json as { data: Activity[]; has_more: boolean; first_id: string | null; last_id: string | null };
  if (p.has_more && p.last_id === null) {
    throw new StewardError(
      'anthropic_malformed_response',
      `Compliance feed: ${what} says has_more but gives no last_id to continue from${rid}`,
      { retry: false },
    );
  }
  // The validated shape is the parsed JSON itself (loose objects keep every field).
  return { data: p.data, hasMore: p.has_more, firstId: p.first_id, lastId: p.last_id, body: text };
}
