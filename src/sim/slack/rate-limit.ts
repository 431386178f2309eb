/**
 * Per-method rate limits, answered as Slack answers them: HTTP 429, a `Retry-After`
 * header in whole seconds and `{ ok: false, error: 'ratelimited' }`.
 */

export interface RateLimitRule {
  /** Requests allowed per window (the sustained rate). */
  limit: number;
  windowMs: number;
  /** Requests that may arrive at once before the rate applies (default: `limit`). */
  burst?: number;
  /**
   * What the limit counts: the whole app (Slack's tiers are "per method per workspace per
   * app"), or each channel separately (chat.postMessage's one message per second per channel).
   */
  scope?: 'app' | 'channel';
  /** Forces the Retry-After value instead of the computed wait (lets tests use 0). */
  retryAfterSeconds?: number;
}

export type RateLimitConfig = Record<string, RateLimitRule | RateLimitRule[]>;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface RateDecision {
  allowed: boolean;
  retryAfterSeconds: number;
}

export class RateLimiter {
  private rules = new Map<string, RateLimitRule[]>();
  private buckets = new Map<string, Bucket>();

  constructor(
    private readonly now: () => number,
    config: RateLimitConfig = {},
  ) {
    this.configure(config);
  }

  /** Adds or replaces the rules for the given methods. */
  configure(config: RateLimitConfig): void {
    for (const [method, rule] of Object.entries(config)) {
      this.rules.set(method, Array.isArray(rule) ? rule : [rule]);
      for (const key of this.buckets.keys()) if (key.startsWith(`${method}|`)) this.buckets.delete(key);
    }
  }

  set(method: string, rule: RateLimitRule | RateLimitRule[] | undefined): void {
    if (rule === undefined) {
      this.rules.delete(method);
      return;
    }
    this.configure({ [method]: rule });
  }

  clear(): void {
    this.rules.clear();
    this.buckets.clear();
  }

  rulesFor(method: string): RateLimitRule[] {
    return this.rules.get(method) ?? [];
  }

  /** Takes one request from every bucket that applies, or reports how long to wait. */
  take(method: string, channel: string | undefined): RateDecision {
    const rules = this.rulesFor(method);
    if (rules.length === 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const touched: Array<{ bucket: Bucket }> = [];
    let waitMs = 0;
    let forced: number | undefined;
    rules.forEach((rule, i) => {
      const scopeKey = rule.scope === 'channel' ? (channel ?? '-') : '*';
      const key = `${method}|${i}|${scopeKey}`;
      const capacity = rule.burst ?? rule.limit;
      const ratePerMs = rule.limit / rule.windowMs;
      const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedAt: now };
      bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
      bucket.updatedAt = now;
      this.buckets.set(key, bucket);
      if (bucket.tokens < 1) {
        waitMs = Math.max(waitMs, (1 - bucket.tokens) / ratePerMs);
        if (rule.retryAfterSeconds !== undefined) forced = rule.retryAfterSeconds;
      }
      touched.push({ bucket });
    });
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: forced ?? Math.max(1, Math.ceil(waitMs / 1000)) };
    for (const { bucket } of touched) bucket.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0 };
  }
}

const MINUTE = 60_000;

/**
 * An approximation of Slack's published tiers (docs.slack.dev/apis/web-api/rate-limits):
 * Tier 2 "20+ per minute", Tier 3 "50+", Tier 4 "100+", each tolerating bursts; and
 * chat.postMessage's special limit, "one message per second per channel" with short
 * bursts allowed. Slack also keeps an unpublished workspace-wide ceiling on posting;
 * pass `postMessagePerMinute` to model one.
 */
export function slackLikeRateLimits(opts: { postMessagePerMinute?: number } = {}): RateLimitConfig {
  const tier = (perMinute: number): RateLimitRule => ({
    limit: perMinute,
    windowMs: MINUTE,
    burst: Math.ceil(perMinute / 4) + 1,
  });
  const postMessage: RateLimitRule[] = [{ limit: 1, windowMs: 1000, burst: 3, scope: 'channel' }];
  if (opts.postMessagePerMinute !== undefined) postMessage.push({ limit: opts.postMessagePerMinute, windowMs: MINUTE });
  return {
    'chat.postMessage': postMessage,
    'chat.postEphemeral': tier(100),
    'chat.update': tier(50),
    'chat.delete': tier(50),
    'chat.getPermalink': tier(100),
    'users.list': tier(20),
    'users.info': tier(100),
    'users.lookupByEmail': tier(50),
    'conversations.list': tier(20),
    'conversations.info': tier(50),
    'conversations.open': tier(50),
    // Tier 3 (https://docs.slack.dev/reference/methods/conversations.history).
    'conversations.history': tier(50),
    'views.open': tier(100),
    'views.update': tier(100),
    'views.push': tier(100),
    'views.publish': tier(100),
    'files.getUploadURLExternal': tier(100),
    'files.completeUploadExternal': tier(100),
    'auth.test': tier(100),
  };
}
