import { JSON_ARGS } from './args.js';

/** One Web API request as the sim saw it. Tokens never appear here. */
export interface RecordedCall {
  method: string;
  /** Arguments with JSON-encoded values (blocks, view…) decoded and the token removed. */
  args: Record<string, unknown>;
  /** How the token arrived (never its value). */
  auth: 'bearer' | 'form' | 'none';
  contentType: string;
  time: number;
  durationMs: number;
  status: number;
  ok: boolean;
  error: string | undefined;
  /** The injected fault that answered, if one did. */
  fault: string | undefined;
  rateLimited: boolean;
}

const REDACTED = '[REDACTED]';

function redact(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const s of secrets) if (s && out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, secrets);
    return out;
  }
  return value;
}

export function recordableArgs(raw: Record<string, unknown>, secrets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'token') continue;
    if (JSON_ARGS.includes(k) && typeof v === 'string') {
      try {
        out[k] = JSON.parse(v) as unknown;
        continue;
      } catch {
        // Keep the raw string: the handler reports it as malformed.
      }
    }
    out[k] = v;
  }
  return redact(out, secrets) as Record<string, unknown>;
}

export class CallLog {
  private readonly entries: RecordedCall[] = [];

  push(call: RecordedCall): void {
    this.entries.push(call);
  }

  /** Every call, oldest first, or only those of one method. */
  list(method?: string): RecordedCall[] {
    return method === undefined ? [...this.entries] : this.entries.filter((c) => c.method === method);
  }

  count(method?: string): number {
    return this.list(method).length;
  }

  last(method?: string): RecordedCall | undefined {
    const l = this.list(method);
    return l[l.length - 1];
  }

  clear(): void {
    this.entries.length = 0;
  }
}
