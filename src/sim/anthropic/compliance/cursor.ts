import { badRequest } from '../errors.js';
import type { FeedKey } from './entry.js';

/**
 * Activity Feed cursors. The docs only promise opaque strings ("Clients should treat this value
 * as an opaque string and not attempt to parse or interpret its contents, as the format may
 * change without notice", https://platform.claude.com/docs/en/api/compliance/activities/list);
 * issue 13 reports the live API issuing base64 JSON `{"id","created_at"}`, so this does the same.
 * A raw activity ID is still accepted: the error page describes the 400 for a value "that is
 * neither a cursor the API issued nor a well-formed activity ID"
 * (https://platform.claude.com/docs/en/manage-claude/compliance-errors#invalid-pagination-cursor).
 */
export function encodeCursor(activity: { id: string; created_at: string }): string {
  return Buffer.from(JSON.stringify({ id: activity.id, created_at: activity.created_at })).toString('base64');
}

/** A decoded cursor: the feed position, or an activity ID to look up. */
export type Cursor = { kind: 'key'; key: FeedKey } | { kind: 'id'; id: string };

/**
 * A well-formed activity ID as the docs show them (`activity_01XyDMpzjS89pFZXqSFUBDr6`: `01` and
 * 22 base58 characters); the docs' own example of a malformed one is `activity_invalid123`.
 */
const DOCUMENTED_ID = /^activity_01[1-9A-HJ-NP-Za-km-z]{22}$/;

export function decodeCursor(value: string): Cursor {
  const key = decodeIssued(value);
  if (key) return { kind: 'key', key };
  if (value.startsWith('activity_')) return { kind: 'id', id: value };
  throw invalidFormat(value);
}

/** "Invalid activity_id format: 'activity_invalid123'" (compliance-errors#invalid-pagination-cursor). */
export function invalidFormat(value: string) {
  return badRequest(`Invalid activity_id format: '${value}'`);
}

/**
 * An activity ID the feed does not hold: malformed ones get the documented format error; for a
 * well-formed ID that names no activity the docs are silent, so the 400 names the cursor.
 */
export function isWellFormedActivityId(value: string): boolean {
  return DOCUMENTED_ID.test(value);
}

function decodeIssued(value: string): FeedKey | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { id, created_at: createdAt } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || typeof createdAt !== 'string') return undefined;
  const t = Date.parse(createdAt);
  return Number.isNaN(t) ? undefined : { t, id };
}
