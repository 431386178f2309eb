/**
 * Faults a test can put on `POST /v1/messages`. Each one is a documented behaviour:
 * - `rate_limit`: 429 `rate_limit_error` with `retry-after` (seconds) and the
 *   `anthropic-ratelimit-*` headers (https://platform.claude.com/docs/en/api/rate-limits,
 *   "Response headers"; https://platform.claude.com/docs/en/api/errors, 429).
 * - `server_error`: 500 `api_error`; `overloaded`: 529 `overloaded_error` (errors page).
 * - `slow`: the normal answer, `delayMs` late; `hang`: no answer at all (a network
 *   stall; the client's own timeout is what ends it).
 * - `malformed`: a 200 whose body is not the documented `Message` JSON (a proxy or a
 *   truncated body; the API itself never sends one, clients must survive it anyway).
 * - `refusal`: a 200 with `stop_reason: "refusal"` and `stop_details`
 *   (https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons).
 */
export type MessagesFaultKind =
  'rate_limit' | 'server_error' | 'overloaded' | 'slow' | 'hang' | 'malformed' | 'refusal';

export interface MessagesFaultSpec {
  kind: MessagesFaultKind;
  /** How many requests it hits (default 1; `Infinity` for every one). */
  times?: number;
  /** `slow`: how late the answer comes (default 5 000 ms). */
  delayMs?: number;
  /** `rate_limit`: the `retry-after` seconds (default 1). */
  retryAfter?: number;
  /** `refusal`: the policy category (default `null`, "doesn't map to a named category"). */
  category?: string | null;
}

export class MessagesFaults {
  private readonly queue: Array<{ spec: MessagesFaultSpec; left: number }> = [];

  add(spec: MessagesFaultSpec): void {
    this.queue.push({ spec, left: spec.times ?? 1 });
  }

  /** The fault the next request meets, if any (first added, first used). */
  take(): MessagesFaultSpec | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    head.left--;
    if (head.left <= 0) this.queue.shift();
    return head.spec;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
