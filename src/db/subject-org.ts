import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from './client.js';
import type { Executor } from './types.js';

/**
 * The organisation of a finding's subject (issue 17), looked up in the directory row it names:
 * `type` and `id` are SQL expressions for the subject's type and id. A live row is preferred to
 * a removed one; '' when the directory does not know it (yet). The inner alias is `so_`, so
 * the caller's own aliases never shadow it.
 */
export function subjectOrgSql(type: SQL, id: SQL): SQL {
  const pick = (table: string, where: SQL) =>
    sql`(select so_.org_id from ${sql.raw(table)} so_ where ${where} order by (so_.removed_at is null) desc, so_.last_seen_at desc limit 1)`;
  return sql`coalesce(case ${type}
      when 'user' then ${pick('org_users', sql`so_.id = ${id}`)}
      when 'api_key' then ${pick('api_keys', sql`so_.id = ${id}`)}
      when 'service_account' then ${pick('service_accounts', sql`so_.id = ${id}`)}
      when 'invite' then ${pick('invites', sql`so_.id = ${id}`)}
      when 'workspace_member' then ${pick('workspace_members', sql`so_.workspace_id || '/' || so_.user_id = ${id}`)}
    end, '')`;
}

/**
 * Every subject of one organisation, named by its id or its name (`org:<id or name>`, issue 17),
 * as `type:id` keys; null when no organisation has that id or name.
 */
export async function orgSubjects(
  ex: Executor,
  idOrName: string,
): Promise<{ id: string; name: string; subjects: Set<string> } | null> {
  const [org] = await queryRows<{ id: string; name: string }>(
    ex,
    sql`select id, name from organizations where id = ${idOrName} or lower(name) = lower(${idOrName})
        order by (id = ${idOrName}) desc limit 1`,
  );
  if (!org) return null;
  const rows = await queryRows<{ k: string }>(
    ex,
    sql`select 'user:' || id as k from org_users where org_id = ${org.id}
        union all select 'api_key:' || id from api_keys where org_id = ${org.id}
        union all select 'service_account:' || id from service_accounts where org_id = ${org.id}
        union all select 'invite:' || id from invites where org_id = ${org.id}
        union all select 'workspace_member:' || workspace_id || '/' || user_id from workspace_members where org_id = ${org.id}`,
  );
  return { id: org.id, name: org.name, subjects: new Set(rows.map((r) => r.k)) };
}

/**
 * The organisation of each subject (`type:id` → its id and name; '' and null when unknown),
 * and whether Steward knows several organisations (then items are labelled with theirs).
 */
export async function subjectOrgs(
  ex: Executor,
  subjects: ReadonlyArray<{ type: string; id: string }>,
): Promise<{ of: Map<string, { id: string; name: string | null }>; several: boolean }> {
  const of = new Map<string, { id: string; name: string | null }>();
  const [count] = await queryRows<{ n: number }>(ex, sql`select count(*)::int as n from organizations`);
  if (subjects.length === 0) return { of, several: Number(count?.n ?? 0) > 1 };
  const rows = await queryRows<{ k: string; org_id: string; name: string | null }>(
    ex,
    sql`select s.type || ':' || s.id as k, s.org_id, o.name
        from (select r.type, r.id, ${subjectOrgSql(sql.raw('r.type'), sql.raw('r.id'))} as org_id
              from jsonb_to_recordset(${JSON.stringify(subjects.map((s) => ({ type: s.type, id: s.id })))}::jsonb)
                as r(type text, id text)) s
        left join organizations o on o.id = s.org_id`,
  );
  for (const r of rows) of.set(r.k, { id: r.org_id, name: r.name });
  return { of, several: Number(count?.n ?? 0) > 1 };
}
