/** Exponential backoff with full jitter, capped: attempt 1 → up to base, 2 → 2×base … */
export function backoffMs(
  attempt: number,
  opts: { baseMs: number; capMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
