import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Evidence } from '../../domain/evidence.js';
import type { CampaignDeps } from './deps.js';
import { accessKey, type CampaignAccess, type OpenReviewRef } from './rules.js';

/** What opening a campaign reads before its transaction: Slack ids, open reviews, last certifications. */

/**
 * Owners' and holders' Slack ids, each email looked up once (the lookup is cached; many at
 * once go through one workspace listing).
 */
export async function slackIdsOf(deps: CampaignDeps, accesses: CampaignAccess[]): Promise<Map<string, string | null>> {
  const emails = [
    ...new Set(
      accesses
        .filter((a) => !a.evidence.owner.slackId && a.evidence.owner.email)
        .map((a) => a.evidence.owner.email!.toLowerCase()),
    ),
  ];
  return emails.length === 0 ? new Map() : deps.slack.slackIdsForEmails(emails);
}

/** Every undecided review, as the join rule reads it. */
export async function openReviews(deps: CampaignDeps): Promise<OpenReviewRef[]> {
  const rows = await queryRows<{
    id: string;
    org_id: string;
    kind: string;
    evidence: unknown;
    assignee_slack_id: string | null;
  }>(
    deps.db,
    sql`select id::text as id, org_id, kind, evidence_shown as evidence, assignee_slack_id
        from review_items where status in ('pending', 'open') and evidence_shown is not null`,
  );
  return rows.map((r) => ({
    id: r.id,
    orgId: String(r.org_id),
    kind: r.kind,
    evidence: (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence) as Evidence,
    assigneeSlackId: r.assignee_slack_id,
  }));
}

/**
 * The reason each access was last kept, shown as the reason it exists, keyed by
 * `accessKeyIn(org, access)`: a Keep is about access in one organisation (issue 17), the one of
 * the review it was decided on.
 */
export async function lastCertifications(
  deps: CampaignDeps,
  accesses: CampaignAccess[],
): Promise<Map<string, { reason: string; until: Date }>> {
  const out = new Map<string, { reason: string; until: Date }>();
  if (accesses.length === 0) return out;
  const rows = await queryRows<{ org_id: string; fingerprint: string; reason: string; valid_until: string | Date }>(
    deps.db,
    sql`select distinct on (coalesce(r.org_id, ''), c.fingerprint) coalesce(r.org_id, '') as org_id, c.fingerprint,
               c.reason, c.valid_until
        from certifications c left join review_items r on r.id = c.review_item_id
        where c.fingerprint like 'certification:%' order by coalesce(r.org_id, ''), c.fingerprint, c.created_at desc`,
  );
  for (const r of rows)
    out.set(`${String(r.org_id)}|${r.fingerprint.slice('certification:'.length)}`, {
      reason: r.reason,
      until: new Date(r.valid_until),
    });
  return out;
}

/** An access's key within its organisation. */
export const accessKeyIn = (a: CampaignAccess): string => `${a.org.id}|${accessKey(a)}`;
