import { sql } from 'drizzle-orm';
import type { FindingKind } from '../domain/findings.js';
import type { Evidence } from '../domain/evidence.js';
import { queryRows } from '../db/client.js';
import { reviewItems } from '../db/schema/index.js';
import { auditReview } from './change.js';
import type { ReviewDeps } from './deps.js';
import { routeFor } from './presentation.js';
import { addDays } from './timing.js';

// Serialises "which findings still need a review" across replicas and the CLI.
const OPEN_LOCK = 0x5737_2e01;

interface OpenFinding {
  id: string;
  fingerprint: string;
  kind: FindingKind;
  subject_type: string;
  subject_id: string;
  evidence: Evidence;
}

export interface OpenResult {
  created: number;
  toOwners: number;
  toSecurityChannel: number;
}

/**
 * Opens one review per episode of each open finding: a finding (re)opened at
 * first_detected_at gets a review unless one was created since. Decided, reassigned or
 * claimed reviews therefore never spawn a second one while the finding lasts.
 */
export async function openReviews(deps: ReviewDeps, opts: { findingIds?: string[] } = {}): Promise<OpenResult> {
  if (opts.findingIds?.length === 0) return { created: 0, toOwners: 0, toSecurityChannel: 0 };
  const now = deps.now();
  const candidates = await queryRows<Record<string, unknown>>(
    deps.db,
    sql`select f.id::text as id, f.fingerprint, f.kind, f.subject_type, f.subject_id, f.evidence
        from findings f
        where f.status = 'open'
          ${
            opts.findingIds
              ? sql`and f.id in (${sql.join(
                  opts.findingIds.map((id) => sql`${id}::uuid`),
                  sql`, `,
                )})`
              : sql``
          }
          and not exists (select 1 from review_items r where r.fingerprint = f.fingerprint and r.created_at >= f.first_detected_at)
        order by f.first_detected_at, f.fingerprint`,
  );
  const findings = candidates.map((r) => ({ ...r, evidence: parseJson(r.evidence) }) as unknown as OpenFinding);
  if (findings.length === 0) return { created: 0, toOwners: 0, toSecurityChannel: 0 };

  // Slack lookups happen before the transaction: they are network calls (cached).
  const planned: Array<{
    f: OpenFinding;
    route: 'dm' | 'security_channel';
    slackId: string | null;
    evidence: Evidence;
  }> = [];
  const resolved = await slackIdsInBulk(deps, findings);
  for (const f of findings) {
    const owner = f.evidence.owner;
    let slackId = owner.slackId;
    if (!slackId && owner.email)
      slackId = resolved.has(owner.email) ? resolved.get(owner.email)! : await deps.slack.slackIdForEmail(owner.email);
    const route = routeFor(f.kind, slackId);
    const evidence: Evidence = { ...f.evidence, owner: { ...owner, slackId } };
    planned.push({ f, route, slackId: route === 'dm' ? slackId : null, evidence });
  }

  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${OPEN_LOCK})`);
    const result: OpenResult = { created: 0, toOwners: 0, toSecurityChannel: 0 };
    for (const p of planned) {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`insert into ${reviewItems} (finding_id, fingerprint, kind, subject_type, subject_id, status, route,
              assignee_user_id, assignee_email, assignee_slack_id, assigned_via, due_at, evidence_shown)
            select ${p.f.id}::uuid, ${p.f.fingerprint}, ${p.f.kind}, ${p.f.subject_type}, ${p.f.subject_id}, 'pending', ${p.route},
              ${p.evidence.owner.userId}, ${p.evidence.owner.email}, ${p.slackId}, ${p.evidence.owner.via},
              ${addDays(now, deps.policy.policy.review.due_days).toISOString()}::timestamptz, ${JSON.stringify(p.evidence)}::jsonb
            where not exists (select 1 from ${reviewItems} r join findings f on f.fingerprint = r.fingerprint
                              where r.fingerprint = ${p.f.fingerprint} and r.created_at >= f.first_detected_at)
            on conflict do nothing
            returning id::text as id`,
      );
      if (rows.length === 0) continue;
      result.created++;
      if (p.route === 'dm') result.toOwners++;
      else result.toSecurityChannel++;
    }
    await auditReview(tx, deps, { actor: { type: 'system', job: 'review' }, at: now }, null, {
      action: 'review.opened',
      outcome: 'created',
      details: { ...result },
    });
    return result;
  });
}

/** Owners' Slack ids in one go (a first run has thousands); a failure leaves them to one lookup each. */
async function slackIdsInBulk(deps: ReviewDeps, findings: OpenFinding[]): Promise<Map<string, string | null>> {
  const emails = findings.flatMap((f) =>
    !f.evidence.owner.slackId && f.evidence.owner.email ? [f.evidence.owner.email] : [],
  );
  if (emails.length === 0) return new Map();
  try {
    return await deps.slack.slackIdsForEmails(emails);
  } catch (err) {
    deps.logger.warn({ err, job: 'review' }, 'bulk Slack lookup failed; owners are looked up one by one');
    return new Map();
  }
}

function parseJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}
