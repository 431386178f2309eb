import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, retryAfterMs } from './backoff.js';

const h = (o: Record<string, string>) => new Headers(o);

describe('retry timing', () => {
  it('honours retry-after-ms, then retry-after in seconds or as a date (from the response date)', () => {
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(h({ 'retry-after': '2' }))).toBe(2000);
    expect(
      retryAfterMs(h({ 'retry-after': 'Wed, 21 Oct 2026 07:28:05 GMT', date: 'Wed, 21 Oct 2026 07:28:00 GMT' })),
    ).toBe(5000);
    expect(retryAfterMs(h({ 'retry-after': 'Wed, 21 Oct 2026 07:28:05 GMT' }))).toBeUndefined();
    expect(retryAfterMs(h({}))).toBeUndefined();
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
  });

  it('waits what the server asks, capped', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF, 0.5, 3000)).toBe(3000);
    expect(backoffDelay(0, DEFAULT_BACKOFF, 0.5, 10 * 60_000)).toBe(DEFAULT_BACKOFF.maxRetryAfterMs);
  });

  it('otherwise backs off exponentially with jitter, up to a ceiling', () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
    expect(backoffDelay(0, p, 0)).toBe(25);
    expect(backoffDelay(0, p, 0.999)).toBeLessThanOrEqual(100);
    expect(backoffDelay(3, p, 0.999)).toBeLessThanOrEqual(800);
    expect(backoffDelay(3, p, 0.999)).toBeGreaterThan(700);
    expect(backoffDelay(10, p, 0.999)).toBeLessThanOrEqual(1000);
  });
});
