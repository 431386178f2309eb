import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';

/**
 * The tables whose rows carry their organisation (issue 17), each with the columns that,
 * with `org_id`, make a row unique, and when that uniqueness applies (a partial index).
 */
const TABLES: ReadonlyArray<{ table: string; keys: readonly string[]; when?: string }> = [
  { table: 'org_users', keys: ['id'] },
  { table: 'invites', keys: ['id'] },
  { table: 'workspaces', keys: ['id'] },
  { table: 'workspace_members', keys: ['workspace_id', 'user_id'] },
  { table: 'service_accounts', keys: ['id'] },
  { table: 'api_keys', keys: ['id'] },
  { table: 'key_usage_daily', keys: ['api_key_id', 'day'] },
  { table: 'seat_usage_daily', keys: ['user_id', 'day'] },
  { table: 'claude_code_daily', keys: ['principal_id', 'day'] },
  { table: 'findings', keys: ['fingerprint'] },
  { table: 'review_items', keys: ['fingerprint'], when: `status in ('pending', 'open')` },
  { table: 'outbox_actions', keys: [] },
  { table: 'removal_holds', keys: ['listing'], when: `status = 'pending'` },
  { table: 'attestations', keys: ['subject_type', 'subject_id'] },
  { table: 'claims', keys: [] },
  { table: 'campaign_items', keys: ['campaign_id', 'access_kind', 'subject_type', 'subject_id'] },
];

/**
 * Rows written before their organisation was known (org_id '': everything from before
 * issue 17, and anything written before the first check) adopt the first organisation
 * identified, in the caller's transaction, with one `organization.adopted` audit row saying
 * how many of each. A row whose twin already carries the organisation is left as it is (no
 * row is lost, none collides).
 */
export async function adoptUnidentifiedRows(
  tx: Executor,
  org: { id: string; name: string },
  at: Date,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table, keys, when } of TABLES) {
    const t = sql.raw(table);
    const update = keys.length
      ? sql`update ${t} set org_id = ${org.id} where org_id = '' and not exists (
              select 1 from ${t} d where d.org_id = ${org.id} and ${sql.raw(
                keys.map((k) => `d.${k} = ${table}.${k}`).join(' and '),
              )} ${sql.raw(when ? `and d.${when} and ${table}.${when}` : '')}) returning 1`
      : sql`update ${t} set org_id = ${org.id} where org_id = '' returning 1`;
    // Counted in the database: a large table's rows never travel back.
    const [row] = await queryRows<{ n: number }>(tx, sql`with u as (${update}) select count(*)::int as n from u`);
    const n = Number(row?.n ?? 0);
    if (n) counts[table] = n;
  }
  if (Object.keys(counts).length) {
    await appendAudit(tx, {
      actor: { type: 'system', job: 'sync' },
      action: 'organization.adopted',
      subject: { type: 'organization', id: org.id },
      outcome: 'adopted',
      orgId: org.id,
      details: { organization: org.name, rows: counts, why: 'rows from before their organisation was identified' },
      at,
    });
  }
  return counts;
}
