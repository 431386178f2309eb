import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Tx } from '../../db/types.js';
import { membershipId } from '../../domain/findings.js';
import { ORG_ADMIN_ROLES, WORKSPACE_ADMIN_ROLE } from '../../domain/roles.js';
import { keyRow, keySelect, txt, type NewAttestation } from './key-rows.js';

const iso = (d: Date) => d.toISOString();
const roleList = sql.join(
  ORG_ADMIN_ROLES.map((r) => sql`${r}`),
  sql`, `,
);

/** One access that existed before the baseline, with the time it dates from (oldest is asked first). */
interface Candidate {
  since: number;
  row: NewAttestation;
}

/**
 * `lifecycle.attest_existing_per_day`: access that existed before Steward's baseline joins
 * the attestation requests in small daily batches — API keys, org admin/owner roles and
 * workspace admin roles, one budget for all three per UTC day, oldest first (a key's
 * creation, a member's joining, else when Steward first saw it). Never twice: a subject
 * with an attestation row is not a candidate again.
 */
export async function existingAccess(tx: Tx, baseline: Date, now: Date, perDay: number): Promise<NewAttestation[]> {
  const day = iso(now).slice(0, 10);
  const [done] = await queryRows<{ n: unknown }>(
    tx,
    sql`select count(*) as n from attestations where origin = 'existing' and requested_at >= ${day}::date
          and requested_at < ${day}::date + 1`,
  );
  const left = perDay - Number(done?.n ?? 0);
  if (left <= 0) return [];
  const candidates: Candidate[] = [
    ...(await existingKeys(tx, baseline, now, left)),
    ...(await existingOrgAdmins(tx, baseline, now, left)),
    ...(await existingWorkspaceAdmins(tx, baseline, now, left)),
  ];
  candidates.sort((a, b) => a.since - b.since);
  return candidates.slice(0, left).map((c) => c.row);
}

const since = (v: unknown) => new Date(v as string | Date).getTime();

async function existingKeys(tx: Tx, baseline: Date, now: Date, limit: number): Promise<Candidate[]> {
  const rows = await queryRows(tx, keySelect(sql`k.first_seen_at <= ${iso(baseline)}::timestamptz`, limit));
  return rows.map((r) => {
    const row = keyRow(r, now, 'existing');
    return { since: row.accessCreatedAt?.getTime() ?? since(r.first_seen_at), row };
  });
}

/**
 * Who answers for a role held before Steward: whoever the activity feed last names as
 * granting it, else the holder (nobody else knows what it is for).
 */
const granterOf = (
  grantee: ReturnType<typeof sql>,
  type: string,
  org: ReturnType<typeof sql>,
  workspace: ReturnType<typeof sql> | null = null,
) =>
  // A grant in the holder's organisation, or in activity that named none (issue 17).
  sql`left join lateral (select g.actor_id from privilege_grants g
        where g.grantee_type = ${type} and g.grantee_id = ${grantee} and g.actor_id is not null
          and g.org_id in (${org}, '')
          ${workspace ? sql`and g.workspace_id = ${workspace}` : sql``}
        order by g.granted_at desc limit 1) gr on true
      left join org_users au on au.org_id = ${org} and au.id = gr.actor_id`;

async function existingOrgAdmins(tx: Tx, baseline: Date, now: Date, limit: number): Promise<Candidate[]> {
  const rows = await queryRows(
    tx,
    sql`select u.org_id, u.id, u.email, u.role, coalesce(u.added_at, u.first_seen_at) as since, au.id as granter_id, au.email as granter_email
        from org_users u ${granterOf(sql`u.id`, 'user', sql`u.org_id`)}
        where u.removed_at is null and u.role in (${roleList}) and u.first_seen_at <= ${iso(baseline)}::timestamptz
          and not exists (select 1 from attestations a where a.org_id = u.org_id and a.subject_type = 'user' and a.subject_id = u.id)
        order by coalesce(u.added_at, u.first_seen_at), u.id limit ${limit}`,
  );
  return rows.map((r) => ({
    since: since(r.since),
    row: {
      ...asker(r, String(r.id), txt(r.email), now),
      orgId: txt(r.org_id) ?? '',
      subjectType: 'user',
      subjectId: String(r.id),
      accessKind: 'org_admin',
      role: txt(r.role),
      label: txt(r.email) ?? String(r.id),
      accessCreatedAt: new Date(r.since as string | Date),
    },
  }));
}

async function existingWorkspaceAdmins(tx: Tx, baseline: Date, now: Date, limit: number): Promise<Candidate[]> {
  const rows = await queryRows(
    tx,
    sql`select m.org_id, m.workspace_id, m.user_id, m.first_seen_at as since, u.email, w.name as workspace_name,
               au.id as granter_id, au.email as granter_email
        from workspace_members m
        join org_users u on u.org_id = m.org_id and u.id = m.user_id and u.removed_at is null
        left join workspaces w on w.org_id = m.org_id and w.id = m.workspace_id
        ${granterOf(sql`m.user_id`, 'workspace_member', sql`m.org_id`, sql`m.workspace_id`)}
        where m.removed_at is null and m.workspace_role = ${WORKSPACE_ADMIN_ROLE}
          and m.first_seen_at <= ${iso(baseline)}::timestamptz
          and not exists (select 1 from attestations a where a.org_id = m.org_id and a.subject_type = 'workspace_member'
                          and a.subject_id = m.workspace_id || '/' || m.user_id)
        order by m.first_seen_at, m.workspace_id, m.user_id limit ${limit}`,
  );
  return rows.map((r) => {
    const workspaceId = String(r.workspace_id);
    const email = txt(r.email);
    return {
      since: since(r.since),
      row: {
        ...asker(r, String(r.user_id), email, now),
        orgId: txt(r.org_id) ?? '',
        subjectType: 'workspace_member',
        subjectId: membershipId(workspaceId, String(r.user_id)),
        accessKind: 'workspace_admin',
        role: WORKSPACE_ADMIN_ROLE,
        workspaceId,
        label: `${email ?? String(r.user_id)} in ${txt(r.workspace_name) ?? workspaceId}`,
        accessCreatedAt: null,
      },
    };
  });
}

function asker(r: Record<string, unknown>, holderId: string, holderEmail: string | null, now: Date) {
  const granter = txt(r.granter_id);
  return {
    creatorUserId: granter ?? holderId,
    creatorEmail: granter ? txt(r.granter_email) : holderEmail,
    askedVia: granter ? 'granter' : 'holder',
    origin: 'existing',
    requestedAt: now,
  } as const;
}
