/**
 * Per-method rate limits, answered as Slack answers them: HTTP 429, a `Retry-After`
 * header in whole seconds and `{ ok: false, error: 'ratelimited' }`
 * (https://docs.slack.dev/apis/web-api/rate-limits). The sim's default is
 * slackLikeRateLimits(): every method's published tier.
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

  /**
   * `defaults` are the limits the sim started with (Slack's published ones unless the test or
   * bench chose otherwise); `reset()` returns to them. Buckets refill by `now`, the sim's
   * clock: a test that freezes that clock and calls one method more often than its burst
   * waits forever, so it should move its clock, or start the sim with `rateLimits: 'none'`.
   */
  constructor(
    private readonly now: () => number,
    private readonly defaults: RateLimitConfig = {},
  ) {
    this.configure(defaults);
  }

  /** Back to the limits the sim started with, with full buckets. */
  reset(): void {
    this.clear();
    this.configure(this.defaults);
  }

  /** Exactly these limits and no others (every other method unlimited). */
  replace(config: RateLimitConfig): void {
    this.clear();
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
 * Slack's published tiers, in requests per minute — each a minimum ("20+ per minute"):
 * https://docs.slack.dev/apis/web-api/rate-limits ("Overview"). Limits apply "per API
 * method per workspace/team per app" and "Rate limit windows are per minute".
 */
export const SLACK_TIERS = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;

/**
 * The tier each method the sim speaks is assigned on its reference page ("Facts" → "Rate
 * Limits", https://docs.slack.dev/reference/methods/<method>). 'special' methods are
 * configured below from their own page's words.
 */
export const METHOD_TIERS: Record<string, keyof typeof SLACK_TIERS | 'special'> = {
  'chat.postMessage': 'special',
  'chat.postEphemeral': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'chat.getPermalink': 'special',
  'conversations.open': 3,
  'conversations.info': 3,
  'conversations.list': 2,
  // Tier 3 "For Marketplace and internal customer-built applications" (Steward is one); the
  // 1/minute limit of May 2025 applies to commercially distributed non-Marketplace apps.
  'conversations.history': 3,
  'users.list': 2,
  'users.info': 4,
  'users.lookupByEmail': 3,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'views.publish': 4,
  'files.getUploadURLExternal': 4,
  'files.completeUploadExternal': 4,
  'auth.test': 'special',
  'apps.connections.open': 3,
};

/**
 * chat.postMessage's special limit (https://docs.slack.dev/reference/methods/chat.postMessage,
 * "Rate limiting"): "It will generally allow an app to post 1 message per second to a specific
 * channel. There are limits governing your app's relationship with the entire workspace above
 * that, limiting posting to several hundred messages per minute. Generous burst behavior is
 * also granted." "Several hundred" is read as its smallest value, 300.
 */
export const POST_MESSAGE_PER_MINUTE = 300;

/**
 * chat.getPermalink and auth.test: "This method allows hundreds of requests per minute"
 * (their reference pages, "Rate limiting"); read as its smallest value, 200.
 */
export const HUNDREDS_PER_MINUTE = 200;

/**
 * Slack publishes no burst sizes: "Slack does not share precise burst limits externally"
 * (rate-limits page, "Burst limiting"); the tiers only say bursts are tolerated, welcome or
 * generous. The sim lets a method take one minute's allowance at once (what a per-minute
 * window allows anyway), then refills it at the published rate. chat.postMessage's per-channel
 * limit allows "Short bursts >1" ("Limits when posting messages"); the sim allows 3.
 */
export const POST_MESSAGE_CHANNEL_BURST = 3;

/**
 * Slack's published limits for every method the sim speaks: the sim's default. A 429 then
 * looks as Slack's does: "HTTP 429 Too Many Requests error, and a Retry-After HTTP header
 * containing the number of seconds until you can retry" (rate-limits page, "Responding to
 * rate limiting conditions"), with the body {"ok":false,"error":"ratelimited"} every method's
 * error table lists ("The request has been ratelimited. Refer to the Retry-After header").
 * Not modelled: users.list's "stricter rate limits" when called without pagination (no number
 * is published).
 */
export function slackLikeRateLimits(opts: { postMessagePerMinute?: number } = {}): RateLimitConfig {
  const perMinute = (n: number): RateLimitRule => ({ limit: n, windowMs: MINUTE, burst: n });
  const config: RateLimitConfig = {};
  for (const [method, tier] of Object.entries(METHOD_TIERS)) {
    if (tier !== 'special') config[method] = perMinute(SLACK_TIERS[tier]);
  }
  config['chat.postMessage'] = [
    { limit: 1, windowMs: 1000, burst: POST_MESSAGE_CHANNEL_BURST, scope: 'channel' },
    perMinute(opts.postMessagePerMinute ?? POST_MESSAGE_PER_MINUTE),
  ];
  config['chat.getPermalink'] = perMinute(HUNDREDS_PER_MINUTE);
  config['auth.test'] = perMinute(HUNDREDS_PER_MINUTE);
  return config;
}
