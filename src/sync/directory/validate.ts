import type { ApiKey, Invite, OrgUser, ServiceAccount, Workspace, WorkspaceMember } from '../../anthropic/types.js';

/**
 * Per-record checks of directory listings (pure). One malformed record must never block
 * a listing: it is skipped and named (its id, or its position in the listing when it has
 * none), and the rest is stored. A record is malformed when a field Steward stores as
 * required is missing or of the wrong type; optional fields may be absent (and then
 * keep what Steward knew, see write.ts).
 */

export type Listing = 'users' | 'invites' | 'workspaces' | 'members' | 'service_accounts' | 'api_keys';

export interface Rejected {
  listing: Listing;
  /** The record's id, or `#n` (its 1-based position in the listing) when it has no usable id. */
  record: string;
  problem: string;
}

export type Checked<T> = { ok: true; item: T } | { ok: false; rejected: Rejected };

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const optionalText = (v: unknown) => v === undefined || v === null || typeof v === 'string';

/** Field → how it must be, for each listing; the first failing field is the problem named. */
const REQUIRED: Record<Listing, Array<[string, (v: unknown) => boolean, string]>> = {
  users: [
    ['id', text, 'a non-empty string'],
    ['email', text, 'a non-empty string'],
    ['role', text, 'a non-empty string'],
    ['name', optionalText, 'a string or null'],
    ['added_at', optionalText, 'a string or null'],
  ],
  invites: [
    ['id', text, 'a non-empty string'],
    ['email', text, 'a non-empty string'],
    ['role', text, 'a non-empty string'],
    ['status', text, 'a non-empty string'],
  ],
  workspaces: [
    ['id', text, 'a non-empty string'],
    ['name', text, 'a non-empty string'],
  ],
  members: [
    ['user_id', text, 'a non-empty string'],
    ['workspace_role', text, 'a non-empty string'],
    ['workspace_id', optionalText, 'a string'],
  ],
  service_accounts: [
    ['id', text, 'a non-empty string'],
    ['name', text, 'a non-empty string'],
    ['created_by_actor_id', optionalText, 'a string or null'],
  ],
  api_keys: [
    ['id', text, 'a non-empty string'],
    ['name', (v) => typeof v === 'string', 'a string'],
    ['status', text, 'a non-empty string'],
    [
      'created_by',
      (v) => v === undefined || v === null || (isRec(v) && text(v['id']) && text(v['type'])),
      'null or an object with id and type',
    ],
    ['partial_key_hint', optionalText, 'a string or null'],
  ],
};

/** The name a record goes by in messages: its id (or user_id for members), else its position. */
export function recordName(listing: Listing, item: unknown, position: number): string {
  const idField = listing === 'members' ? 'user_id' : 'id';
  const id = isRec(item) ? item[idField] : undefined;
  return typeof id === 'string' && /^[A-Za-z0-9_.:-]{1,100}$/.test(id) ? id : `#${position}`;
}

export function checkRecord<T>(listing: Listing, item: unknown, position: number): Checked<T> {
  const record = recordName(listing, item, position);
  if (!isRec(item)) return { ok: false, rejected: { listing, record, problem: 'not an object' } };
  for (const [field, good, must] of REQUIRED[listing]) {
    if (!good(item[field])) {
      const problem = item[field] === undefined ? `${field} is missing` : `${field} must be ${must}`;
      return { ok: false, rejected: { listing, record, problem } };
    }
  }
  return { ok: true, item: item as T };
}

export type ListingItem = {
  users: OrgUser;
  invites: Invite;
  workspaces: Workspace;
  members: WorkspaceMember;
  service_accounts: ServiceAccount;
  api_keys: ApiKey;
};

/** A stable key for "already reported" (so the security channel hears of a record once). */
export const rejectionKey = (r: Rejected) => `${r.listing}:${r.record}:${r.problem}`;

/** One line naming the skipped records of a listing, for the run's notes. */
export function rejectionNote(listing: Listing, rejected: readonly Rejected[]): string {
  const shown = rejected.slice(0, 10).map((r) => `${r.record} (${r.problem})`);
  const more = rejected.length > shown.length ? `, and ${rejected.length - shown.length} more` : '';
  return `${listing.replace('_', ' ')}: skipped ${rejected.length} malformed record${rejected.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}
