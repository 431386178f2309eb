import type { CredentialKind } from './context.js';
import type { FaultKind } from './faults.js';

/** One request as the sim saw it. Credentials are never kept: only which one matched. */
export interface RecordedCall {
  seq: number;
  /** Wall-clock arrival, ISO 8601. */
  at: string;
  method: string;
  path: string;
  /** `op` of the matched route (`apiKeys.update`), if any. */
  op: string | undefined;
  query: Record<string, string | string[]>;
  /** Parsed JSON body, the raw text if it was not JSON, or undefined. */
  body: unknown;
  headers: {
    'idempotency-key'?: string;
    'anthropic-version'?: string;
    'anthropic-beta'?: string;
    'user-agent'?: string;
    'x-stainless-retry-count'?: string;
    'content-type'?: string;
  };
  auth: {
    scheme: 'x-api-key' | 'bearer' | 'none';
    /** Which configured credential matched (`unknown` = a key the sim does not know). */
    credential: CredentialKind;
    matched: boolean;
  };
  /** `organization_uuid` of the organisation that answered (the one whose key it was; the first otherwise). */
  org: string;
  /** Status sent; null while pending, or when the request was hung or dropped. */
  status: number | null;
  fault: FaultKind | undefined;
  /** True when an idempotency key replayed a stored response. */
  replayed: boolean;
  requestId: string;
}

const KEPT_HEADERS = [
  'idempotency-key',
  'anthropic-version',
  'anthropic-beta',
  'user-agent',
  'x-stainless-retry-count',
  'content-type',
] as const;

export function pickHeaders(h: Record<string, string | string[] | undefined>): RecordedCall['headers'] {
  const out: RecordedCall['headers'] = {};
  for (const k of KEPT_HEADERS) {
    const v = h[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export class CallLog {
  private readonly calls: RecordedCall[] = [];

  push(call: RecordedCall): void {
    this.calls.push(call);
  }

  get all(): readonly RecordedCall[] {
    return this.calls;
  }

  get length(): number {
    return this.calls.length;
  }

  /** Calls whose op matches (exact, or a `*` glob such as `apiKeys.*`). */
  byOp(op: string): RecordedCall[] {
    const re = new RegExp(
      `^${op
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return this.calls.filter((c) => c.op !== undefined && re.test(c.op));
  }

  last(op?: string): RecordedCall | undefined {
    const list = op === undefined ? this.calls : this.byOp(op);
    return list[list.length - 1];
  }

  clear(): void {
    this.calls.length = 0;
  }
}
