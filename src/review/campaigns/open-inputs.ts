import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Evidence } from '../../domain/evidence.js';
import type { CampaignDeps } from './deps.js';
import type { CampaignAccess, OpenReviewRef } from './rules.js';

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
  const rows = await queryRows<{ id: string; kind: string; evidence: unknown; assignee_slack_id: string | null }>(
    deps.db,
    sql`select id::text as id, kind, evidence_shown as evidence, assignee_slack_id
        from review_items where status in ('pending', 'open') and evidence_shown is not null`,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    evidence: (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence) as Evidence,
    assigneeSlackId: r.assignee_slack_id,
  }));
}

/** The reason each access was last kept, shown as the reason it exists. */
export async function lastCertifications(
  deps: CampaignDeps,
  accesses: CampaignAccess[],
): Promise<Map<string, { reason: string; until: Date }>> {
  const out = new Map<string, { reason: string; until: Date }>();
  if (accesses.length === 0) return out;
  const rows = await queryRows<{ fingerprint: string; reason: string; valid_until: string | Date }>(
    deps.db,
    sql`select distinct on (fingerprint) fingerprint, reason, valid_until from certifications
        where fingerprint like 'certification:%' order by fingerprint, created_at desc`,
  );
  for (const r of rows)
    out.set(r.fingerprint.slice('certification:'.length), { reason: r.reason, until: new Date(r.valid_until) });
  return out;
}
