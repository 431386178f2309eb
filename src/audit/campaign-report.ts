import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import type { Evidence } from '../domain/evidence.js';
import { csvRecord } from './csv.js';
import { currentSeq } from './decisions.js';
import { chainSummary, type ChainSummary } from './export.js';
import { esc, weeklyChart } from './html.js';
import { CSS } from './report.js';
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

export const CAMPAIGN_COLUMNS = [
  'campaign',
  'scope',
  'access_kind',
  'subject_type',
  'subject_id',
  'subject',
  'privileged',
  'key_hint',
  'workspace',
  'owner',
  'reviewer',
  'via',
  'outcome',
  'decided_by',
  'decided_at',
  'reason',
  'keep_until',
  'action_result',
  'last_activity_at',
  'activity_30d',
  'activity_90d',
  'requests_30d',
  'review_item_id',
  'audit_seq',
  'audit_hash',
  'first_decision',
  'first_decided_by',
  'first_reason',
  'approval',
] as const;

function cells(r: CampaignReport, i: CampaignReportItem): Array<string | number | null> {
  const e = i.evidence;
  return [
    r.campaign.number,
    r.campaign.scope,
    i.accessKind,
    i.subjectType,
    i.subjectId,
    i.subject,
    i.privileged ? 'yes' : 'no',
    e?.access?.keyHint ?? null,
    e?.access?.workspaceName ?? e?.access?.workspaceId ?? null,
    e?.owner?.email ?? e?.owner?.slackId ?? null,
    i.reviewer,
    i.via,
    i.outcome,
    i.decidedBy,
    i.decidedAt,
    i.reason,
    i.keepUntil,
    i.actionResult,
    e?.lastActivity?.at ?? null,
    e?.counts?.d30 ?? null,
    e?.counts?.d90 ?? null,
    e?.usage?.requests30 ?? null,
    i.reviewItemId,
    i.auditSeq,
    i.auditHash,
    i.firstStep?.decision ?? null,
    i.firstStep?.bySlackId ?? null,
    i.firstStep?.reason ?? null,
    i.approval,
  ];
}

export function campaignCsv(r: CampaignReport): string {
  return csvRecord(CAMPAIGN_COLUMNS) + r.items.map((i) => csvRecord(cells(r, i))).join('');
}

export function campaignJson(r: CampaignReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** The page an auditor opens offline: inline CSS and SVG, no script, nothing fetched. */
export function campaignHtml(r: CampaignReport): string {
  const c = r.campaign;
  const facts: [string, unknown][] = [
    ['Scope', c.scope],
    ['Started', `${c.startedAt} by ${c.startedBy ?? `Steward (${c.startedVia})`}`],
    ['Due', c.dueAt],
    [
      'Closed',
      c.closedAt ? `${c.closedAt} by ${c.closedBy ?? 'Steward'}, undecided items: ${c.closeMode}` : 'still open',
    ],
    ['Audit rows', `seq ${r.auditRange.fromSeq ?? '?'} to ${r.auditRange.toSeq}`],
  ];
  const chain = r.chain.ok
    ? `<section class="chain ok" id="chain" data-chain-ok="true"><h2>Audit chain: verified</h2><p><span data-chain-rows>${r.chain.rows_verified}</span> rows verified, up to seq ${r.auditRange.toSeq} and beyond to the head${r.chain.head ? ` (seq ${r.chain.head.seq}, <code class="hash">${esc(r.chain.head.hash)}</code>)` : ''}.</p></section>`
    : `<section class="chain bad" id="chain" data-chain-ok="false"><h2>Audit chain: BROKEN</h2><p>${esc(r.chain.problem?.message)} (seq ${esc(r.chain.problem?.seq)}). Treat this report with suspicion.</p></section>`;
  const counts = Object.entries(r.counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td class="num" data-count-outcome="${esc(k)}">${v}</td></tr>`)
    .join('');
  const items = r.items.map((i) => itemSection(i)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Steward certification campaign #${c.number} (${esc(c.scope)})</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>Certification campaign #<span id="campaign-number">${c.number}</span></h1>
<p>Generated ${esc(r.generatedAt)}.</p>
<table class="evidence" id="campaign"><tbody>${facts.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>
</header>
${chain}
<section id="summary"><h2>Items: <span data-count="items">${r.items.length}</span></h2>
<table class="counts"><caption>Items by outcome</caption><tbody>${counts || '<tr><td class="muted">none</td></tr>'}</tbody></table></section>
<h2>Every item and the evidence shown</h2>
${items || '<p class="muted" id="no-items">This campaign has no items.</p>'}
</main>
</body>
</html>
`;
}

function itemSection(i: CampaignReportItem): string {
  const e = i.evidence;
  const fields: [string, unknown][] = [
    ['Subject', `${i.subject} (${i.subjectType} ${i.subjectId})`],
    [
      'Access',
      [i.accessKind, e?.access?.role, e?.access?.status, i.privileged ? 'privileged' : null].filter(Boolean).join(', '),
    ],
    ['Workspace', e?.access?.workspaceName ?? e?.access?.workspaceId],
    ['Key hint', e?.access?.keyHint],
    [
      'Owner',
      e?.owner?.email
        ? `${e.owner.email}${e.owner.via ? ` (via ${e.owner.via})` : ''}`
        : e?.owner?.unownedReason
          ? `none: ${e.owner.unownedReason}`
          : null,
    ],
    ['Why reviewed', e?.rule],
    [
      'Last activity',
      e?.lastActivity
        ? `${e.lastActivity.at}${e.lastActivity.type ? ` (${e.lastActivity.type})` : ''}`
        : 'none recorded',
    ],
    ['Activity 7/30/90 days', e?.counts ? `${e.counts.d7} / ${e.counts.d30} / ${e.counts.d90}` : null],
    ['Usage, 30 days', e?.usage ? `${e.usage.requests30} requests, ${e.usage.tokens30} tokens` : null],
    [
      'First review',
      i.firstStep
        ? `${i.firstStep.decision} by ${i.firstStep.bySlackId} at ${i.firstStep.at}${i.firstStep.reason ? `: ${i.firstStep.reason}` : ''}`
        : null,
    ],
    ['Approval', i.approval],
    ['Reviewer', i.reviewer ?? 'the security channel'],
    ['Review', i.via === 'joined' ? 'the open review it already had' : 'opened for this campaign'],
    ['Decided by', i.decidedBy],
    ['Decided at', i.decidedAt],
    ['Reason', i.reason],
    ['Keep until', i.keepUntil],
    ['Action', i.actionResult],
    ['Audit row', i.auditSeq !== null ? `seq ${i.auditSeq}, hash ${i.auditHash}` : null],
  ];
  const rows = fields
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  const badge = i.outcome === 'keep' ? 'keep' : i.outcome.includes('revoke') ? 'revoke' : 'other';
  return (
    `<article class="decision" data-review-item="${esc(i.reviewItemId)}" data-outcome="${esc(i.outcome)}">` +
    `<h3><span class="badge ${badge}">${esc(i.outcome)}</span> ${esc(i.subject)}</h3>` +
    `<div class="body"><table class="evidence"><tbody>${rows}</tbody></table>` +
    `<figure><figcaption>Activity per week, 12 weeks to the evidence date</figcaption>${weeklyChart(e?.weekly)}</figure></div></article>`
  );
}
