import type { AdminErrorCode } from './admin-errors.js';
import type { ApiErrorType } from './errors.js';
import { compilePattern } from './router.js';

/**
 * Transport-level faults, plus the documented Admin API error codes (`AdminErrorCode`, see
 * admin-errors.ts) and `api_error` for any other documented error body.
 */
export type FaultKind =
  'rate_limit' | 'server_error' | 'overloaded' | 'hang' | 'malformed' | 'drop' | 'api_error' | AdminErrorCode;

export interface FaultSpec {
  /**
   * Which requests: an op name (`apiKeys.list`, `compliance.activities`, globs like
   * `apiKeys.*`, or `*`), `"METHOD /path/{param}"` (method may be `*`), or a predicate.
   */
  op: string | ((req: FaultRequest) => boolean);
  /**
   * Only requests answered by this organisation (its `organization_uuid`: the one whose key
   * the request carries, see organizations.ts), e.g. one organisation's feed among several.
   */
  org?: string;
  kind: FaultKind;
  /** How many requests it hits (default 1: once; `Infinity`: persistently). */
  times?: number;
  /** Let the first K matching requests through first, so a fault can land on page K+1. */
  after?: number;
  /** `retry-after` seconds on `rate_limit` (default 1) and, if given, on other errors. */
  retryAfter?: number;
  /** Adds `retry-after-ms`, which the SDK prefers over `retry-after`. */
  retryAfterMs?: number;
  /** Sends `x-should-retry: true|false`, which the SDK obeys over the status code. */
  shouldRetry?: boolean;
  /** `malformed` variant: a body that is not JSON, or JSON of the wrong shape. */
  malformed?: 'invalid_json' | 'wrong_shape';
  /** Overrides the malformed body. */
  body?: string;
  /**
   * `before` (default): the request never reaches the handler. `after`: the handler
   * runs (a mutation is applied) and then the response is lost or replaced — the
   * case idempotency keys exist for.
   */
  phase?: 'before' | 'after';
  /**
   * `api_key_requester_unconfirmed` on users.remove / serviceAccounts.archive: how many of the
   * affected keys were already turned off when the request was refused (default: half, rounded down).
   */
  keysTurnedOff?: number;
  /** `api_key_requester_unconfirmed` on users.remove: whether the user was signed out (default true). */
  signedOut?: boolean;
  /** `api_error`: the status, `error.type`, message and `error.details.error_code` to answer with. */
  error?: { status: number; type?: ApiErrorType; message: string; errorCode?: string };
}

export interface FaultRequest {
  op: string | undefined;
  method: string;
  path: string;
  /** `organization_uuid` of the organisation answering the request. */
  org?: string;
}

export interface Fault {
  readonly spec: Readonly<FaultSpec>;
  /** Matching requests seen so far. */
  readonly matched: number;
  /** Requests this fault actually hit. */
  readonly fired: number;
  remove(): void;
}

class FaultEntry implements Fault {
  matched = 0;
  fired = 0;
  private readonly test: (req: FaultRequest) => boolean;

  constructor(
    readonly spec: FaultSpec,
    private readonly owner: Faults,
  ) {
    this.test = compileMatcher(spec.op);
  }

  remove(): void {
    this.owner.remove(this);
  }

  /** Counts the request if it matches; true when the fault hits it. */
  consider(req: FaultRequest): boolean {
    if (!this.test(req) || (this.spec.org !== undefined && req.org !== this.spec.org)) return false;
    this.matched += 1;
    if (this.matched <= (this.spec.after ?? 0) || this.fired >= (this.spec.times ?? 1)) return false;
    this.fired += 1;
    return true;
  }
}

function compileMatcher(op: FaultSpec['op']): (req: FaultRequest) => boolean {
  if (typeof op === 'function') return op;
  const space = op.indexOf(' ');
  if (space > 0) {
    const method = op.slice(0, space).toUpperCase();
    const { regex } = compilePattern(
      op
        .slice(space + 1)
        .trim()
        .split('?')[0]!,
    );
    return (req) => (method === '*' || req.method === method) && regex.test(req.path);
  }
  const glob = new RegExp(
    `^${op
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (req) => req.op !== undefined && glob.test(req.op);
}

/** Fault injection: `sim.faults.add({ op: 'apiKeys.list', kind: 'rate_limit', after: 2 })`. */
export class Faults {
  private entries: FaultEntry[] = [];

  add(spec: FaultSpec): Fault {
    const e = new FaultEntry(spec, this);
    this.entries.push(e);
    return e;
  }

  remove(f: Fault): void {
    this.entries = this.entries.filter((e) => e !== f);
  }

  clear(): void {
    this.entries = [];
  }

  list(): readonly Fault[] {
    return this.entries;
  }

  /** The first fault of this phase that hits the request; every matching one counts it. */
  take(req: FaultRequest, phase: 'before' | 'after'): FaultSpec | undefined {
    let hit: FaultSpec | undefined;
    for (const e of this.entries) {
      if ((e.spec.phase ?? 'before') !== phase) continue;
      if (e.consider(req) && !hit) hit = e.spec;
    }
    return hit;
  }
}
