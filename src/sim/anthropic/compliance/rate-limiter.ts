import { ApiError } from '../errors.js';

/**
 * The Compliance API's documented budget
 * (https://platform.claude.com/docs/en/manage-claude/compliance-errors#429-too-many-requests):
 * "600 requests per minute per parent organization … one budget shared across every key under
 * the parent … and across every `/v1/compliance/*` endpoint". Once a key authenticates, every
 * response carries `anthropic-ratelimit-requests-limit` / `-remaining` (left in the current
 * window) / `-reset` (RFC 3339 time the window resets); a 429 adds `retry-after` in seconds,
 * which "might include a small safety margin beyond `anthropic-ratelimit-requests-reset`".
 * The window is fixed and starts with its first request (the docs do not say how it is
 * aligned). Wall time, not the sim clock: a client really waits `retry-after` seconds.
 */
export class RateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;

  constructor(
    private readonly limit: () => number | null,
    private readonly windowMs: () => number = () => 60_000,
    private readonly wallNow: () => number = () => Date.now(),
  ) {}

  /** Consumes one unit for a request; throws the documented 429 when the window is spent. */
  take(): Record<string, string> {
    const limit = this.limit();
    if (limit === null) return {};
    const now = this.roll();
    const resetMs = this.windowStart + this.windowMs();
    if (this.used >= limit) {
      throw new ApiError(
        429,
        `Compliance API rate limit of ${limit} requests per minute per parent organization has been exceeded. Retry after the time indicated by the retry-after header. Quote the request-id response header when contacting Anthropic support.`,
        {
          headers: {
            ...this.headers(limit, resetMs),
            // Whole seconds, rounded up, plus the documented "small safety margin".
            'retry-after': String(Math.ceil((resetMs - now) / 1000) + 1),
          },
        },
      );
    }
    this.used += 1;
    return this.headers(limit, resetMs);
  }

  /**
   * Spends `n` units as another reader of the same organisation would (a SIEM on its own key):
   * the budget is shared, so this client sees fewer remaining. Never throws.
   */
  consume(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('consume(n) needs a non-negative integer');
    this.roll();
    this.used += n;
  }

  /** What is left in the current window (null: no limit). */
  remaining(): number | null {
    const limit = this.limit();
    if (limit === null) return null;
    this.roll();
    return Math.max(0, limit - this.used);
  }

  reset(): void {
    this.windowStart = Number.NEGATIVE_INFINITY;
    this.used = 0;
  }

  private roll(): number {
    const now = this.wallNow();
    if (now - this.windowStart >= this.windowMs()) {
      this.windowStart = now;
      this.used = 0;
    }
    return now;
  }

  private headers(limit: number, resetMs: number): Record<string, string> {
    return {
      'anthropic-ratelimit-requests-limit': String(limit),
      'anthropic-ratelimit-requests-remaining': String(Math.max(0, limit - this.used)),
      'anthropic-ratelimit-requests-reset': new Date(Math.ceil(resetMs / 1000) * 1000)
        .toISOString()
        .replace('.000Z', 'Z'),
    };
  }
}
