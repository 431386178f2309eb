import { AsyncLocalStorage } from 'node:async_hooks';
import { WebClient, type WebAPICallResult, type WebClientOptions } from '@slack/web-api';
import { Pacer, PRIORITY, type PaceTable, type Priority } from './pacing.js';

const priorityOf = new AsyncLocalStorage<Priority>();

/** Every Slack call made inside `fn` waits its turn at this priority (security alerts: urgent). */
export function withSlackPriority<T>(priority: Priority, fn: () => Promise<T>): Promise<T> {
  return priorityOf.run(priority, fn);
}

/** How many times one call waits out a 429 before its caller sees the error. */
const RATE_LIMIT_RETRIES = 10;

export interface PacedClientOptions extends Omit<WebClientOptions, 'rejectRateLimitedCalls'> {
  /** Each method's budget (slackPaceTable() in production). */
  pace: PaceTable;
}

/**
 * WebClient whose every call (the typed shortcuts, paginate and apiCall all end here) first
 * takes a token from its method's budget. 429s are not left to WebClient, which would pause
 * its whole request queue for every method: WebClient rejects them at once
 * (`rejectRateLimitedCalls`), the method's budget is held for the Retry-After, and the call
 * queues again. A call's channel (chat.postMessage's per-channel limit) is its `channel`.
 */
export class PacedWebClient extends WebClient {
  readonly pacer: Pacer;

  constructor(token: string | undefined, opts: PacedClientOptions) {
    const { pace, ...rest } = opts;
    super(token, { ...rest, rejectRateLimitedCalls: true });
    this.pacer = new Pacer(pace);
  }

  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    const channel = typeof options.channel === 'string' ? options.channel : undefined;
    const priority = priorityOf.getStore() ?? PRIORITY.routine;
    for (let attempt = 0; ; attempt++) {
      await this.pacer.take(method, channel, priority);
      try {
        return await super.apiCall(method, options);
      } catch (err) {
        const retryAfter = rateLimitedFor(err);
        if (retryAfter === undefined || attempt >= RATE_LIMIT_RETRIES) throw err;
        this.pacer.hold(method, retryAfter * 1000, channel);
      }
    }
  }
}

/** Seconds Slack asked us to wait, when the error is a 429. */
function rateLimitedFor(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number };
  return e?.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
}
