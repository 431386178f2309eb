import { csvRecord } from './csv.js';
import { esc, weeklyChart } from './html.js';
import { CSS } from './report.js';
import type { CampaignReport, CampaignReportItem } from './campaign-report.js';

/** A campaign report as an auditor takes it away: CSV, JSON or a self-contained HTML page. */

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
