import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import type { Evidence } from '../domain/evidence.js';
import { currentSeq } from './decisions.js';
import { chainSummary, type ChainSummary } from './export.js';
import { verifyAuditChain } from './verify.js';

/**
 * A campaign's report for auditors (issue 16): the campaign (scope, who started it, when,
 * due, closed), every item with its subject, reviewer, outcome, reason, time and the
 * evidence shown, and the audit-chain range holding them with its verification. One
 * read of the tables and the log, rendered as CSV, JSON or a self-contained HTML page.
 */

export interface CampaignReportItem {
  reviewItemId: string;
  accessKind: string;
  subjectType: string;
  subjectId: string;
  subject: string;
  privileged: boolean;
  /** `opened` for this campaign, or `joined` (the review it already had). */
  via: string;
  reviewer: string | null;
  /** keep | revoke | timeout_revoke | skipped | escalated | closed | open */
  outcome: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  keepUntil: string | null;
  actionResult: string | null;
  auditSeq: number | null;
  auditHash: string | null;
  evidence: Partial<Evidence> | null;
  /** Two-level review: the first reviewer's decision, and whether the approver confirmed or overrode it. */
  firstStep: { decision: string; bySlackId: string; at: string; reason: string | null } | null;
  approval: 'confirmed' | 'overridden' | null;
}

export interface CampaignReport {
  format: 'steward.campaign/1';
  generatedAt: string;
  campaign: {
    id: string;
    number: number;
    scope: string;
    status: string;
    startedVia: string;
    startedBy: string | null;
    startedAt: string;
    dueAt: string;
    closedAt: string | null;
    closedBy: string | null;
    closeMode: string | null;
  };
  counts: Record<string, number>;
  /** The audit rows from the campaign's opening to its close (or to the snapshot, while open). */
  auditRange: { fromSeq: number | null; toSeq: number };
  chain: ChainSummary;
  items: CampaignReportItem[];
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const json = <T>(v: unknown): T | null =>
  v === null || v === undefined ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as T);

/** Null when no campaign has that number or id. */
export async function campaignReport(db: Executor, ref: string, now: Date): Promise<CampaignReport | null> {
  const t = ref.trim().replace(/^#/, '');
  const where = /^\d{1,9}$/.test(t)
    ? sql`number = ${Number(t)}`
    : /^[0-9a-f-]{36}$/i.test(t)
      ? sql`id = ${t}::uuid`
      : null;
  if (!where) return null;
  const [c] = await queryRows<Record<string, unknown>>(db, sql`select *, id::text as id from campaigns where ${where}`);
  if (!c) return null;
  const snapshot = await currentSeq(db);
  const toSeq = c.audit_to_seq === null || c.audit_to_seq === undefined ? snapshot : Number(c.audit_to_seq);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select r.id::text as review_item_id, ci.access_kind, ci.subject_type, ci.subject_id, ci.privileged, ci.via, ci.closed_as, ci.first_step::text as first_step,
               r.status, r.decision, r.decided_by_slack_id, r.decided_at, r.reason, r.keep_until, r.assignee_slack_id,
               r.evidence_shown::text as shown, d.seq as audit_seq, d.hash as audit_hash, d.actor_type, d.actor_label,
               d.evidence::text as decided_evidence,
               (select o.status from outbox_actions o where o.review_item_id = r.id and o.kind <> 'restore_key'
                order by o.created_at desc limit 1) as action_status
        from campaign_items ci join review_items r on r.id = ci.review_item_id
        left join lateral (
          select a.seq, a.hash, a.actor_type, a.actor_label, a.evidence from audit_log a
          where a.review_item_id = r.id::text and a.action = 'review.decided' and a.seq <= ${snapshot}
          order by a.seq desc limit 1) d on true
        where ci.campaign_id = ${String(c.id)}::uuid
        order by ci.access_kind, ci.subject_type, ci.subject_id`,
  );
  const items = rows.map((r): CampaignReportItem => {
    const evidence = json<Partial<Evidence>>(r.decided_evidence) ?? json<Partial<Evidence>>(r.shown);
    const outcome =
      r.status === 'decided'
        ? String(r.decision)
        : ((r.closed_as as string | null) ?? String(r.status === 'closed' ? 'closed' : 'open'));
    const byJob = r.actor_type === 'system' ? `system:${String(r.actor_label)}` : null;
    const firstStep = json<CampaignReportItem['firstStep']>(r.first_step);
    return {
      reviewItemId: String(r.review_item_id),
      accessKind: String(r.access_kind),
      subjectType: String(r.subject_type),
      subjectId: String(r.subject_id),
      subject: evidence?.subject?.label ?? String(r.subject_id),
      privileged: r.privileged === true || r.privileged === 't',
      via: String(r.via),
      reviewer: (r.assignee_slack_id as string | null) ?? null,
      outcome,
      decidedBy: r.status === 'decided' ? ((r.decided_by_slack_id as string | null) ?? byJob) : null,
      decidedAt: iso(r.decided_at),
      reason: (r.reason as string | null) ?? null,
      keepUntil: iso(r.keep_until),
      actionResult: (r.action_status as string | null) ?? null,
      auditSeq: r.audit_seq === null || r.audit_seq === undefined ? null : Number(r.audit_seq),
      auditHash: (r.audit_hash as string | null) ?? null,
      evidence,
      firstStep,
      approval:
        firstStep && r.status === 'decided' && r.decided_by_slack_id
          ? firstStep.decision === r.decision
            ? 'confirmed'
            : 'overridden'
          : null,
    };
  });
  const counts: Record<string, number> = {};
  for (const i of items) counts[i.outcome] = (counts[i.outcome] ?? 0) + 1;
  const chain = chainSummary(await verifyAuditChain(db, { toSeq: snapshot }));
  return {
    format: 'steward.campaign/1',
    generatedAt: now.toISOString(),
    campaign: {
      id: String(c.id),
      number: Number(c.number),
      scope: String(c.scope),
      status: String(c.status),
      startedVia: String(c.started_via),
      startedBy: (c.started_by_slack_id as string | null) ?? null,
      startedAt: iso(c.started_at)!,
      dueAt: iso(c.due_at)!,
      closedAt: iso(c.closed_at),
      closedBy: (c.closed_by_slack_id as string | null) ?? null,
      closeMode: (c.close_mode as string | null) ?? null,
    },
    counts,
    auditRange: { fromSeq: c.audit_from_seq === null ? null : Number(c.audit_from_seq), toSeq },
    chain,
    items,
  };
}

export { CAMPAIGN_COLUMNS, campaignCsv, campaignHtml, campaignJson } from './campaign-report-formats.js';
