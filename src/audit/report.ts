import type { Writable } from 'node:stream';
import type { Executor } from '../db/types.js';
import { currentSeq, exportDecisions, type DecisionQuery, type DecisionRecord } from './decisions.js';
import { toExportRow } from './export-row.js';
import { esc, weeklyChart } from './html.js';
import { writeChunk } from './stream.js';
import { verifyAuditChain, type VerifyResult } from './verify.js';

/**
 * The evidence report: one self-contained HTML page an auditor opens offline. Inline CSS
 * and SVG only, no script, and a Content-Security-Policy that forbids fetching anything,
 * so what the file shows is all it contains. Every value from the database is escaped.
 */

export interface ReportOptions extends DecisionQuery {
  now: Date;
}

export interface ReportSummary {
  decisions: number;
  reviewedItems: number;
  byDecision: Record<string, number>;
  /** Action results; `none` counts decisions with no executed action. */
  byAction: Record<string, number>;
  snapshotSeq: number;
  generatedAt: Date;
  chain: VerifyResult;
}

/** Writes the report (two passes over one snapshot: counts, then evidence). Does not end `out`. */
export async function writeReport(db: Executor, opts: ReportOptions, out: Writable): Promise<ReportSummary> {
  const generatedAt = opts.now;
  const snapshotSeq = opts.toSeq ?? (await currentSeq(db));
  const query: DecisionQuery = { ...opts, toSeq: snapshotSeq };
  const chain = await verifyAuditChain(db, { toSeq: snapshotSeq });

  const summary: ReportSummary = {
    decisions: 0,
    reviewedItems: 0,
    byDecision: {},
    byAction: {},
    snapshotSeq,
    generatedAt,
    chain,
  };
  const items = new Set<string>();
  for await (const d of exportDecisions(db, query)) {
    summary.decisions++;
    items.add(d.reviewItemId);
    bump(summary.byDecision, d.decision);
    bump(summary.byAction, d.action?.outcome ?? 'none');
  }
  summary.reviewedItems = items.size;
  items.clear();

  await writeChunk(out, head(opts, summary));
  let n = 0;
  for await (const d of exportDecisions(db, query)) {
    await writeChunk(out, decisionSection(d));
    n++;
  }
  if (n === 0) await writeChunk(out, '<p class="muted" id="no-decisions">No decisions in this period.</p>\n');
  await writeChunk(out, '</main>\n</body>\n</html>\n');
  return summary;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

const DECISION_ORDER = ['keep', 'revoke', 'timeout_revoke', 'not_mine', 'acknowledge'];
const ACTION_ORDER = ['succeeded', 'failed', 'dry_run', 'none'];

function ordered(counts: Record<string, number>, order: readonly string[]): [string, number][] {
  const known = order.filter((k) => k in counts).map((k): [string, number] => [k, counts[k]!]);
  const other = Object.entries(counts)
    .filter(([k]) => !order.includes(k))
    .sort(([a], [b]) => a.localeCompare(b));
  return [...known, ...other];
}

function countTable(caption: string, attr: string, counts: Record<string, number>, order: readonly string[]): string {
  const rows = ordered(counts, order);
  const body =
    rows.length === 0
      ? '<tr><td colspan="2" class="muted">none</td></tr>'
      : rows
          .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td class="num" data-${attr}="${esc(k)}">${v}</td></tr>`)
          .join('');
  return `<table class="counts"><caption>${esc(caption)}</caption><tbody>${body}</tbody></table>`;
}

function period(opts: ReportOptions): string {
  const since = opts.since ? `from ${opts.since.toISOString()}` : 'from the first row';
  const until = opts.until ? `up to (not including) ${opts.until.toISOString()}` : 'up to now';
  return `${since} ${until}${opts.reviewItemId ? `, review item ${opts.reviewItemId}` : ''}`;
}

function chainBlock(chain: VerifyResult, snapshotSeq: number): string {
  const headLine = chain.head
    ? `<p>Head: seq <code data-chain-head-seq>${chain.head.seq}</code>, hash <code class="hash" data-chain-head-hash>${esc(chain.head.hash)}</code>. ` +
      `Keep it: <code>steward audit verify --anchor ${chain.head.seq}:${esc(chain.head.hash)}</code> later proves no row up to it was changed or removed.</p>`
    : '';
  if (chain.ok) {
    return (
      `<section class="chain ok" id="chain" data-chain-ok="true"><h2>Audit chain: verified</h2>` +
      `<p><span data-chain-rows>${chain.rows}</span> rows verified (every row up to seq ${snapshotSeq}); each row's SHA-256 hash matches its content and links to the row before it.</p>${headLine}</section>\n`
    );
  }
  return (
    `<section class="chain bad" id="chain" data-chain-ok="false"><h2>Audit chain: BROKEN</h2>` +
    `<p>The first problem is at seq <strong data-chain-problem-seq>${chain.problem.seq}</strong> (<span data-chain-problem-kind>${esc(chain.problem.kind)}</span>): ${esc(chain.problem.message)}</p>` +
    `<p><span data-chain-rows>${chain.rows}</span> rows were verified before it. Treat the evidence below with suspicion.</p>${headLine}</section>\n`
  );
}

function head(opts: ReportOptions, s: ReportSummary): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Steward access review evidence: ${esc(period(opts))}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>Access review evidence</h1>
<p>Period: <span id="period">${esc(period(opts))}</span>. Generated ${esc(s.generatedAt.toISOString())} from audit rows up to seq <span data-snapshot-seq>${s.snapshotSeq}</span>.</p>
</header>
${chainBlock(s.chain, s.snapshotSeq)}<section id="summary">
<h2>Summary</h2>
<dl class="totals">
<div><dt>Decisions</dt><dd data-count="decisions">${s.decisions}</dd></div>
<div><dt>Reviewed items</dt><dd data-count="reviewed-items">${s.reviewedItems}</dd></div>
<div><dt>Audit rows verified</dt><dd data-count="chain-rows">${s.chain.rows}</dd></div>
</dl>
<div class="tables">
${countTable('Decisions by outcome', 'count-decision', s.byDecision, DECISION_ORDER)}
${countTable('Action results', 'count-action', s.byAction, ACTION_ORDER)}
</div>
</section>
<h2>Decisions and the evidence shown</h2>
`;
}

function decisionSection(d: DecisionRecord): string {
  const r = toExportRow(d);
  const ev = d.evidence;
  const createdBy = ev?.createdBy ? `${ev.createdBy.label ?? ev.createdBy.id} (${ev.createdBy.type})` : null;
  const thresholds =
    ev?.thresholds && typeof ev.thresholds === 'object'
      ? Object.entries(ev.thresholds)
          .map(([k, v]) => `${k} = ${String(v)}`)
          .join(', ')
      : null;
  const fields: [string, unknown][] = [
    // The organisation that holds the access (issue 17); left out when not identified.
    ['Organisation', r.organization_id ? `${r.organization ?? r.organization_id} (${r.organization_id})` : null],
    ['Subject', `${r.subject ?? r.subject_id ?? ''} (${r.subject_type ?? 'unknown'} ${r.subject_id ?? ''})`],
    [
      'Access',
      [r.access_type, r.role, ev?.access?.scope ? `scope ${ev.access.scope}` : null, ev?.access?.status]
        .filter(Boolean)
        .join(', '),
    ],
    ['Workspace', r.workspace_name ?? r.workspace_id],
    ['Key hint', r.key_hint],
    [
      'Owner',
      r.owner
        ? `${r.owner}${ev?.owner?.via ? ` (via ${ev.owner.via})` : ''}`
        : ev?.owner?.unownedReason
          ? `none: ${ev.owner.unownedReason}`
          : null,
    ],
    ['Created', [ev?.createdAt, createdBy ? `by ${createdBy}` : null].filter(Boolean).join(' ')],
    ['Finding', ev?.kind ? `${ev.kind}: ${ev.rule ?? ''}` : ev?.rule],
    ['Thresholds', thresholds],
    [
      'Last activity',
      ev?.lastActivity
        ? `${ev.lastActivity.at}${ev.lastActivity.type ? ` (${ev.lastActivity.type})` : ''}`
        : 'none recorded',
    ],
    ['Activity 7/30/90 days', ev?.counts ? `${ev.counts.d7} / ${ev.counts.d30} / ${ev.counts.d90}` : null],
    ['Usage, 30 days', ev?.usage ? `${ev.usage.requests30} requests, ${ev.usage.tokens30} tokens` : null],
    ['Usage, 90 days', ev?.usage ? `${ev.usage.requests90} requests, ${ev.usage.tokens90} tokens` : null],
    ['Evidence as of', ev?.asOf],
    ['Summary shown', r.summary === null ? null : `${r.summary} (${r.summary_by ?? 'template'})`],
    [
      'Decided by',
      [r.decided_by, r.decided_by_anthropic_id ? `(${r.decided_by_anthropic_id})` : null].filter(Boolean).join(' '),
    ],
    ['Reason', r.reason],
    ['Keep until', r.keep_until],
    [
      'Action',
      d.action
        ? `${d.action.outcome}${d.action.kind ? ` (${d.action.kind})` : ''} at ${d.action.at.toISOString()}${d.action.error ? `: ${d.action.error}` : ''}`
        : 'none',
    ],
    ['Policy version', r.policy_version],
    ['Audit row', `seq ${r.seq}, hash ${r.audit_hash}`],
  ];
  const rows = fields
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  return (
    `<article class="decision" data-seq="${d.seq}" data-decision="${esc(d.decision)}" data-review-item="${esc(d.reviewItemId)}"${r.organization_id ? ` data-org="${esc(r.organization_id)}"` : ''}>` +
    `<h3><span class="badge ${esc(badgeClass(d.decision))}">${esc(d.decision)}</span> ${esc(r.subject ?? r.subject_id ?? d.reviewItemId)}` +
    ` <small>${esc(r.decided_at)}</small></h3>` +
    `<div class="body"><table class="evidence"><tbody>${rows}</tbody></table>` +
    `<figure><figcaption>Activity per week, 12 weeks to the evidence date</figcaption>${weeklyChart(ev?.weekly)}</figure></div></article>\n`
  );
}

function badgeClass(decision: string): string {
  if (decision === 'keep' || decision === 'acknowledge') return 'keep';
  if (decision === 'revoke' || decision === 'timeout_revoke') return 'revoke';
  return 'other';
}

export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:24px 0 8px}h3{font-size:15px;margin:0 0 8px}
.muted{color:#6b7480}code{font:12px ui-monospace,Menlo,Consolas,monospace}.hash{word-break:break-all}
.chain{border-radius:6px;padding:12px 16px;margin:16px 0}.chain h2{margin:0 0 4px}
.chain.ok{background:#e7f6ec;border:1px solid #8fd1a4}.chain.bad{background:#fdeaea;border:1px solid #e49a9a}
.totals{display:flex;gap:16px;margin:0 0 12px;padding:0}.totals div{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px 16px}
.totals dt{color:#6b7480;font-size:12px}.totals dd{margin:0;font-size:22px;font-weight:600}
.tables{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}
table{border-collapse:collapse;background:#fff}caption{text-align:left;font-weight:600;padding:4px 0}
.counts th,.counts td{border:1px solid #dde1e6;padding:4px 10px;text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums}
.decision{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px 16px;margin:0 0 12px;break-inside:avoid}
.decision small{color:#6b7480;font-weight:400}
.body{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.evidence{flex:1 1 560px}.evidence th{width:170px;color:#4a525c;font-weight:500;text-align:left;vertical-align:top;padding:2px 8px 2px 0}
.evidence td{padding:2px 0;word-break:break-word;white-space:pre-wrap}
figure{margin:0}figcaption{font-size:12px;color:#6b7480;margin-bottom:4px}
.chart .bar{fill:#3d7bd9}.chart .axis{stroke:#9aa3ad}.chart .tick{font-size:9px;fill:#6b7480}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;color:#fff;background:#6b7480}
.badge.keep{background:#2f8f4e}.badge.revoke{background:#c43d3d}
@media print{body{background:#fff}main{padding:0}}
`;
