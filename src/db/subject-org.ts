import { sql, type SQL } from 'drizzle-orm';

/**
 * The organisation of a finding's subject (issue 17), looked up in the directory row it names:
 * `type` and `id` are SQL expressions for the subject's type and id. A live row is preferred to
 * a removed one; '' when the directory does not know it (yet).
 */
export function subjectOrgSql(type: SQL, id: SQL): SQL {
  const pick = (table: string, where: SQL) =>
    sql`(select x.org_id from ${sql.raw(table)} x where ${where} order by (x.removed_at is null) desc, x.last_seen_at desc limit 1)`;
  return sql`coalesce(case ${type}
      when 'user' then ${pick('org_users', sql`x.id = ${id}`)}
      when 'api_key' then ${pick('api_keys', sql`x.id = ${id}`)}
      when 'service_account' then ${pick('service_accounts', sql`x.id = ${id}`)}
      when 'invite' then ${pick('invites', sql`x.id = ${id}`)}
      when 'workspace_member' then ${pick('workspace_members', sql`x.workspace_id || '/' || x.user_id = ${id}`)}
    end, '')`;
}
