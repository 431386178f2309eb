import { sql } from 'drizzle-orm';
import type { attestations } from '../../db/schema/index.js';

export type NewAttestation = typeof attestations.$inferInsert;

/** A text column, or null (ids, names and emails are text in every table read here). */
export const txt = (v: unknown): string | null =>
  typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v);

export function keySelect(where: ReturnType<typeof sql>, limit: number | null) {
  // A service account's key goes to the account's owner: an override, else a claim, else its creator.
  return sql`select k.org_id, k.id, k.name, k.created_at, k.first_seen_at, k.created_by_type, k.created_by_id, k.workspace_id, k.partial_key_hint,
        cu.email as creator_email,
        coalesce(oo.owner_email, cl.claimed_by_email, sau.email) as sa_owner_email,
        coalesce(oo.owner_slack_id, cl.claimed_by_slack_id) as sa_owner_slack_id,
        coalesce(cl.claimed_by_user_id, sa.created_by_id) as sa_owner_user_id
      from api_keys k
      left join org_users cu on cu.org_id = k.org_id and cu.id = k.created_by_id
      left join service_accounts sa on sa.org_id = k.org_id and sa.id = k.created_by_id
      left join owner_overrides oo on oo.subject_type = 'service_account' and oo.subject_id = sa.id
      left join lateral (select claimed_by_email, claimed_by_slack_id, claimed_by_user_id from claims c
                         where c.subject_type = 'service_account' and c.subject_id = sa.id
                         order by claimed_at desc limit 1) cl on true
      left join org_users sau on sau.org_id = sa.org_id and sau.id = sa.created_by_id
      where k.removed_at is null and k.status = 'active' and ${where}
        and not exists (select 1 from attestations a where a.org_id = k.org_id and a.subject_type = 'api_key' and a.subject_id = k.id)
      order by coalesce(k.created_at, k.first_seen_at), k.id ${limit === null ? sql`` : sql`limit ${limit}`}`;
}

export function keyRow(r: Record<string, unknown>, now: Date, origin: 'new' | 'existing'): NewAttestation {
  const bySa = r.sa_owner_email !== null || r.sa_owner_slack_id !== null || r.sa_owner_user_id !== null;
  const isSa = (txt(r.created_by_type) ?? '').startsWith('service_account') && bySa;
  return {
    orgId: txt(r.org_id) ?? '',
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
