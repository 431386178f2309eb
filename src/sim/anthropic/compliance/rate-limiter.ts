import { ApiError } from '../errors.js';

/**
 * The Activity Feed's documented budget: N requests per minute per parent org,
 * fixed window, with `anthropic-ratelimit-requests-*` on every authenticated
 * response and `retry-after` on a 429. Wall time, not the sim clock: a client
 * really waits `retry-after` seconds.
 */
export class RateLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(
    private readonly limit: () => number | null,
    private readonly wallNow: () => number = () => Date.now(),
  ) {}

  /** Consumes one unit; throws the documented 429 when the window is spent. */
  take(): Record<string, string> {
    const limit = this.limit();
    if (limit === null) return {};
    const now = this.wallNow();
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.used = 0;
    }
    const resetMs = this.windowStart + 60_000;
    const headers = {
      'anthropic-ratelimit-requests-limit': String(limit),
      'anthropic-ratelimit-requests-remaining': String(Math.max(0, limit - this.used - 1)),
      'anthropic-ratelimit-requests-reset': new Date(Math.ceil(resetMs / 1000) * 1000)
        .toISOString()
        .replace('.000Z', 'Z'),
    };
    if (this.used >= limit) {
      throw new ApiError(
        429,
        `Compliance API rate limit of ${limit} requests per minute per parent organization has been exceeded. Retry after the time indicated by the retry-after header. Quote the request-id response header when contacting Anthropic support.`,
        {
          headers: {
            ...headers,
            'anthropic-ratelimit-requests-remaining': '0',
            'retry-after': String(Math.ceil((resetMs - now) / 1000) + 1),
          },
        },
      );
    }
    this.used += 1;
    return headers;
  }

  reset(): void {
    this.windowStart = 0;
    this.used = 0;
  }
}
