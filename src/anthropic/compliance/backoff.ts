/**
 * How long to wait before retrying. A server's `retry-after-ms` / `retry-after`
 * (seconds or an HTTP date) wins, capped; otherwise exponential backoff with full
 * jitter, so many clients retrying at once spread out.
 */
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest server-requested wait honoured as asked; longer ones are capped here. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/**
 * The wait a response asks for, in ms; undefined when it names none (or nonsense). An
 * HTTP date is measured from the response's own `Date` header, the server's clock, so
 * a skew between its clock and ours changes nothing (RFC 9110 §10.2.3); without a
 * `Date` header the date is not honoured and backoff applies.
 */
export function retryAfterMs(headers: { get(name: string): string | null }): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const v = Number(ms);
    if (Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : undefined;
  const at = Date.parse(ra);
  const sent = Date.parse(headers.get('date') ?? '');
  return Number.isNaN(at) || Number.isNaN(sent) ? undefined : Math.max(0, at - sent);
}

/** Delay before retry number `attempt` (0 for the first retry). `random` is in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number, requested?: number): number {
  if (requested !== undefined) return Math.min(requested, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // Full jitter, but never less than a quarter of the ceiling, so a retry is never instant.
  return Math.round(ceiling * (0.25 + 0.75 * random));
}
