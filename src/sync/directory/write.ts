import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { queryRows } from '../../db/client.js';
import { apiKeys, invites, orgUsers, serviceAccounts, workspaceMembers, workspaces } from '../../db/schema/index.js';
import type { Executor } from '../../db/types.js';
import type { apiKeyRow, inviteRow, memberRow, serviceAccountRow, userRow, workspaceRow } from './rows.js';

/**
 * Columns filled from fields the API may leave out (older API versions, partial objects):
 * property → the object fields it comes from. When none of them is in the object as
 * sent (`raw`), the column keeps what Steward knew; a field sent as null does set null.
 */
type Omittable = Record<string, readonly string[]>;

/**
 * `col = excluded.col` for every listed column, plus the seen/removed bookkeeping;
 * omittable columns only when the new object carries their field.
 */
function refreshed<T extends PgTable>(
  table: T,
  keep: readonly string[],
  omittable: Omittable = {},
): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  const name = getTableName(table);
  for (const [prop, col] of Object.entries(getTableColumns(table))) {
    if (keep.includes(prop)) continue;
    const fields = omittable[prop];
    set[prop] = fields
      ? sql.raw(
          `case when jsonb_exists_any(excluded."raw", array[${fields.map((f) => `'${f}'`).join(',')}]) ` +
            `then excluded."${col.name}" else "${name}"."${col.name}" end`,
        )
      : sql.raw(`excluded."${col.name}"`);
  }
  // Seen again: a principal that had disappeared and came back is live again.
  set['removedAt'] = sql`null`;
  return set;
}

const seen = (now: Date) => ({ firstSeenAt: now, lastSeenAt: now, removedAt: null });

export async function upsertUsers(
  tx: Executor,
  rows: Array<ReturnType<typeof userRow>>,
  now: Date,
  orgId = '',
): Promise<void> {
  if (!rows.length) return;
  await tx
    .insert(orgUsers)
    .values(rows.map((r) => ({ ...r, orgId, ...seen(now) })))
    .onConflictDoUpdate({
      target: [orgUsers.orgId, orgUsers.id],
      set: refreshed(orgUsers, ['orgId', 'id', 'firstSeenAt'], { name: ['name'], addedAt: ['added_at'] }),
    });
}

export async function upsertInvites(
  tx: Executor,
  rows: Array<ReturnType<typeof inviteRow>>,
  now: Date,
  orgId = '',
): Promise<void> {
  if (!rows.length) return;
  await tx
    .insert(invites)
    .values(rows.map((r) => ({ ...r, orgId, ...seen(now) })))
    .onConflictDoUpdate({
      target: [invites.orgId, invites.id],
      set: refreshed(invites, ['orgId', 'id', 'firstSeenAt'], {
        invitedAt: ['invited_at'],
        expiresAt: ['expires_at'],
        acceptedAt: ['accepted_at'],
      }),
    });
}

export async function upsertWorkspaces(
  tx: Executor,
  rows: Array<ReturnType<typeof workspaceRow>>,
  now: Date,
  orgId = '',
): Promise<void> {
  if (!rows.length) return;
  await tx
    .insert(workspaces)
    .values(rows.map((r) => ({ ...r, orgId, ...seen(now) })))
    .onConflictDoUpdate({
      target: [workspaces.orgId, workspaces.id],
      set: refreshed(workspaces, ['orgId', 'id', 'firstSeenAt'], {
        createdAt: ['created_at'],
        archivedAt: ['archived_at'],
      }),
    });
}

export async function upsertMembers(
  tx: Executor,
  rows: Array<ReturnType<typeof memberRow>>,
  now: Date,
  orgId = '',
): Promise<void> {
  if (!rows.length) return;
  await tx
    .insert(workspaceMembers)
    .values(rows.map((r) => ({ ...r, orgId, ...seen(now) })))
    .onConflictDoUpdate({
      target: [workspaceMembers.orgId, workspaceMembers.workspaceId, workspaceMembers.userId],
      set: refreshed(workspaceMembers, ['orgId', 'workspaceId', 'userId', 'firstSeenAt']),
    });
}

export async function upsertServiceAccounts(
  tx: Executor,
  rows: Array<ReturnType<typeof serviceAccountRow>>,
  now: Date,
  orgId = '',
): Promise<void> {
  if (!rows.length) return;
  await tx
    .insert(serviceAccounts)
    .values(rows.map((r) => ({ ...r, orgId, ...seen(now) })))
    .onConflictDoUpdate({
      target: [serviceAccounts.orgId, serviceAccounts.id],
      set: refreshed(serviceAccounts, ['orgId', 'id', 'firstSeenAt'], {
        createdAt: ['created_at'],
        createdById: ['created_by_actor_id'],
        status: ['archived_at'],
      }),
    });
}

export async function upsertApiKeys(
  tx: Executor,
  rows: Array<ReturnType<typeof apiKeyRow>>,
  now: Date,
  orgId = '',
): Promise<void> {
  if (!rows.length) return;
  await tx
    .insert(apiKeys)
    .values(rows.map((r) => ({ ...r, orgId, ...seen(now) })))
    .onConflictDoUpdate({
      target: [apiKeys.orgId, apiKeys.id],
      set: refreshed(apiKeys, ['orgId', 'id', 'firstSeenAt'], {
        createdByType: ['created_by'],
        createdById: ['created_by'],
        principalType: ['principal'],
        principalId: ['principal'],
        scopeType: ['scope', 'workspace_id'],
        workspaceId: ['scope', 'workspace_id'],
        expiresAt: ['expires_at'],
        partialKeyHint: ['partial_key_hint'],
      }),
    });
}

/**
 * Service accounts named by keys but not (or not yet) listed: recorded by id so keys
 * resolve to them. Known ones are left as they are.
 */
export async function ensureServiceAccounts(
  tx: Executor,
  ids: readonly string[],
  now: Date,
  orgId = '',
): Promise<number> {
  if (!ids.length) return 0;
  const r = await queryRows(
    tx,
    sql`insert into service_accounts (org_id, id, name, first_seen_at, last_seen_at, raw)
        select ${orgId}, x, x, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, jsonb_build_object('id', x, 'known_from', 'api_key')
        from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as x
        on conflict (org_id, id) do nothing
        returning id`,
  );
  return r.length;
}

const TABLES = {
  org_users: 'org_users',
  invites: 'invites',
  workspaces: 'workspaces',
  service_accounts: 'service_accounts',
  api_keys: 'api_keys',
} as const;

/**
 * After a COMPLETE listing: rows not in it get `removed_at` (never deleted). Returns
 * how many were newly marked.
 */
export async function markRemoved(
  tx: Executor,
  table: keyof typeof TABLES,
  seenIds: readonly string[],
  now: Date,
  orgId = '',
): Promise<number> {
  const r = await queryRows(
    tx,
    sql`update ${sql.raw(TABLES[table])} set removed_at = ${now.toISOString()}::timestamptz
        where org_id = ${orgId} and removed_at is null and id not in (select jsonb_array_elements_text(${JSON.stringify(seenIds)}::jsonb))
        returning id`,
  );
  return r.length;
}

/**
 * Memberships: within workspaces whose member listing completed, the ones not seen;
 * and, when the workspace listing itself completed, memberships of workspaces that
 * are gone from it.
 */
export async function markMembersRemoved(
  tx: Executor,
  completed: readonly string[],
  seenPairs: ReadonlyArray<[string, string]>,
  listedWorkspaces: readonly string[] | null,
  now: Date,
  orgId = '',
): Promise<number> {
  const gone = listedWorkspaces
    ? sql`or workspace_id not in (select jsonb_array_elements_text(${JSON.stringify(listedWorkspaces)}::jsonb))`
    : sql``;
  const r = await queryRows(
    tx,
    sql`update workspace_members set removed_at = ${now.toISOString()}::timestamptz
        where org_id = ${orgId} and removed_at is null and (
          (workspace_id in (select jsonb_array_elements_text(${JSON.stringify(completed)}::jsonb))
           and (workspace_id, user_id) not in (select s->>0, s->>1 from jsonb_array_elements(${JSON.stringify(seenPairs)}::jsonb) s))
          ${gone})
        returning user_id`,
  );
  return r.length;
}
