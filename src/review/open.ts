import { sql, type SQL } from 'drizzle-orm';
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

/** Reviews written per statement: 500 × 11 parameters, far below PostgreSQL's 65,535. */
const OPEN_CHUNK = 500;

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
          and not exists (select 1 from review_items r where r.org_id = f.org_id and r.fingerprint = f.fingerprint
                            and r.created_at >= f.first_detected_at)
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

  const dueAt = addDays(now, deps.policy.policy.review.due_days).toISOString();
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${OPEN_LOCK})`);
    const result: OpenResult = { created: 0, toOwners: 0, toSecurityChannel: 0 };
    // A first run opens thousands: one multi-row insert per chunk instead of a round trip
    // per review, and a turn of the event loop between chunks, so Slack's requests are
    // still answered at once while the rows are written (issue 14).
    for (let i = 0; i < planned.length; i += OPEN_CHUNK) {
      const rows = await queryRows<{ route: string }>(
        tx,
        sql`insert into ${reviewItems} (org_id, finding_id, fingerprint, kind, subject_type, subject_id, status, route,
              assignee_user_id, assignee_email, assignee_slack_id, assigned_via, due_at, evidence_shown)
            select coalesce((select f.org_id from findings f where f.id = v.finding_id::uuid), ''), v.finding_id::uuid, v.fingerprint, v.kind, v.subject_type, v.subject_id, 'pending', v.route,
              v.user_id, v.email, v.slack_id, v.via, ${dueAt}::timestamptz, ${withOrganization(sql`v.evidence::jsonb`, sql`v.finding_id::uuid`)}
            from (values ${sql.join(
              planned.slice(i, i + OPEN_CHUNK).map(
                (p) =>
                  sql`(${p.f.id}::text, ${p.f.fingerprint}::text, ${p.f.kind}::text, ${p.f.subject_type}::text,
                       ${p.f.subject_id}::text, ${p.route}::text, ${p.evidence.owner.userId}::text,
                       ${p.evidence.owner.email}::text, ${p.slackId}::text, ${p.evidence.owner.via}::text,
                       ${JSON.stringify(p.evidence)}::text)`,
              ),
              sql`, `,
            )}) as v(finding_id, fingerprint, kind, subject_type, subject_id, route, user_id, email, slack_id, via, evidence)
            -- The same fingerprint in another organisation (issue 17) is another finding, with its own review.
            where not exists (select 1 from ${reviewItems} r join findings f on f.id = v.finding_id::uuid
                              where r.org_id = f.org_id and r.fingerprint = f.fingerprint and r.created_at >= f.first_detected_at)
            on conflict do nothing
            returning route`,
      );
      for (const r of rows) {
        result.created++;
        if (r.route === 'dm') result.toOwners++;
        else result.toSecurityChannel++;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
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

/**
 * The evidence shown, with the organisation that holds the access when Steward governs several
 * (issue 17): the finding's organisation, named as `/v1/organizations/me` last gave it.
 */
function withOrganization(evidence: SQL, findingId: SQL): SQL {
  const org = sql`(select jsonb_build_object('id', o.id, 'name', o.name) from findings f join organizations o on o.id = f.org_id
                   where f.id = ${findingId} and (select count(*) from organizations) > 1)`;
  return sql`case when ${org} is null then ${evidence} else ${evidence} || jsonb_build_object('organization', ${org}) end`;
}
