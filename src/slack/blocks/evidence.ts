import type { KnownBlock, MrkdwnElement } from '@slack/types';
import type { Approval, Evidence } from '../../domain/evidence.js';
import { count, mention, plural, safe, slackDate } from './format.js';
import { sparkline } from '../../domain/sparkline.js';
import { clip, mrkdwn } from './text.js';
import { leaverHoldings, leaverUnownedKeys } from '../../review/leaver-revocation.js';

export const HOLDING: Record<string, string> = {
  seat: 'Seat',
  org_role: 'Organisation role',
  workspace_admin: 'Workspace admin of',
  api_key: 'API key',
};

const KIND_TITLES: Record<string, string> = {
  dormant_seat: 'Is this seat still needed?',
  dormant_key: 'Is this API key still needed?',
  unowned_key: 'Nobody is accountable for this access',
  stale_admin: 'Is this admin role still needed?',
  stale_invite: 'Is this pending invite still wanted?',
  usage_spike: 'Alert: API key usage spike',
  activity_after_removal: 'Alert: activity after its owner was removed',
  dormant_resumed: 'Alert: dormant access in use again',
  privilege_grant: 'Alert: privilege granted',
  unknown_actor: 'Alert: activity from an unknown actor',
  unattested_access: 'Nobody has attested this access',
  leaver: 'Alert: a leaver still holds access',
  revocation_undone: 'Alert: a revoked key is active again',
  certification: 'Certification: is this access still needed?',
};

export const titleOf = (kind: string): string => KIND_TITLES[kind] ?? `Finding: ${kind}`;

/** One line naming the access, e.g. "API key `ci-deploy` (sk-ant-api03-…AbCd) in workspace Prod". */
export function accessLine(e: Evidence): string {
  const a = e.access;
  const ws = a.workspaceName ?? a.workspaceId;
  const where = ws ? ` in workspace *${safe(ws)}*` : a.scope === 'organization' ? ' (organisation-wide)' : '';
  switch (a.kind) {
    case 'api_key':
      return `API key \`${safe(e.subject.label)}\`${a.keyHint ? ` (${safe(a.keyHint)})` : ''}${where}${a.status && a.status !== 'active' ? ` — ${safe(a.status)}` : ''}`;
    case 'seat':
      return `Seat of *${safe(e.subject.label)}*${a.role ? ` (role ${safe(a.role)})` : ''}`;
    case 'org_admin':
      return `Organisation role *${safe(a.role ?? 'admin')}* held by *${safe(e.subject.label)}*`;
    case 'workspace_admin':
      return `Workspace admin role of *${safe(e.subject.label)}*${where}`;
    case 'service_account':
      return `Service account *${safe(e.subject.label)}*${where}`;
    case 'invite':
      return `Invite for *${safe(e.subject.label)}*${a.role ? ` as ${safe(a.role)}` : ''}`;
    default:
      return `${safe(e.subject.type)} *${safe(e.subject.label)}*`;
  }
}

export function ownerLine(e: Evidence): string {
  const o = e.owner;
  if (o.via === null) return `nobody${o.unownedReason ? ` (${o.unownedReason.replace(/_/g, ' ')})` : ''}`;
  const who = o.slackId ? `<@${o.slackId}>` : safe(o.email ?? o.userId ?? 'unknown');
  return `${who} (${o.via})`;
}

/**
 * The evidence a reviewer needs, within Block Kit's limits (≤ 10 fields, ≤ 2000 chars each).
 * `holdings: false`: a leaver's accesses are drawn by the caller (the alert, one button each).
 */
export function evidenceBlocks(e: Evidence, opts: { holdings?: boolean } = {}): KnownBlock[] {
  const fields: MrkdwnElement[] = [
    mrkdwn(
      `*Created*\n${slackDate(e.createdAt)}${e.createdBy ? ` by ${safe(e.createdBy.label ?? e.createdBy.id)}` : ''}`,
      2000,
    ),
    mrkdwn(
      `*Last activity*\n${e.lastActivity ? `${slackDate(e.lastActivity.at)}${e.lastActivity.type ? ` (${safe(e.lastActivity.type)})` : ''}` : 'never'}`,
      2000,
    ),
    mrkdwn(
      `*Activity 7 / 30 / 90 days*\n${count(e.counts.d7)} / ${count(e.counts.d30)} / ${count(e.counts.d90)}`,
      2000,
    ),
    mrkdwn(`*Owner*\n${ownerLine(e)}`, 2000),
  ];
  if (e.usage) {
    fields.push(
      mrkdwn(`*Usage 30 days*\n${plural(e.usage.requests30, 'request')}, ${plural(e.usage.tokens30, 'token')}`, 2000),
      mrkdwn(`*Usage 90 days*\n${plural(e.usage.requests90, 'request')}, ${plural(e.usage.tokens90, 'token')}`, 2000),
    );
  }
  // With several organisations, every item says which one holds the access (issue 17).
  const org = e.organization ? `*${safe(e.organization.name)}* · ` : '';
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(`${org}${accessLine(e)}\n_${safe(e.rule)}_`) },
    ...undidBlocks(e),
    { type: 'section', fields },
  ];
  const holdings = opts.holdings === false ? [] : leaverHoldings(e);
  if (holdings.length > 0)
    blocks.push({
      type: 'section',
      text: mrkdwn(
        clip(
          `*Still holds*\n${holdings.map((h) => `• ${HOLDING[h.type] ?? safe(h.type)} ${safe(h.label)}`).join('\n')}`,
          3000,
        ),
      ),
    });
  // A leaver's keys that others still use: unowned now (each its own finding), not revoked with them.
  const handedOn = leaverUnownedKeys(e);
  if (handedOn.length > 0)
    blocks.push({
      type: 'section',
      text: mrkdwn(
        clip(
          `*Created by them, still used by others* (unowned now, not revoked with them)\n${handedOn.map((h) => `• API key ${safe(h.label)}`).join('\n')}`,
          3000,
        ),
      ),
    });
  // The approval record given when the access was created (issue 20).
  if (e.approval) blocks.push({ type: 'section', text: mrkdwn(approvalLine(e.approval)) });
  if (e.weekly.length > 0) {
    blocks.push({ type: 'context', elements: [mrkdwn(`Last ${e.weekly.length} weeks: \`${sparkline(e.weekly)}\``)] });
  }
  return blocks;
}

/** `revocation_undone`: the decision it undid, with the person who made it mentioned. */
function undidBlocks(e: Evidence): KnownBlock[] {
  const u = e.kind === 'revocation_undone' ? (e.anomaly?.['undid'] as Record<string, unknown> | undefined) : undefined;
  if (!u) return [];
  const text = (k: string): string | null => {
    const v = u[k];
    return typeof v === 'string' ? v : null;
  };
  const decision = text('decision') === 'timeout_revoke' ? 'Revoke on timeout' : 'Revoke';
  const decider = text('decidedBySlackId');
  const reviewId = text('reviewId');
  const by = decider ? ` by ${mention(decider)}` : '';
  const review = reviewId ? ` (review \`${safe(reviewId)}\`)` : '';
  return [
    {
      type: 'section',
      text: mrkdwn(
        `*Undid:* ${decision}${by} on ${slackDate(text('decidedAt'))}${review}, carried out ${slackDate(text('deactivatedAt'))}`,
      ),
    },
  ];
}

/** Plain-text fallback (notifications, screen readers): the gist in one line. */
export function evidenceText(e: Evidence): string {
  const last = e.lastActivity ? `last active ${e.lastActivity.at.slice(0, 10)}` : 'never used';
  return `${titleOf(e.kind)} ${e.subject.label} (${e.subject.type.replace('_', ' ')}), ${last}. ${e.rule}`;
}

/** The approval record as one line under the evidence of any later review, alert or campaign item. */
export function approvalLine(p: Approval): string {
  return `*Approved purpose:* “${safe(p.purpose)}” — business owner ${mention(p.businessOwnerSlackId)}, attested by ${mention(p.attestedBySlackId)} ${slackDate(p.attestedAt)}${p.endDate ? `, until ${safe(p.endDate)}` : ''}`;
}
