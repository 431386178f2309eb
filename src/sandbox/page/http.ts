import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the page server refuses, with the status and a message naming what is wrong. */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'PageError';
  }
}

const MAX_BODY = 256 * 1024;

/** Reads a JSON object body (at most 256 KiB). */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('application/json'))
    throw new PageError(415, 'unsupported_media_type', 'send the request body as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new PageError(413, 'body_too_large', `request body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new PageError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new PageError(400, 'invalid_body', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: PageError): void {
  sendJson(res, err.status, { ok: false, error: err.code, message: err.message, fields: err.fields });
}

/** A required string field of a JSON body. */
export function stringField(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '')
    throw new PageError(400, 'invalid_field', `"${name}" must be a non-empty string`);
  return v;
}

export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new PageError(400, 'invalid_field', `"${name}" must be a string`);
  return v;
}
