import type { IncomingMessage } from 'node:http';

/** Slack refuses request bodies far smaller than this; the cap only protects the sim. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readRawBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLargeError(`body over ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export interface MultipartFile {
  field: string;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

export interface ParsedBody {
  kind: 'form' | 'json' | 'multipart' | 'empty' | 'other';
  /** String fields for form/multipart, the decoded object for JSON. */
  args: Record<string, unknown>;
  files: MultipartFile[];
  /** JSON sent without `; charset=utf-8`: Slack answers with a `missing_charset` warning. */
  missingCharset: boolean;
  /** A form body that names a charset: Slack answers with a `superfluous_charset` warning. */
  superfluousCharset: boolean;
  /** Set when the body could not be decoded at all. */
  invalid: 'invalid_json' | 'invalid_form_data' | undefined;
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function contentTypeParam(contentType: string, name: string): string | undefined {
  for (const part of contentType.split(';').slice(1)) {
    const [k, ...rest] = part.split('=');
    if (k?.trim().toLowerCase() === name) {
      return rest
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
  }
  return undefined;
}

export function parseBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  const type = mediaType(contentType);
  const base: ParsedBody = {
    kind: 'other',
    args: {},
    files: [],
    missingCharset: false,
    superfluousCharset: false,
    invalid: undefined,
  };
  const charset = contentTypeParam(contentType ?? '', 'charset');
  if (raw.length === 0)
    return {
      ...base,
      kind: 'empty',
      superfluousCharset: type === 'application/x-www-form-urlencoded' && charset !== undefined,
    };
  if (type === 'application/json') {
    const missingCharset = charset === undefined;
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { ...base, kind: 'json', missingCharset, invalid: 'invalid_json' };
      }
      return { ...base, kind: 'json', args: parsed as Record<string, unknown>, missingCharset };
    } catch {
      return { ...base, kind: 'json', missingCharset, invalid: 'invalid_json' };
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(raw.toString('utf8'));
    const args: Record<string, unknown> = {};
    for (const [k, v] of params) args[k] = v;
    return { ...base, kind: 'form', args, superfluousCharset: charset !== undefined };
  }
  if (type === 'multipart/form-data') {
    const boundary = contentTypeParam(contentType ?? '', 'boundary');
    if (!boundary) return { ...base, kind: 'multipart', invalid: 'invalid_form_data' };
    const parts = parseMultipart(raw, boundary);
    if (!parts) return { ...base, kind: 'multipart', invalid: 'invalid_form_data' };
    const args: Record<string, unknown> = {};
    const files: MultipartFile[] = [];
    for (const p of parts) {
      if (p.filename !== undefined) files.push(p);
      else args[p.field] = p.data.toString('utf8');
    }
    return { ...base, kind: 'multipart', args, files };
  }
  return base;
}

/** A small RFC 7578 reader: enough for what fetch's FormData and curl -F produce. */
export function parseMultipart(raw: Buffer, boundary: string): MultipartFile[] | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartFile[] = [];
  let pos = raw.indexOf(delimiter);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delimiter.length;
    if (raw.subarray(pos, pos + 2).toString() === '--') break;
    if (raw.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = raw.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) return undefined;
    const headerText = raw.subarray(pos, headerEnd).toString('utf8');
    const next = raw.indexOf(delimiter, headerEnd + 4);
    if (next < 0) return undefined;
    // The part's data ends with the CRLF that precedes the next delimiter.
    let dataEnd = next;
    if (raw[dataEnd - 2] === 0x0d && raw[dataEnd - 1] === 0x0a) dataEnd -= 2;
    const data = Buffer.from(raw.subarray(headerEnd + 4, dataEnd));
    let field = '';
    let filename: string | undefined;
    let partType: string | undefined;
    for (const line of headerText.split('\r\n')) {
      const idx = line.indexOf(':');
      if (idx < 0) continue;
      const name = line.slice(0, idx).trim().toLowerCase();
      const value = line.slice(idx + 1).trim();
      if (name === 'content-disposition') {
        field = /(?:^|;)\s*name="([^"]*)"/i.exec(value)?.[1] ?? '';
        const fn = /filename="([^"]*)"/i.exec(value);
        if (fn) filename = fn[1];
      } else if (name === 'content-type') {
        partType = value;
      }
    }
    parts.push({ field, filename, contentType: partType, data });
    pos = next;
  }
  return parts;
}
