import type { KnownBlock } from '@slack/types';
import { COMPLIANCE_OFF } from '../../db/compliance-state.js';
import { orgKeyProblems } from '../../db/organization-keys.js';
import type { CampaignStatus, FindingsPage } from '../../review/queries.js';
import { ACTION } from '../ids.js';
import { titleOf } from './evidence.js';
import { mention, safe, slackDate } from './format.js';
import type { Rendered } from './review.js';
import { clip, LIMITS, mrkdwn, plain } from './text.js';

/**
 * Said first while the last sync found the Compliance API off (issue 13 item 9): every figure
 * below is then without activity, and dormancy findings wait for it.
 */
export function complianceLine(s: CampaignStatus): string | null {
  if (s.compliance?.enabled !== false) return null;
  return `:warning: *${COMPLIANCE_OFF}* (checked ${slackDate(s.compliance.checkedAt)}).`;
}

/** An organisation whose Admin key cannot read (missing, revoked, short of a permission), one line each. */
export function organizationKeyLines(s: CampaignStatus): string[] {
  const k = s.organizationKeys;
  if (!k) return [];
  return orgKeyProblems(k.checks).map((p) => `:warning: *${safe(p)}* (checked ${slackDate(k.checkedAt)}).`);
}

export function statusLines(s: CampaignStatus): string[] {
  const off = complianceLine(s);
  return [
    ...(off ? [off] : []),
    ...organizationKeyLines(s),
    `*Open reviews:* ${s.open} (${s.overdue} overdue, ${s.escalated} escalated)${s.pending ? ` · ${s.pending} waiting to be sent` : ''}`,
    `*Decided:* ${s.kept} kept · ${s.revoked} revoked · ${s.acknowledged} acknowledged · ${s.closed} closed as no longer needed`,
    `*Open findings:* ${s.openFindings}`,
    ...(s.byOrganization
      ? [
          `*By organisation:* ${s.byOrganization
            .map((o) => `${safe(o.name)}: ${o.open} open (${o.overdue} overdue), ${o.openFindings} findings`)
            .join(' · ')}`,
        ]
      : []),
    `*Revocations:* ${s.actions.succeeded} done · ${s.actions.pending} in progress · ${s.actions.failed} failed${s.actions.dryRun ? ` · ${s.actions.dryRun} dry-run` : ''}`,
  ];
}

export function statusMessage(s: CampaignStatus): Rendered {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Steward status', LIMITS.headerText) },
    { type: 'section', text: mrkdwn(statusLines(s).join('\n')) },
  ];
  if (s.oldestOpen.length) {
    const lines = s.oldestOpen.map(
      (o) =>
        `• ${o.org ? `_${safe(o.org)}_ · ` : ''}${safe(o.subject)} — ${titleOf(o.kind).toLowerCase()}, with ${mention(o.assigneeSlackId)} since ${slackDate(o.deliveredAt)}, due ${slackDate(o.dueAt)}`,
    );
    blocks.push({
      type: 'section',
      text: mrkdwn(clip(`*Oldest open reviews*\n${lines.join('\n')}`, LIMITS.sectionText)),
    });
  }
  return { blocks, text: statusLines(s).join('\n').replace(/\*/g, '') };
}

export function findingsMessage(p: FindingsPage): Rendered {
  if (p.total === 0)
    return { blocks: [{ type: 'section', text: mrkdwn(':sparkles: No open findings.') }], text: 'No open findings.' };
  const lines = p.rows.map(
    (r) =>
      `• ${r.org ? `_${safe(r.org)}_ · ` : ''}*${safe(r.kind)}* ${safe(r.label)} \`${safe(r.subjectId)}\` — owner: ${safe(r.owner ?? 'unknown')}, last activity ${r.lastActivityAt ? slackDate(r.lastActivityAt) : 'never'}`,
  );
  // Two sections keep each under Slack's 3000-character limit for 20 rows.
  const half = Math.ceil(lines.length / 2);
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(`*Open findings* — page ${p.page} of ${p.pages} (${p.total} in all)`) },
    { type: 'section', text: mrkdwn(clip(lines.slice(0, half).join('\n'), LIMITS.sectionText)) },
  ];
  if (lines.length > half)
    blocks.push({ type: 'section', text: mrkdwn(clip(lines.slice(half).join('\n'), LIMITS.sectionText)) });
  const nav = [];
  if (p.page > 1)
    nav.push({
      type: 'button' as const,
      text: plain('Previous', 75),
      action_id: `${ACTION.findingsPage}_prev`,
      value: String(p.page - 1),
    });
  if (p.page < p.pages)
    nav.push({
      type: 'button' as const,
      text: plain('Next', 75),
      action_id: `${ACTION.findingsPage}_next`,
      value: String(p.page + 1),
    });
  if (nav.length) blocks.push({ type: 'actions', block_id: 'findings_nav', elements: nav });
  return { blocks, text: `Open findings, page ${p.page} of ${p.pages} (${p.total} in all)` };
}
