import { sql } from 'drizzle-orm';
import { appendAudit } from '../../audit/append.js';
import { queryRows } from '../../db/client.js';
import { attestations } from '../../db/schema/index.js';
import type { Tx } from '../../db/types.js';
import { membershipId } from '../../domain/findings.js';
import { ORG_ADMIN_ROLES, WORKSPACE_ADMIN_ROLE } from '../../domain/roles.js';
import { attestBaseline } from './baseline.js';
import { existingAccess } from './existing.js';
import { keyRow, keySelect, txt, type NewAttestation } from './key-rows.js';
import type { AttestDeps } from './deps.js';

// Serialises discovery across replicas (the insert is idempotent anyway; this keeps audit rows single).
const DISCOVER_LOCK = 0x5737_a7e5;

/**
 * Finds access created after the baseline that has no approval record yet — API keys,
 * org admin/owner roles, workspace admins and admin API keys — and records who must
 * attest it: the key's creator (a service account's key: that account's owner), or
 * whoever granted the role (the activity feed's actor). With
 * `lifecycle.attest_existing_per_day` above 0, that many accesses from before the baseline
 * (keys and roles, `existing.ts`) join each UTC day.
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
    if (perDay > 0) rows.push(...(await existingAccess(tx, baseline, now, perDay)));
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
        ...(row.orgId ? { orgId: row.orgId } : {}),
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

async function newKeys(tx: Tx, baseline: Date, now: Date): Promise<NewAttestation[]> {
  const rows = await queryRows(tx, keySelect(sql`k.first_seen_at > ${iso(baseline)}::timestamptz`, null));
  return rows.map((r) => keyRow(r, now, 'new'));
}

/** Roles granted after the baseline, by whoever the activity feed names as the actor. */
async function newGrants(tx: Tx, baseline: Date, now: Date): Promise<NewAttestation[]> {
  const rows = await queryRows(
    tx,
    sql`select coalesce(u.org_id, nullif(g.org_id, ''), w.org_id, '') as org_id, g.grantee_type, g.grantee_id, g.workspace_id, g.granted_at,
               coalesce(g.role, case when g.grantee_type = 'user' then u.role else m.workspace_role end) as role,
               g.actor_id, au.email as actor_email, u.email as grantee_email, w.name as workspace_name
        from privilege_grants g
        -- The grantee in the grant's organisation (issue 17); a grant naming none: wherever listed.
        left join org_users u on u.id = g.grantee_id and g.org_id in (u.org_id, '')
        left join workspace_members m on m.workspace_id = g.workspace_id and m.user_id = g.grantee_id
          and m.org_id = coalesce(u.org_id, g.org_id)
        left join workspaces w on w.id = g.workspace_id and g.org_id in (w.org_id, '')
        left join org_users au on au.id = g.actor_id and au.org_id = coalesce(u.org_id, g.org_id)
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
      orgId: txt(r.org_id) ?? '',
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
    const k = `${a.orgId ?? ''}:${a.subjectType}:${a.subjectId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
