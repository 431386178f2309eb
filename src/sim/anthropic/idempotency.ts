import { createHash } from 'node:crypto';
import { badRequest } from './errors.js';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Entry extends StoredResponse {
  fingerprint: string;
}

/**
 * `Idempotency-Key` on mutations: the first completed response is kept and replayed
 * for a repeat with the same method, path and body, without applying it again.
 * Transient failures (429, 5xx) are not kept, so a retry after one re-executes.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  lookup(key: string, method: string, path: string, rawBody: string): StoredResponse | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.fingerprint !== fingerprint(method, path, rawBody)) {
      throw badRequest(
        `Idempotency-Key '${key}' was already used for a different request; use a new key for a new request.`,
      );
    }
    return e;
  }

  remember(key: string, method: string, path: string, rawBody: string, res: StoredResponse): void {
    if (res.status === 429 || res.status >= 500) return;
    this.entries.set(key, { ...res, fingerprint: fingerprint(method, path, rawBody) });
  }

  get size(): number {
    return this.entries.size;
  }
}

function fingerprint(method: string, path: string, rawBody: string): string {
  let canonical = rawBody;
  try {
    canonical = rawBody ? JSON.stringify(sortKeys(JSON.parse(rawBody))) : '';
  } catch {
    // Not JSON: compare the raw text.
  }
  return createHash('sha256').update(`${method} ${path}\n${canonical}`).digest('hex');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  }
  return v;
}
