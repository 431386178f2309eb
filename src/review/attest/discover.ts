import { sql } from 'drizzle-orm';
import { appendAudit } from '../../audit/append.js';
import { queryRows } from '../../db/client.js';
import { attestations } from '../../db/schema/index.js';
import type { Tx } from '../../db/types.js';
import { membershipId } from '../../domain/findings.js';
import { ORG_ADMIN_ROLES, WORKSPACE_ADMIN_ROLE } from '../../domain/roles.js';
import { attestBaseline } from './baseline.js';
import type { AttestDeps } from './deps.js';

type NewAttestation = typeof attestations.$inferInsert;

// Serialises discovery across replicas (the insert is idempotent anyway; this keeps audit rows single).
const DISCOVER_LOCK = 0x5737_a7e5;

/**
 * Finds access created after the baseline that has no approval record yet — API keys,
 * org admin/owner roles, workspace admins and admin API keys — and records who must
 * attest it: the key's creator (a service account's key: that account's owner), or
 * whoever granted the role (the activity feed's actor). With
 * `lifecycle.attest_existing_per_day` above 0, that many keys from before the baseline
 * join each UTC day.
 */
export async function discoverNewAccess(deps: AttestDeps): Promise<{ requested: number }> {
  const policy = deps.policy.policy;
  if (!policy.lifecycle.attest) return { requested: 0 };
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DISCOVER_LOCK})`);
    const baseline = await attestBaseline(tx, now);
    if (!baseline) return { requested: 0 };
    const rows = [...(await newKeys(tx, baseline, now)), ...(await newGrants(tx, baseline, now))];
    const perDay = policy.lifecycle.attest_existing_per_day;
    if (perDay > 0) rows.push(...(await existingKeys(tx, baseline, now, perDay)));
    let requested = 0;
    for (const row of rows) {
      const inserted = await tx
        .insert(attestations)
        .values(row)
        .onConflictDoNothing()
        .returning({ id: attestations.id });
      if (!inserted[0]) continue;
      requested++;
      await appendAudit(tx, {
        actor: { type: 'system', job: 'attest' },
        action: 'attestation.requested',
        subject: { type: row.subjectType, id: row.subjectId },
        outcome: row.creatorEmail || row.requestedSlackId ? 'requested' : 'nobody_to_ask',
        details: {
          attestationId: inserted[0].id,
          accessKind: row.accessKind,
          label: row.label,
          askedVia: row.askedVia,
          creatorUserId: row.creatorUserId,
          origin: row.origin,
        },
        policyVersion: deps.policy.version,
        at: now,
      });
    }
    return { requested };
  });
}

const iso = (d: Date) => d.toISOString();

/** A text column, or null (ids, names and emails are text in every table read here). */
const txt = (v: unknown): string | null =>
  typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v);

function keySelect(where: ReturnType<typeof sql>, limit: number | null) {
  // A service account's key goes to the account's owner: an override, else a claim, else its creator.
  return sql`select k.id, k.name, k.created_at, k.created_by_type, k.created_by_id, k.workspace_id, k.partial_key_hint,
        cu.email as creator_email,
        coalesce(oo.owner_email, cl.claimed_by_email, sau.email) as sa_owner_email,
        coalesce(oo.owner_slack_id, cl.claimed_by_slack_id) as sa_owner_slack_id,
        coalesce(cl.claimed_by_user_id, sa.created_by_id) as sa_owner_user_id
      from api_keys k
      left join org_users cu on cu.id = k.created_by_id
      left join service_accounts sa on sa.id = k.created_by_id
      left join owner_overrides oo on oo.subject_type = 'service_account' and oo.subject_id = sa.id
      left join lateral (select claimed_by_email, claimed_by_slack_id, claimed_by_user_id from claims c
                         where c.subject_type = 'service_account' and c.subject_id = sa.id
                         order by claimed_at desc limit 1) cl on true
      left join org_users sau on sau.id = sa.created_by_id
      where k.removed_at is null and k.status = 'active' and ${where}
        and not exists (select 1 from attestations a where a.subject_type = 'api_key' and a.subject_id = k.id)
      order by k.first_seen_at, k.id ${limit === null ? sql`` : sql`limit ${limit}`}`;
}

function keyRow(r: Record<string, unknown>, now: Date, origin: 'new' | 'existing'): NewAttestation {
  const bySa = r.sa_owner_email !== null || r.sa_owner_slack_id !== null || r.sa_owner_user_id !== null;
  const isSa = (txt(r.created_by_type) ?? '').startsWith('service_account') && bySa;
  return {
    subjectType: 'api_key',
    subjectId: String(r.id),
    accessKind: 'api_key',
    label: r.partial_key_hint ? `${txt(r.name)} (${txt(r.partial_key_hint)})` : (txt(r.name) ?? String(r.id)),
    workspaceId: (r.workspace_id as string | null) ?? null,
    accessCreatedAt: r.created_at ? new Date(r.created_at as string) : null,
    creatorUserId: isSa
      ? ((r.sa_owner_user_id as string | null) ?? null)
      : ((r.created_by_id as string | null) ?? null),
    creatorEmail: isSa ? ((r.sa_owner_email as string | null) ?? null) : ((r.creator_email as string | null) ?? null),
    requestedSlackId: isSa ? ((r.sa_owner_slack_id as string | null) ?? null) : null,
    askedVia: isSa ? 'service_account_owner' : 'creator',
    origin,
    requestedAt: now,
  };
}

async function newKeys(tx: Tx, baseline: Date, now: Date): Promise<NewAttestation[]> {
  const rows = await queryRows(tx, keySelect(sql`k.first_seen_at > ${iso(baseline)}::timestamptz`, null));
  return rows.map((r) => keyRow(r, now, 'new'));
}

async function existingKeys(tx: Tx, baseline: Date, now: Date, perDay: number): Promise<NewAttestation[]> {
  const day = iso(now).slice(0, 10);
  const [done] = await queryRows<{ n: unknown }>(
    tx,
    sql`select count(*) as n from attestations where origin = 'existing' and requested_at >= ${day}::date
          and requested_at < ${day}::date + 1`,
  );
  const left = perDay - Number(done?.n ?? 0);
  if (left <= 0) return [];
  const rows = await queryRows(tx, keySelect(sql`k.first_seen_at <= ${iso(baseline)}::timestamptz`, left));
  return rows.map((r) => keyRow(r, now, 'existing'));
}

/** Roles granted after the baseline, by whoever the activity feed names as the actor. */
async function newGrants(tx: Tx, baseline: Date, now: Date): Promise<NewAttestation[]> {
  const rows = await queryRows(
    tx,
    sql`select g.grantee_type, g.grantee_id, g.workspace_id, g.granted_at,
               coalesce(g.role, case when g.grantee_type = 'user' then u.role else m.workspace_role end) as role,
               g.actor_id, au.email as actor_email, u.email as grantee_email, w.name as workspace_name
        from privilege_grants g
        left join org_users u on u.id = g.grantee_id
        left join workspace_members m on m.workspace_id = g.workspace_id and m.user_id = g.grantee_id
        left join workspaces w on w.id = g.workspace_id
        left join org_users au on au.id = g.actor_id
        where g.granted_at > ${iso(baseline)}::timestamptz
        order by g.granted_at, g.id`,
  );
  const out: NewAttestation[] = [];
  for (const r of rows) {
    const role = (r.role as string | null) ?? null;
    const base = {
      accessCreatedAt: new Date(r.granted_at as string),
      creatorUserId: (r.actor_id as string | null) ?? null,
      creatorEmail: (r.actor_email as string | null) ?? null,
      askedVia: 'granter',
      origin: 'new',
      requestedAt: now,
      role,
    };
    const grantee = String(r.grantee_id);
    if (r.grantee_type === 'user' && role && ORG_ADMIN_ROLES.includes(role))
      out.push({
        ...base,
        subjectType: 'user',
        subjectId: grantee,
        accessKind: 'org_admin',
        label: txt(r.grantee_email) ?? grantee,
      });
    else if (r.grantee_type === 'workspace_member' && role === WORKSPACE_ADMIN_ROLE && r.workspace_id)
      out.push({
        ...base,
        subjectType: 'workspace_member',
        subjectId: membershipId(txt(r.workspace_id)!, grantee),
        accessKind: 'workspace_admin',
        workspaceId: txt(r.workspace_id),
        label: `${txt(r.grantee_email) ?? grantee} in ${txt(r.workspace_name) ?? txt(r.workspace_id)}`,
      });
    else if (r.grantee_type === 'admin_api_key')
      out.push({ ...base, subjectType: 'admin_api_key', subjectId: grantee, accessKind: 'admin_key', label: grantee });
  }
  // One grant per subject: the first after the baseline asks; later ones find the row there.
  const seen = new Set<string>();
  return out.filter((a) => {
    const k = `${a.subjectType}:${a.subjectId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
