/**
 * Client-side pacing of Slack Web API calls: each method spends from its own budget (a
 * token bucket per published limit), so Steward waits its turn instead of running into
 * 429s, and one method's limit never stalls another (WebClient's own 429 handling pauses
 * its whole request queue). A 429 that still comes back (another replica, a stricter
 * workspace) holds that method for the `Retry-After` Slack sent.
 *
 * Waiters are served by priority, then in arrival order: security alerts before routine
 * reviews. Time is monotonic wall time (performance.now): budgets are Slack's seconds,
 * not Steward's business clock, which tests move at will.
 */

export interface PaceRule {
  /** Requests allowed per window (the sustained rate). */
  limit: number;
  windowMs: number;
  /** Requests that may go at once before the rate applies (default: `limit`). */
  burst?: number;
  /** 'channel': each channel has its own bucket (chat.postMessage's 1 per second per channel). */
  scope?: 'app' | 'channel';
}

export type PaceTable = Record<string, PaceRule[]>;

/** Lower goes first. */
export const PRIORITY = { urgent: 0, interactive: 1, routine: 2 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

const MINUTE = 60_000;
const perMinute = (n: number): PaceRule[] => [{ limit: n, windowMs: MINUTE, burst: n }];

/**
 * Slack's published tiers, per method per workspace per app, in requests per minute
 * (https://docs.slack.dev/apis/web-api/rate-limits: Tier 2 "20+", Tier 3 "50+", Tier 4
 * "100+"; "Rate limit windows are per minute"). Each method's tier is on its reference page
 * (https://docs.slack.dev/reference/methods/<method>, "Rate Limits"). Slack shares no burst
 * sizes; a per-minute window allows one minute's allowance at once, so that is the burst.
 */
const TIER = { 2: perMinute(20), 3: perMinute(50), 4: perMinute(100) } as const;

/**
 * chat.postMessage (https://docs.slack.dev/reference/methods/chat.postMessage, "Rate
 * limiting"): "1 message per second to a specific channel" and, across the workspace,
 * "several hundred messages per minute", read as its smallest value, 300. chat.getPermalink
 * and auth.test: "hundreds of requests per minute", read as 200.
 */
export const POST_MESSAGE_PER_MINUTE = 300;

export function slackPaceTable(opts: { postMessagePerMinute?: number } = {}): PaceTable {
  const post = opts.postMessagePerMinute ?? POST_MESSAGE_PER_MINUTE;
  return {
    'chat.postMessage': [{ limit: 1, windowMs: 1000, burst: 1, scope: 'channel' }, ...perMinute(post)],
    'chat.update': TIER[3],
    'chat.delete': TIER[3],
    'chat.postEphemeral': TIER[4],
    'chat.getPermalink': perMinute(200),
    'auth.test': perMinute(200),
    'conversations.open': TIER[3],
    'conversations.info': TIER[3],
    'conversations.history': TIER[3],
    'conversations.list': TIER[2],
    'users.list': TIER[2],
    'users.info': TIER[4],
    'users.lookupByEmail': TIER[3],
    'views.open': TIER[4],
    'views.update': TIER[4],
    'views.push': TIER[4],
    'views.publish': TIER[4],
    'files.getUploadURLExternal': TIER[4],
    'files.completeUploadExternal': TIER[4],
  };
}

interface Bucket {
  tokens: number;
  at: number;
  heldUntil: number;
}

interface Waiter {
  channel: string | undefined;
  priority: Priority;
  seq: number;
  resolve: () => void;
}

export interface PacerStats {
  /** Calls that had to wait for their budget. */
  waited: number;
  /** Holds from a 429's Retry-After. */
  held: number;
}

export class Pacer {
  private readonly buckets = new Map<string, Bucket>();
  private readonly queues = new Map<string, Waiter[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private seq = 0;
  readonly stats: PacerStats = { waited: 0, held: 0 };

  constructor(
    private readonly table: PaceTable,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves when the method's budget (and the channel's, where it has one) allows one more call. */
  take(method: string, channel?: string, priority: Priority = PRIORITY.routine): Promise<void> {
    const rules = this.table[method];
    if (!rules) {
      // Unpaced methods still respect a hold from a 429.
      const held = this.bucket(`${method}|hold`, { limit: 1, windowMs: 1 }, this.now()).heldUntil - this.now();
      return held > 0 ? new Promise((r) => setTimeout(r, held)) : Promise.resolve();
    }
    const queue = this.queues.get(method) ?? [];
    this.queues.set(method, queue);
    if (queue.length === 0 && this.tryTake(method, rules, channel, this.now())) return Promise.resolve();
    this.stats.waited++;
    return new Promise((resolve) => {
      const w: Waiter = { channel, priority, seq: this.seq++, resolve };
      let i = queue.length;
      while (i > 0 && queue[i - 1]!.priority > priority) i--;
      queue.splice(i, 0, w);
      this.drain(method);
    });
  }

  /** Slack answered 429: nothing more for this method (and channel) until Retry-After has passed. */
  hold(method: string, ms: number, channel?: string): void {
    this.stats.held++;
    const now = this.now();
    const until = now + ms;
    const rules = this.table[method] ?? [{ limit: 1, windowMs: 1 }];
    rules.forEach((rule, i) => {
      if (rule.scope === 'channel' && channel === undefined) return;
      const b = this.bucket(this.key(method, i, rule, channel), rule, now);
      b.heldUntil = Math.max(b.heldUntil, until);
      b.tokens = Math.min(b.tokens, 0);
    });
    if (!this.table[method]) {
      const b = this.bucket(`${method}|hold`, { limit: 1, windowMs: 1 }, now);
      b.heldUntil = Math.max(b.heldUntil, until);
    }
    this.drain(method);
  }

  /** Calls waiting for their budget, per method. */
  waiting(): Record<string, number> {
    return Object.fromEntries([...this.queues].filter(([, q]) => q.length > 0).map(([m, q]) => [m, q.length]));
  }

  private key(method: string, i: number, rule: PaceRule, channel: string | undefined): string {
    return `${method}|${i}|${rule.scope === 'channel' ? (channel ?? '-') : '*'}`;
  }

  private bucket(key: string, rule: PaceRule, now: number): Bucket {
    const capacity = rule.burst ?? rule.limit;
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: capacity, at: now, heldUntil: 0 };
      this.buckets.set(key, b);
      // Per-channel buckets come and go with channels: forget full, idle ones.
      if (this.buckets.size > 50_000) this.prune(now);
    }
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) * rule.limit) / rule.windowMs);
    b.at = now;
    return b;
  }

  /** ms until every bucket of this call has a token (0: now). */
  private waitFor(method: string, rules: PaceRule[], channel: string | undefined, now: number): number {
    let wait = 0;
    rules.forEach((rule, i) => {
      const b = this.bucket(this.key(method, i, rule, channel), rule, now);
      if (b.heldUntil > now) wait = Math.max(wait, b.heldUntil - now);
      if (b.tokens < 1) wait = Math.max(wait, ((1 - b.tokens) * rule.windowMs) / rule.limit);
    });
    return wait;
  }

  private tryTake(method: string, rules: PaceRule[], channel: string | undefined, now: number): boolean {
    if (this.waitFor(method, rules, channel, now) > 0) return false;
    rules.forEach((rule, i) => {
      this.bucket(this.key(method, i, rule, channel), rule, now).tokens -= 1;
    });
    return true;
  }

  /** Serves every waiter that can go now, in order; then sleeps until the next one can. */
  private drain(method: string): void {
    const rules = this.table[method];
    const queue = this.queues.get(method);
    if (!rules || !queue) return;
    const now = this.now();
    let next = Infinity;
    for (let i = 0; i < queue.length;) {
      const w = queue[i]!;
      if (this.tryTake(method, rules, w.channel, now)) {
        queue.splice(i, 1);
        w.resolve();
        continue;
      }
      next = Math.min(next, this.waitFor(method, rules, w.channel, now));
      i++;
    }
    const old = this.timers.get(method);
    if (old) clearTimeout(old);
    this.timers.delete(method);
    if (queue.length > 0 && Number.isFinite(next)) {
      this.timers.set(
        method,
        setTimeout(() => this.drain(method), Math.max(1, Math.ceil(next))),
      );
    }
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) {
      if (!key.endsWith('|*') && b.heldUntil < now && now - b.at > MINUTE) this.buckets.delete(key);
    }
  }
}
