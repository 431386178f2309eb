import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';
import { dayStart } from '../days.js';
import { DIRECTORY_PRINCIPAL_TYPES } from '../../domain/roles.js';
import { type ActorRecord, type GrantRecord, type SpikeCandidate } from '../types.js';
import { membershipId } from '../../domain/findings.js';
import type { LoadParams } from './params.js';
import {
  activityRowsOf,
  mergedSummaries,
  ms,
  orgIs,
  SUMMARY_COLUMNS,
  summaryJoin,
  summaryOf,
  toDate,
  toNumber,
  toText,
  valuesIn,
} from './sql.js';

/**
 * Key-days in the spike window above the floor and above factor × their trailing
 * mean: each candidate day's baseline is summed through the primary key, so the cost
 * is the number of busy key-days, not the history.
 */
export async function loadSpikeCandidates(ex: Executor, p: LoadParams): Promise<SpikeCandidate[]> {
  const s = p.spike;
  if (!s) return [];
  const rows = await queryRows(
    ex,
    sql`with c as (
          select k.org_id, k.api_key_id, k.day, k.requests
          from key_usage_daily k
          where ${orgIs('k.org_id', p.org)} and k.day >= ${s.from}::date and k.day <= ${p.today}::date and k.requests > ${s.floor}
        ), b as (
          select c.org_id, c.api_key_id, c.day, c.requests,
                 coalesce((select sum(h.requests) from key_usage_daily h
                           where h.org_id = c.org_id and h.api_key_id = c.api_key_id and h.day >= c.day - ${s.baselineDays}::int and h.day < c.day), 0) as baseline_sum
          from c
        )
        select api_key_id, day::text as day, requests::float8 as requests, baseline_sum::float8 as baseline_sum
        from b where b.requests > ${s.factor}::float8 * b.baseline_sum / ${s.baselineDays}::float8`,
  );
  return rows.map((r) => ({
    keyId: String(r.api_key_id),
    day: String(r.day),
    requests: toNumber(r.requests),
    baselineSum: toNumber(r.baseline_sum),
  }));
}

/**
 * Principals active since the window start that no directory table lists: the summary
 * marks them (`in_directory`, kept by triggers), and a partial index holds only them.
 * Per organisation (issue 17): in X's pass, an (X, P) row X's directory does not list, and,
 * in the pass that reports them (`orglessActors`), a ('', P) row (activity naming no
 * organisation) that no organisation's directory lists; either shown with P's activity as the
 * pass sees it. The unidentified pass ('') merges every row of P, as before issue 17.
 * An Admin API key is `admin_api_key_X` in `admin_api_key_actor` and `apikey_X` (same suffix)
 * when it acts as an `api_actor` (its feed reads; issue 13 reports this of the live feed): one
 * credential, which the directory never lists (admin keys are not in the key listing). So an
 * `apikey_X` whose `admin_api_key_X` the feed has named is that admin key, never unknown.
 */
/** Where the suffix of `apikey_X` starts (1-based, for SQL substr). */
const ADMIN_SUFFIX_AT = 'apikey_'.length + 1;

export async function loadActorsNotInDirectory(ex: Executor, p: LoadParams): Promise<ActorRecord[]> {
  const unidentified = p.org === null || p.org === '';
  if (!p.orglessActors && unidentified) return [];
  const candidates = sql`select principal_id from principal_activity_summary where not in_directory`;
  const from = unidentified
    ? sql`(${mergedSummaries(sql`principal_id in (${candidates})`)}) s where not s.in_directory`
    : sql`(${candidates} and (org_id = ${p.org} ${p.orglessActors ? orglessOnlyHere(p.org ?? '') : sql``}) group by principal_id) c
          ${summaryJoin(sql`c.principal_id`, p.org, false)} where true`;
  const rows = await queryRows(
    ex,
    sql`select s.principal_id, s.principal_type, ${SUMMARY_COLUMNS}
        from ${from}
          and (s.last_event_at >= ${dayStart(p.windowStart).toISOString()}::timestamptz or s.last_usage_day >= ${p.windowStart}::date)
          and s.principal_type in ${valuesIn(DIRECTORY_PRINCIPAL_TYPES)}
          -- An admin key is never listed, so its rows are in the partial index too.
          and not (s.principal_id like 'apikey\_%' and exists (
            select 1 from principal_activity_summary a
            where not a.in_directory and a.principal_id = 'admin_api_key_' || substr(s.principal_id, ${ADMIN_SUFFIX_AT}::int)))`,
  );
  return rows.map((r) => ({ id: String(r.principal_id), type: String(r.principal_type), activity: summaryOf(r)! }));
}

/**
 * The org-less rows the first organisation reports: not those of an actor that another
 * organisation's activity also names while no directory lists it, since that organisation's
 * pass reports it, with the org-less activity merged into its evidence (one finding, not two).
 */
function orglessOnlyHere(org: string) {
  return sql`or (org_id = '' and not exists (
      select 1 from principal_activity_summary o
      where o.principal_id = principal_activity_summary.principal_id and o.org_id not in ('', ${org}) and not o.in_directory))`;
}

export async function loadRecentGrants(ex: Executor, p: LoadParams): Promise<GrantRecord[]> {
  const rows = await queryRows(
    ex,
    sql`select id, ${ms(sql`granted_at`)} as granted_at, activity_type, grantee_type, grantee_id, workspace_id, role, previous_role, actor_type, actor_id
        from privilege_grants where ${activityRowsOf('org_id', p.org)} and granted_at >= ${dayStart(p.windowStart).toISOString()}::timestamptz
        order by granted_at, id`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    grantedAt: toDate(r.granted_at)!,
    activityType: String(r.activity_type),
    granteeType: String(r.grantee_type),
    granteeId: String(r.grantee_id),
    workspaceId: toText(r.workspace_id),
    role: toText(r.role),
    previousRole: toText(r.previous_role),
    actorType: toText(r.actor_type),
    actorId: toText(r.actor_id),
  }));
}

/** When each person last got an org role or a workspace role, all time (keyed like subjects). */
export async function loadLastGrants(ex: Executor, p: LoadParams): Promise<Map<string, Date>> {
  const rows = await queryRows(
    ex,
    sql`select grantee_type, grantee_id, workspace_id, ${ms(sql`max(granted_at)`)} as at
        from privilege_grants where ${activityRowsOf('org_id', p.org)} and grantee_type in ('user', 'workspace_member')
        group by grantee_type, grantee_id, workspace_id`,
  );
  const out = new Map<string, Date>();
  for (const r of rows) {
    const key =
      r.grantee_type === 'workspace_member' && r.workspace_id
        ? membershipId(toText(r.workspace_id)!, String(r.grantee_id))
        : String(r.grantee_id);
    out.set(key, toDate(r.at)!);
  }
  return out;
}

/** Which of these ids any organisation's directory lists (users, keys, service accounts). */
export async function loadListedAnywhere(ex: Executor, ids: Set<string>): Promise<Set<string>> {
  if (ids.size === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    ex,
    sql`select id from org_users where id in ${valuesIn(ids)}
        union select id from api_keys where id in ${valuesIn(ids)}
        union select id from service_accounts where id in ${valuesIn(ids)}`,
  );
  return new Set(rows.map((r) => String(r.id)));
}

/** The last directory listing (of the pass's organisation): the latest `last_seen_at` any sync stamped. */
export async function loadDirectorySyncedAt(ex: Executor, p: LoadParams): Promise<Date | null> {
  const last = (table: string) =>
    sql`(select max(last_seen_at) from ${sql.raw(table)} where ${orgIs('org_id', p.org)})`;
  const rows = await queryRows(
    ex,
    sql`select ${ms(sql`greatest(${last('org_users')}, ${last('api_keys')}, ${last('service_accounts')})`)} as at`,
  );
  return toDate(rows[0]?.at);
}
