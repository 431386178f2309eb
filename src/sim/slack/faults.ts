/**
 * Injected failures, per method ('*' for every method). Each fault can skip the first
 * `after` matching calls and then fire `times` times (default: until removed).
 */

export type FaultKind =
  /** HTTP 429 with Retry-After and `{ ok: false, error: 'ratelimited' }`. */
  | 'rate_limit'
  /** HTTP 500 (or `status`) with an HTML-ish body, as a failing load balancer answers. */
  | 'server_error'
  /** Never answers; the connection stays open until the client gives up or the sim closes. */
  | 'hang'
  /** HTTP 200 whose body is not JSON. */
  | 'malformed'
  /** HTTP 200 `{ ok: false, error }` with the given code (e.g. 'token_revoked'). */
  | 'error'
  /**
   * The call takes effect at once (a posted message is in the channel and can be clicked)
   * but its answer is held until `release()`: a slow network as the client sees it. Not a
   * Slack behaviour (its documentation is silent on answer latency); like 'hang', it is the
   * transport between Steward and Slack, which no Slack page describes.
   */
  | 'held';

export interface FaultSpec {
  kind: FaultKind;
  times?: number;
  after?: number;
  /** For 'error': the error code. */
  error?: string;
  /** For 'rate_limit': the Retry-After seconds (default 1). */
  retryAfter?: number;
  /** For 'server_error': the HTTP status (default 500). */
  status?: number;
  /** Only calls whose arguments satisfy this (e.g. the post of one particular message). */
  when?: (args: Readonly<Record<string, unknown>>) => boolean;
}

export interface ActiveFault extends Required<Pick<FaultSpec, 'kind'>> {
  id: number;
  method: string;
  spec: FaultSpec;
  /** Matching calls seen so far. */
  seen: number;
  /** Times this fault fired. */
  fired: number;
}

export class Faults {
  private list: ActiveFault[] = [];
  private nextId = 1;
  private heldAnswers: Array<() => void> = [];

  /** Adds a fault; returns a function that removes it. */
  add(method: string, spec: FaultSpec): () => void {
    if (spec.kind === 'error' && !spec.error) throw new Error("an 'error' fault needs an error code");
    const fault: ActiveFault = { id: this.nextId++, method, kind: spec.kind, spec, seen: 0, fired: 0 };
    this.list.push(fault);
    return () => {
      this.list = this.list.filter((f) => f.id !== fault.id);
    };
  }

  /** Waits until `release()` (a 'held' fault's answer). */
  hold(): Promise<void> {
    return new Promise((resolve) => this.heldAnswers.push(resolve));
  }

  /** Sends every held answer; returns how many there were. */
  release(): number {
    const held = this.heldAnswers;
    this.heldAnswers = [];
    for (const send of held) send();
    return held.length;
  }

  /** Answers held so far and not yet released. */
  heldCount(): number {
    return this.heldAnswers.length;
  }

  clear(method?: string): void {
    this.list = method === undefined ? [] : this.list.filter((f) => f.method !== method);
  }

  active(): readonly ActiveFault[] {
    return this.list;
  }

  /** The fault that fires for this call, if any (counting the call against every match). */
  match(method: string, args: Readonly<Record<string, unknown>> = {}): ActiveFault | undefined {
    let chosen: ActiveFault | undefined;
    for (const f of this.list) {
      if (f.method !== method && f.method !== '*') continue;
      if (f.spec.when && !f.spec.when(args)) continue;
      const times = f.spec.times ?? Infinity;
      f.seen += 1;
      if (chosen) continue;
      if (f.seen <= (f.spec.after ?? 0)) continue;
      if (f.fired >= times) continue;
      f.fired += 1;
      chosen = f;
    }
    return chosen;
  }
}
