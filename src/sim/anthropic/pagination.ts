import { createHash } from 'node:crypto';
import { badRequest } from './errors.js';
import type { Query } from './query.js';

/** `{data, has_more, first_id, last_id}`: the SDK's `Page` (cursor = object id). */
export interface IdPage<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/**
 * Anthropic's id-cursor paging over a list already in its response order.
 * `after_id`: the `limit` items right after the cursor. `before_id`: the `limit`
 * items right before it (adjacent to the cursor), still in list order. `has_more`
 * says whether more exist in the direction asked. `position` places a cursor even if
 * its object left the list since (removed users keep their slot).
 */
export function idPage<R>(
  q: Query,
  items: readonly R[],
  opts: {
    idOf: (r: R) => string;
    position: (cursorId: string) => ((r: R) => number) | undefined;
    render: (r: R) => unknown;
    defaultLimit?: number;
    maxLimit?: number;
  },
): IdPage<unknown> {
  const limit = q.int('limit', opts.defaultLimit ?? 20, 1, opts.maxLimit ?? 1000);
  const afterId = q.get('after_id');
  const beforeId = q.get('before_id');
  if (afterId !== undefined && beforeId !== undefined)
    throw badRequest('Only one of after_id or before_id may be provided.');

  let slice: readonly R[];
  let hasMore: boolean;
  if (beforeId !== undefined) {
    const cmp = cursor(opts, 'before_id', beforeId);
    const before = items.filter((r) => cmp(r) < 0);
    slice = before.slice(Math.max(0, before.length - limit));
    hasMore = before.length > limit;
  } else {
    const cmp = afterId === undefined ? undefined : cursor(opts, 'after_id', afterId);
    const after = cmp ? items.filter((r) => cmp(r) > 0) : items;
    slice = after.slice(0, limit);
    hasMore = after.length > limit;
  }
  const first = slice[0];
  const last = slice[slice.length - 1];
  return {
    data: slice.map(opts.render),
    has_more: hasMore,
    first_id: first === undefined ? null : opts.idOf(first),
    last_id: last === undefined ? null : opts.idOf(last),
  };
}

function cursor<R>(
  opts: { position: (id: string) => ((r: R) => number) | undefined },
  name: string,
  id: string,
): (r: R) => number {
  const cmp = opts.position(id);
  if (!cmp) throw badRequest(`Invalid ${name}: no object with ID '${id}' was found.`);
  return cmp;
}

/**
 * Opaque `page` tokens (the SDK's `PageCursor`/`ReportPageCursor`). A token is bound
 * to the query that issued it: reusing it with other filters is a 400, as on the
 * real analytics endpoints.
 */
export function encodePageToken(state: unknown, q: Query): string {
  return Buffer.from(JSON.stringify({ s: state, f: fingerprint(q) })).toString('base64url');
}

export function decodePageToken<S>(q: Query): S | undefined {
  const raw = q.get('page');
  if (raw === undefined || raw === '') return undefined;
  let parsed: { s: S; f: string };
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { s: S; f: string };
  } catch {
    throw badRequest('Invalid page token.');
  }
  if (!parsed || typeof parsed !== 'object' || !('s' in parsed)) throw badRequest('Invalid page token.');
  if (parsed.f !== fingerprint(q)) {
    throw badRequest(
      'The page token does not match the query parameters it was issued for. Restart pagination without `page`.',
    );
  }
  return parsed.s;
}

function fingerprint(q: Query): string {
  const pairs = [...q.params]
    .filter(([k]) => k !== 'page')
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return createHash('sha256').update(pairs.join('&')).digest('base64url').slice(0, 16);
}
