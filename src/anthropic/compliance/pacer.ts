import type { RateLimitState } from './schema.js';

/**
 * Keeps Steward inside its share of the Compliance API's request budget.
 *
 * The budget is "600 requests per minute per parent organization … one budget shared across
 * every key under the parent … and across every `/v1/compliance/*` endpoint", and every response
 * reports it in `anthropic-ratelimit-requests-{limit,remaining,reset}`
 * (https://platform.claude.com/docs/en/manage-claude/compliance-errors#429-too-many-requests).
 * Another reader of the same organisation (a SIEM) spends the same budget, so Steward takes at
 * most `share` of each window's limit, and never more than the window has left: once either is
 * spent it waits for the reset the server announced instead of running into a 429.
 *
 * A window is recognised by its reset time. Waits are wall time (the budget is), measured from
 * the response's own `Date` header when it has one, so a skew between the server's clock and
 * ours does not shorten them; the header's whole seconds only ever lengthen the wait.
 */
export interface Pacer {
  /** Waits until one more request fits Steward's share, then counts it. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** What a response said of the budget (`date`: its `Date` header, when present). */
  observe(state: RateLimitState | undefined, date?: string | null): void;
}

export interface PacerOptions {
  /** Share of each window's limit Steward may take, in (0, 1]. */
  share: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Wall clock in ms (the budget is wall time, not Steward's business clock). */
  wallNow?: () => number;
  /** Waits a little past the announced reset, so the first request lands in the new window. */
  marginMs?: number;
  /** Told each time a wait starts (for the log). */
  onWait?: (ms: number, why: 'share' | 'exhausted') => void;
}

interface Window {
  /** The reset time as announced (identifies the window); NaN until a response of it arrives. */
  resetKey: number;
  /** When it resets, on our wall clock; Infinity until a response of it arrives. */
  resetAtLocal: number;
  limit: number;
  remaining: number;
  /** Requests of this window answered so far. */
  used: number;
}

/** While no answer of a new window has arrived, a request over the share waits for one this often. */
const POLL_MS = 25;

export function createPacer(opts: PacerOptions): Pacer {
  if (!(opts.share > 0 && opts.share <= 1)) throw new RangeError('share must be in (0, 1]');
  const wallNow = opts.wallNow ?? Date.now;
  const margin = opts.marginMs ?? 50;
  let window: Window | null = null;
  /** Requests counted by acquire() whose answer has not arrived yet. */
  let inFlight = 0;
  let gate: Promise<void> = Promise.resolve();

  /** How long to wait before one more request may go; 0 when it may go now. */
  function waitMs(): { ms: number; why: 'share' | 'exhausted' } {
    if (!window) return { ms: 0, why: 'share' };
    const now = wallNow();
    if (now >= window.resetAtLocal) {
      // A new window: nothing of it is spent by Steward yet; its size is the last one known.
      window = { resetKey: Number.NaN, resetAtLocal: Infinity, limit: window.limit, remaining: window.limit, used: 0 };
    }
    const allowance = Math.max(1, Math.floor(window.limit * opts.share));
    const why = window.used + inFlight >= allowance ? 'share' : window.remaining - inFlight <= 0 ? 'exhausted' : null;
    if (why === null) return { ms: 0, why: 'share' };
    const ms = Number.isFinite(window.resetAtLocal) ? window.resetAtLocal - now + margin : POLL_MS;
    return { ms: Math.max(1, ms), why };
  }

  return {
    acquire(signal) {
      // One caller at a time decides, so two requests cannot both take the last unit.
      const turn = gate.then(async () => {
        for (;;) {
          const { ms, why } = waitMs();
          if (ms <= 0) break;
          opts.onWait?.(ms, why);
          await opts.sleep(ms, signal);
        }
        inFlight += 1;
      });
      gate = turn.catch(() => {});
      return turn;
    },
    observe(state, date) {
      inFlight = Math.max(0, inFlight - 1);
      if (!state) return;
      const received = wallNow();
      const serverNow = date ? Date.parse(date) : Number.NaN;
      const untilReset = state.resetAt.getTime() - (Number.isNaN(serverNow) ? received : serverNow);
      const resetKey = state.resetAt.getTime();
      if (window && (window.resetKey === resetKey || Number.isNaN(window.resetKey))) {
        window.used += 1;
        window.remaining = Number.isNaN(window.resetKey)
          ? state.remaining
          : Math.min(window.remaining, state.remaining);
        window.limit = state.limit;
        window.resetKey = resetKey;
        window.resetAtLocal = Math.min(window.resetAtLocal, received + Math.max(0, untilReset));
      } else {
        window = {
          resetKey,
          resetAtLocal: received + Math.max(0, untilReset),
          limit: state.limit,
          remaining: state.remaining,
          used: 1,
        };
      }
    },
  };
}
