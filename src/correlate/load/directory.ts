import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';
import { ORG_ADMIN_ROLES, WORKSPACE_ADMIN_ROLE } from '../../domain/roles.js';
import type {
  InviteRecord,
  KeyRecord,
  MembershipRecord,
  ServiceAccountRecord,
  UserRecord,
  WorkspaceRecord,
} from '../types.js';
import type { LoadParams } from './params.js';
import {
  idleThrough,
  jsonOf,
  MERGED_SUMMARY,
  ms,
  SUMMARY_COLUMNS,
  summaryOf,
  toDate,
  toText,
  utcDate,
  valuesIn,
} from './sql.js';

const or = (parts: Array<SQL | null>): SQL => {
  const present = parts.filter((p): p is SQL => p !== null);
  return present.length === 0
    ? sql`false`
    : sql.join(
        present.map((p) => sql`(${p})`),
        sql` or `,
      );
};

/** Activity strictly after a removal time (feed events) or removal day (usage days). */
const usedAfter = (removedAt: SQL): SQL =>
  sql`s.last_event_at > ${removedAt} or s.last_usage_day > ${utcDate(removedAt)}`;

const USER_COLUMNS = sql`u.id, u.email, u.name, u.role, ${ms(sql`u.added_at`)} as added_at,
  ${ms(sql`u.first_seen_at`)} as first_seen_at, ${ms(sql`u.removed_at`)} as removed_at, ${SUMMARY_COLUMNS}`;

function toUser(r: Record<string, unknown>): UserRecord {
  return {
    id: String(r.id),
    email: String(r.email),
    name: toText(r.name),
    role: String(r.role),
    addedAt: toDate(r.added_at),
    firstSeenAt: toDate(r.first_seen_at)!,
    removedAt: toDate(r.removed_at),
    activity: summaryOf(r),
  };
}

/**
 * Members who could fire a user rule under the policy: idle past the seat cut-off,
 * admins idle past the admin cut-off, removed members active after removal, plus the
 * ids and emails asked for (open findings' subjects, grantees, the target …).
 */
export async function loadCandidateUsers(
  ex: Executor,
  p: LoadParams,
  ids: Set<string>,
  emails: Set<string>,
): Promise<UserRecord[]> {
  const since = sql`coalesce(u.added_at, u.first_seen_at)`;
  const where = or([
    p.seatCut
      ? sql`u.removed_at is null and ${idleThrough(p.seatCut, [p.seatCountsViews ? sql`s.last_event_day` : sql`s.last_use_day`, sql`s.last_usage_day`], since)}`
      : null,
    p.adminCut
      ? sql`u.removed_at is null and u.role in ${valuesIn(ORG_ADMIN_ROLES)} and ${idleThrough(p.adminCut, [sql`s.last_admin_day`], since)}`
      : null,
    p.afterRemoval ? sql`u.removed_at is not null and (${usedAfter(sql`u.removed_at`)})` : null,
    ids.size > 0 ? sql`u.id in ${valuesIn(ids)}` : null,
    emails.size > 0 ? sql`lower(u.email) in ${valuesIn(emails)}` : null,
  ]);
  const rows = await queryRows(
    ex,
    sql`select ${USER_COLUMNS} from org_users u left join ${MERGED_SUMMARY} s on s.principal_id = u.id where ${where}`,
  );
  return rows.map(toUser);
}

export async function loadUsersById(ex: Executor, ids: Set<string>): Promise<UserRecord[]> {
  if (ids.size === 0) return [];
  const rows = await queryRows(
    ex,
    sql`select ${USER_COLUMNS} from org_users u left join ${MERGED_SUMMARY} s on s.principal_id = u.id
        where u.id in ${valuesIn(ids)}`,
  );
  return rows.map(toUser);
}

/**
 * Keys that could fire a key rule: live keys idle past the cut-off, live keys with no
 * active principal or creator (owner resolution decides), keys used after the person
 * behind them was removed, plus the ids asked for and the target's keys.
 */
export async function loadCandidateKeys(ex: Executor, p: LoadParams, ids: Set<string>): Promise<KeyRecord[]> {
  const live = sql`k.removed_at is null and k.status = 'active'`;
  const t = p.target;
  const where = or([
    p.keyCut
      ? sql`${live} and ${idleThrough(p.keyCut, [sql`s.last_event_day`, sql`s.last_usage_day`], sql`coalesce(k.created_at, k.first_seen_at)`)}`
      : null,
    p.unownedKeys
      ? sql`${live} and not ((pu.id is not null and pu.removed_at is null) or (cu.id is not null and cu.removed_at is null))`
      : null,
    p.afterRemoval ? sql`pu.removed_at is not null and (${usedAfter(sql`pu.removed_at`)})` : null,
    p.afterRemoval ? sql`pu.id is null and cu.removed_at is not null and (${usedAfter(sql`cu.removed_at`)})` : null,
    ids.size > 0 ? sql`k.id in ${valuesIn(ids)}` : null,
    t.kind === 'user' ? sql`k.principal_id = ${t.userId} or k.created_by_id = ${t.userId}` : null,
    t.kind === 'email' ? sql`lower(pu.email) = ${t.email} or lower(cu.email) = ${t.email}` : null,
    t.kind === 'workspace' ? sql`k.workspace_id = ${t.workspaceId}` : null,
  ]);
  const rows = await queryRows(
    ex,
    sql`select k.id, k.name, k.status, ${ms(sql`k.created_at`)} as created_at, k.created_by_type, k.created_by_id,
               k.principal_type, k.principal_id, k.scope_type, k.workspace_id, k.partial_key_hint,
               ${ms(sql`k.first_seen_at`)} as first_seen_at, ${ms(sql`k.removed_at`)} as removed_at, ${SUMMARY_COLUMNS}
        from api_keys k
        left join ${MERGED_SUMMARY} s on s.principal_id = k.id
        left join org_users pu on pu.org_id = k.org_id and pu.id = k.principal_id
        left join org_users cu on cu.org_id = k.org_id and cu.id = k.created_by_id
        where ${where}`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    status: String(r.status),
    createdAt: toDate(r.created_at),
    createdBy: r.created_by_id ? { type: toText(r.created_by_type) ?? 'user', id: toText(r.created_by_id)! } : null,
    principal: r.principal_id ? { type: toText(r.principal_type) ?? 'user', id: toText(r.principal_id)! } : null,
    scope: toText(r.scope_type),
    workspaceId: toText(r.workspace_id),
    hint: toText(r.partial_key_hint),
    firstSeenAt: toDate(r.first_seen_at)!,
    removedAt: toDate(r.removed_at),
    activity: summaryOf(r),
  }));
}

/** Every service account: there are few, and keys resolve their owners through them. */
export async function loadServiceAccounts(ex: Executor): Promise<ServiceAccountRecord[]> {
  const rows = await queryRows(
    ex,
    sql`select a.id, a.name, a.status, ${ms(sql`a.created_at`)} as created_at, a.created_by_id, ${ms(sql`a.removed_at`)} as removed_at, ${SUMMARY_COLUMNS}
        from service_accounts a left join ${MERGED_SUMMARY} s on s.principal_id = a.id`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    status: toText(r.status),
    createdAt: toDate(r.created_at),
    createdById: toText(r.created_by_id),
    removedAt: toDate(r.removed_at),
    activity: summaryOf(r),
  }));
}

export async function loadWorkspaces(ex: Executor): Promise<WorkspaceRecord[]> {
  const rows = await queryRows(ex, sql`select id, name, ${ms(sql`archived_at`)} as archived_at from workspaces`);
  return rows.map((r) => ({ id: String(r.id), name: String(r.name), archivedAt: toDate(r.archived_at) }));
}

/**
 * Workspace memberships: every current workspace admin (stale-admin candidates), plus
 * the memberships asked for (`workspaceId/userId`) and the target's.
 */
export async function loadMemberships(ex: Executor, p: LoadParams, pairs: Set<string>): Promise<MembershipRecord[]> {
  const t = p.target;
  const where = or([
    p.adminCut ? sql`m.removed_at is null and m.workspace_role = ${WORKSPACE_ADMIN_ROLE}` : null,
    pairs.size > 0 ? sql`(m.workspace_id || '/' || m.user_id) in ${valuesIn(pairs)}` : null,
    t.kind === 'user' ? sql`m.user_id = ${t.userId}` : null,
    t.kind === 'workspace' ? sql`m.workspace_id = ${t.workspaceId}` : null,
    t.kind === 'email'
      ? sql`(m.org_id, m.user_id) in (select org_id, id from org_users where lower(email) = ${t.email})`
      : null,
  ]);
  const rows = await queryRows(
    ex,
    sql`select m.workspace_id, m.user_id, m.workspace_role, ${ms(sql`m.first_seen_at`)} as first_seen_at, ${ms(sql`m.removed_at`)} as removed_at
        from workspace_members m where ${where}`,
  );
  return rows.map((r) => ({
    workspaceId: String(r.workspace_id),
    userId: String(r.user_id),
    role: String(r.workspace_role),
    firstSeenAt: toDate(r.first_seen_at)!,
    removedAt: toDate(r.removed_at),
  }));
}

/** Pending invites older than the cut-off, plus the ids and emails asked for. */
export async function loadInvites(
  ex: Executor,
  p: LoadParams,
  ids: Set<string>,
  emails: Set<string>,
): Promise<InviteRecord[]> {
  const where = or([
    p.inviteCut
      ? sql`i.status = 'pending' and i.removed_at is null and ${idleThrough(p.inviteCut, [], sql`coalesce(i.invited_at, i.first_seen_at)`)}`
      : null,
    ids.size > 0 ? sql`i.id in ${valuesIn(ids)}` : null,
    emails.size > 0 ? sql`lower(i.email) in ${valuesIn(emails)}` : null,
  ]);
  const rows = await queryRows(
    ex,
    sql`select i.id, i.email, i.role, i.status, ${ms(sql`i.invited_at`)} as invited_at, ${ms(sql`i.expires_at`)} as expires_at,
               ${ms(sql`i.first_seen_at`)} as first_seen_at, ${ms(sql`i.removed_at`)} as removed_at
        from invites i where ${where}`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    email: String(r.email),
    role: String(r.role),
    status: String(r.status),
    invitedAt: toDate(r.invited_at),
    expiresAt: toDate(r.expires_at),
    firstSeenAt: toDate(r.first_seen_at)!,
    removedAt: toDate(r.removed_at),
  }));
}

/**
 * The recent daily counts of the principals that were loaded, fetched by id after the
 * candidate queries so those queries never carry the jsonb of every principal.
 */
export async function loadRecentCounts(
  ex: Executor,
  ids: Set<string>,
): Promise<Map<string, { events: Record<string, number>; usage: Record<string, [number, number]> }>> {
  const out = new Map<string, { events: Record<string, number>; usage: Record<string, [number, number]> }>();
  if (ids.size === 0) return out;
  const rows = await queryRows(
    ex,
    sql`select principal_id, events, usage from principal_activity_recent where principal_id in ${valuesIn(ids)}`,
  );
  // A principal has a row per organisation (and '' for activity naming none): summed day by day.
  for (const r of rows) {
    const id = String(r.principal_id);
    const had = out.get(id) ?? { events: {}, usage: {} };
    for (const [day, n] of Object.entries(jsonOf<Record<string, number>>(r.events)))
      had.events[day] = (had.events[day] ?? 0) + n;
    for (const [day, [a, b]] of Object.entries(jsonOf<Record<string, [number, number]>>(r.usage))) {
      const [x, y] = had.usage[day] ?? [0, 0];
      had.usage[day] = [x + a, y + b];
    }
    out.set(id, had);
  }
  return out;
}
