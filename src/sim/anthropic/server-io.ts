import type { IncomingMessage, ServerResponse } from 'node:http';

/** The plumbing of the simulator's request handler: reading bodies, writing JSON, headers. */

const MAX_BODY = 8 * 1024 * 1024;

export function faultHeaders(f: {
  shouldRetry?: boolean;
  retryAfter?: number;
  retryAfterMs?: number;
}): Record<string, string> {
  const h: Record<string, string> = {};
  if (f.shouldRetry !== undefined) h['x-should-retry'] = String(f.shouldRetry);
  if (f.retryAfterMs !== undefined) h['retry-after-ms'] = String(f.retryAfterMs);
  if (f.retryAfter !== undefined) h['retry-after'] = String(f.retryAfter);
  return h;
}

export function isErrorEnvelope(b: unknown): b is Record<string, unknown> {
  return b !== null && typeof b === 'object' && (b as Record<string, unknown>)['type'] === 'error';
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function parseJson(raw: string | undefined): { body: unknown; bodyError: boolean } {
  if (raw === undefined || raw.trim() === '') return { body: undefined, bodyError: false };
  try {
    return { body: JSON.parse(raw) as unknown, bodyError: false };
  } catch {
    return { body: undefined, bodyError: true };
  }
}

export function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });
}

export function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
