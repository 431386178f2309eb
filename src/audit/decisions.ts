import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import type { Evidence } from '../domain/evidence.js';

/**
 * Reads decisions (audit rows with `action = 'review.decided'`) joined to the result of
 * the action each one caused. This is the one query behind CSV, JSON and HTML evidence,
 * so every export format shows the same rows.
 */

export interface DecisionQuery {
  /** Decisions taken at or after this time; undefined = since the first row. */
  since?: Date | undefined;
  /** Decisions taken strictly before this time; undefined = no upper bound. */
  until?: Date | undefined;
  /** Only the decisions on this review item. */
  reviewItemId?: string | undefined;
  /** Read only rows up to this seq, so a multi-pass export sees one consistent snapshot. */
  toSeq?: number | undefined;
  /** Rows per query (keyset pagination on seq). Default 1000. */
  batchSize?: number;
}

export interface DecisionActor {
  type: string;
  slackId: string | null;
  anthropicId: string | null;
  /** The job name for `system`, a display name for a person when known. */
  label: string | null;
}

export interface ActionResult {
  seq: number;
  at: Date;
  /** `succeeded` | `failed` | `dry_run` */
  outcome: string;
  kind: string | null;
  attempt: number | null;
  error: string | null;
}

export interface DecisionRecord {
  seq: number;
  decidedAt: Date;
  reviewItemId: string;
  subjectType: string | null;
  subjectId: string | null;
  /** The organisation that holds the access (issue 17): the audit row's, else its review's; null when unknown. */
  orgId: string | null;
  /** Its name as `/v1/organizations/me` last gave it. */
  orgName: string | null;
  /** The row's outcome: `keep` | `revoke` | `not_mine` | `acknowledge` | `timeout_revoke`. */
  decision: string;
  decidedBy: DecisionActor;
  reason: string | null;
  keepUntil: string | null;
  /** As stored; written by other modules, so readers must not trust every field is there. */
  evidence: Partial<Evidence> | null;
  details: Record<string, unknown> | null;
  policyVersion: string | null;
  hash: string;
  /**
   * The latest `action.executed` row for the same review item after this decision and
   * before any later decision on it; null when no action ran (yet).
   */
  action: ActionResult | null;
}

interface RawDecision extends Record<string, unknown> {
  seq: number | string | bigint;
  org_id?: string | null;
  org_name?: string | null;
  at: string;
  actor_type: string;
  actor_slack_id: string | null;
  actor_anthropic_id: string | null;
  actor_label: string | null;
  subject_type: string | null;
  subject_id: string | null;
  review_item_id: string;
  outcome: string;
  evidence: string | null;
  details: string | null;
  policy_version: string | null;
  hash: string;
  action_seq: number | string | bigint | null;
  action_at: string | null;
  action_outcome: string | null;
  action_details: string | null;
}

// Times and jsonb leave the database as text: the two drivers parse them differently.
const isoAt = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function filters(q: DecisionQuery): SQL {
  const parts: SQL[] = [sql`d.action = 'review.decided'`, sql`d.review_item_id is not null`];
  if (q.since) parts.push(sql`d.at >= ${q.since.toISOString()}::timestamptz`);
  if (q.until) parts.push(sql`d.at < ${q.until.toISOString()}::timestamptz`);
  if (q.reviewItemId !== undefined) parts.push(sql`d.review_item_id = ${q.reviewItemId}`);
  if (q.toSeq !== undefined) parts.push(sql`d.seq <= ${q.toSeq}`);
  return sql.join(parts, sql` and `);
}

/** Decisions in seq order, read in batches: memory stays O(batchSize) whatever the period. */
export async function* exportDecisions(db: Executor, q: DecisionQuery = {}): AsyncGenerator<DecisionRecord> {
  const batchSize = q.batchSize ?? 1000;
  let after = 0;
  for (;;) {
    const rows = await queryRows<RawDecision>(
      db,
      sql`
        select d.seq, ${isoAt(sql`d.at`)} as at, d.actor_type, d.actor_slack_id, d.actor_anthropic_id, d.actor_label,
               d.subject_type, d.subject_id, d.review_item_id, d.outcome, d.evidence::text as evidence,
               d.details::text as details, d.policy_version, d.hash, o.id as org_id, o.name as org_name,
               a.seq as action_seq, ${isoAt(sql`a.at`)} as action_at, a.outcome as action_outcome,
               a.details::text as action_details
        from audit_log d
        left join lateral (
          select x.seq, x.at, x.outcome, x.details
          from audit_log x
          where x.review_item_id = d.review_item_id and x.action = 'action.executed' and x.seq > d.seq
            ${q.toSeq === undefined ? sql`` : sql`and x.seq <= ${q.toSeq}`}
            and not exists (
              select 1 from audit_log n
              where n.review_item_id = d.review_item_id and n.action = 'review.decided' and n.seq > d.seq and n.seq < x.seq
            )
          order by x.seq desc
          limit 1
        ) a on true
        left join organizations o on o.id = coalesce(nullif(d.org_id, ''),
          (select nullif(r.org_id, '') from review_items r where r.id::text = d.review_item_id))
        where ${filters(q)} and d.seq > ${after}
        order by d.seq
        limit ${batchSize}`,
    );
    for (const raw of rows) yield toRecord(raw);
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = Number(last.seq);
  }
}

/** How many rows `exportDecisions` yields for the same query. */
export async function countDecisions(db: Executor, q: DecisionQuery = {}): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*)::int as n from audit_log d where ${filters(q)}`,
  );
  return Number(row?.n ?? 0);
}

/** The newest seq now, to pin an export to one snapshot of an append-only log. */
export async function currentSeq(db: Executor): Promise<number> {
  const [row] = await queryRows<{ seq: number | string | null }>(db, sql`select max(seq) as seq from audit_log`);
  return row?.seq == null ? 0 : Number(row.seq);
}

function toRecord(r: RawDecision): DecisionRecord {
  const details = parseJson(r.details);
  const actionDetails = parseJson(r.action_details);
  return {
    seq: Number(r.seq),
    decidedAt: new Date(r.at),
    reviewItemId: r.review_item_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    orgId: r.org_id ?? null,
    orgName: r.org_name ?? null,
    decision: r.outcome,
    decidedBy: {
      type: r.actor_type,
      slackId: r.actor_slack_id,
      anthropicId: r.actor_anthropic_id,
      label: r.actor_label,
    },
    reason: str(details?.reason),
    keepUntil: str(details?.keepUntil),
    evidence: parseJson(r.evidence),
    details,
    policyVersion: r.policy_version,
    hash: r.hash,
    action:
      r.action_seq == null || r.action_at == null || r.action_outcome == null
        ? null
        : {
            seq: Number(r.action_seq),
            at: new Date(r.action_at),
            outcome: r.action_outcome,
            kind: str(actionDetails?.kind),
            attempt: typeof actionDetails?.attempt === 'number' ? actionDetails.attempt : null,
            error: str(actionDetails?.error),
          },
  };
}

function parseJson(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  const v = JSON.parse(text) as unknown;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}
