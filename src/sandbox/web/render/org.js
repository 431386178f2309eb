// @ts-check
/**
 * The organisation panel: what Steward changed through the Admin API, the audit log's newest
 * rows with the hash chain's verification, and the evidence report and CSV export. Not part
 * of Slack: it shows the other side of what the Slack messages claim.
 */
import { formatSlackDate } from './dates.js';
import { escapeHtml } from './escape.js';
import { userMention } from './mrkdwn.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */
/** @typedef {import('../types.js').OrgPanelJson} OrgPanelJson */
/** @typedef {import('../types.js').AdminChangeJson} AdminChangeJson */
/** @typedef {import('../types.js').AuditRowJson} AuditRowJson */

/** @type {Record<AdminChangeJson['status'], string>} */
const STATUS = { succeeded: '✅', failed: '❌', pending: '⏳', dry_run: '🧪' };

/**
 * @param {string} iso
 * @param {RenderContext} ctx
 */
function when(iso, ctx) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const epochSeconds = Math.floor(ms / 1000);
  const text = formatSlackDate({
    epochSeconds,
    format: '{date_short_pretty} {time}',
    now: ctx.now,
    tzOffset: ctx.tzOffset,
  });
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(text)}</time>`;
}

/**
 * @param {string | null} slackId
 * @param {RenderContext} ctx
 */
const who = (slackId, ctx) => (slackId ? userMention(slackId, null, ctx) : 'Steward');

/**
 * @param {AdminChangeJson} c
 * @param {RenderContext} ctx
 */
function change(c, ctx) {
  const target = `${escapeHtml(c.target.label ?? c.target.id)} <code>${escapeHtml(c.target.id)}</code>`;
  const request = c.request
    ? `<div class="org-request"><code>${escapeHtml(c.request.method)} ${escapeHtml(c.request.path)}</code>${c.request.status === null ? '' : ` → ${escapeHtml(c.request.status)}`}</div>`
    : '';
  const detail = c.detail ? `<div class="org-detail">${escapeHtml(c.detail)}</div>` : '';
  return (
    `<li class="org-change status-${escapeHtml(c.status)}" data-kind="${escapeHtml(c.kind)}" data-target="${escapeHtml(c.target.id)}">` +
    `<span class="org-status" title="${escapeHtml(c.status)}">${STATUS[c.status] ?? '•'}</span>` +
    `<div><div class="org-summary">${escapeHtml(c.summary)}</div><div class="org-target">${target}</div>` +
    `<div class="org-meta">${when(c.at, ctx)} · requested by ${who(c.requestedBy, ctx)}</div>${request}${detail}</div></li>`
  );
}

/**
 * @param {AuditRowJson} r
 * @param {RenderContext} ctx
 */
function auditRow(r, ctx) {
  const actor = r.actor.type === 'system' ? `system: ${escapeHtml(r.actor.label ?? '')}` : who(r.actor.slackId, ctx);
  const subject = r.subject
    ? `<div class="audit-subject">${escapeHtml(r.subject.type)} <code>${escapeHtml(r.subject.id)}</code></div>`
    : '';
  return (
    `<tr data-seq="${r.seq}"><td class="num">${r.seq}</td><td>${when(r.at, ctx)}</td><td>${actor}</td>` +
    `<td><code>${escapeHtml(r.action)}</code>${subject}</td><td>${escapeHtml(r.outcome)}</td>` +
    `<td class="hash" title="${escapeHtml(r.hash)}"><code>${escapeHtml(r.hash.slice(0, 8))}</code></td></tr>`
  );
}

/**
 * @param {OrgPanelJson} panel
 * @param {RenderContext} ctx
 * @returns {string}
 */
export function renderOrgPanel(panel, ctx) {
  const stats = panel.organisation.stats
    .map((s) => `<span class="org-stat"><strong>${escapeHtml(s.value)}</strong> ${escapeHtml(s.label)}</span>`)
    .join('');
  const changes = panel.changes.length
    ? `<ul class="org-changes">${panel.changes.map((c) => change(c, ctx)).join('')}</ul>`
    : '<p class="empty">Steward has not changed anything in the organisation yet.</p>';
  const chain = panel.audit.chain;
  const chainLine = chain.ok
    ? `<div class="chain chain-ok" data-chain="ok">✅ Hash chain verified: ${chain.rows} row${chain.rows === 1 ? '' : 's'}${chain.head ? `, head #${chain.head.seq} <code title="${escapeHtml(chain.head.hash)}">${escapeHtml(chain.head.hash.slice(0, 12))}</code>` : ''} <span class="muted">(checked ${when(chain.checkedAt, ctx)})</span></div>`
    : `<div class="chain chain-broken" data-chain="broken">❌ Hash chain broken${chain.problem ? ` at #${chain.problem.seq} (${escapeHtml(chain.problem.kind)}): ${escapeHtml(chain.problem.message)}` : ''}; ${chain.rows} row${chain.rows === 1 ? '' : 's'} verified before it</div>`;
  const rows = panel.audit.rows.length
    ? `<table class="audit"><thead><tr><th>#</th><th>When</th><th>Actor</th><th>What</th><th>Outcome</th><th>Hash</th></tr></thead><tbody>${panel.audit.rows.map((r) => auditRow(r, ctx)).join('')}</tbody></table>`
    : '<p class="empty">The audit log is empty.</p>';
  return (
    `<section class="org-panel"><h2>${escapeHtml(panel.organisation.name)}</h2><div class="org-stats">${stats}</div>` +
    `<h3>Admin API changes made by Steward</h3>${changes}` +
    `<h3>Audit log</h3>${chainLine}${rows}` +
    `<div class="org-links"><a href="${escapeHtml(panel.links.evidenceReport)}" target="_blank" rel="noopener">Evidence report (HTML)</a>` +
    `<a href="${escapeHtml(panel.links.csvExport)}" download>Decisions (CSV export)</a></div></section>`
  );
}
