import type { EvidenceReading } from '../domain/evidence.js';
import type { DecisionRecord } from './decisions.js';

/**
 * The flat row an auditor gets, one per decision: the same columns, in the same order,
 * in CSV and JSON. Key hints are the only key material in it.
 */
export const EXPORT_COLUMNS = [
  'seq',
  'decided_at',
  'organization',
  'organization_id',
  'review_item_id',
  'subject_type',
  'subject_id',
  'subject',
  'access_type',
  'role',
  'workspace_id',
  'workspace_name',
  'key_hint',
  'owner',
  'decision',
  'decided_by',
  'decided_by_anthropic_id',
  'reason',
  'keep_until',
  'last_activity_at',
  'activity_30d',
  'activity_90d',
  'requests_30d',
  'tokens_30d',
  'summary',
  'summary_by',
  'approved_purpose',
  'action_result',
  'action_at',
  'action_error',
  'policy_version',
  'audit_hash',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportCell = string | number | null;
export type ExportRow = Record<ExportColumn, ExportCell>;

export function toExportRow(d: DecisionRecord): ExportRow {
  const ev = d.evidence;
  return {
    seq: d.seq,
    decided_at: d.decidedAt.toISOString(),
    // The organisation of every row (issue 17); empty before Steward identified it.
    organization: d.orgName,
    organization_id: d.orgId,
    review_item_id: d.reviewItemId,
    subject_type: d.subjectType ?? ev?.subject?.type ?? null,
    subject_id: d.subjectId ?? ev?.subject?.id ?? null,
    subject: ev?.subject?.label ?? null,
    access_type: ev?.access?.kind ?? null,
    role: ev?.access?.role ?? null,
    workspace_id: ev?.access?.workspaceId ?? null,
    workspace_name: ev?.access?.workspaceName ?? null,
    key_hint: ev?.access?.keyHint ?? null,
    owner: ev?.owner?.email ?? ev?.owner?.slackId ?? null,
    decision: d.decision,
    decided_by: decidedBy(d),
    decided_by_anthropic_id: d.decidedBy.anthropicId,
    reason: d.reason,
    keep_until: d.keepUntil,
    last_activity_at: ev?.lastActivity?.at ?? null,
    activity_30d: num(ev?.counts?.d30),
    activity_90d: num(ev?.counts?.d90),
    requests_30d: num(ev?.usage?.requests30),
    tokens_30d: num(ev?.usage?.tokens30),
    summary: ev?.reading?.text ?? null,
    summary_by: readingAuthor(ev?.reading),
    // The approval record given when the access was created (issue 20).
    approved_purpose: ev?.approval?.purpose ?? null,
    action_result: d.action?.outcome ?? null,
    action_at: d.action?.at.toISOString() ?? null,
    action_error: d.action?.error ?? null,
    policy_version: d.policyVersion,
    audit_hash: d.hash,
  };
}

/**
 * Who wrote the reading the reviewer saw above the buttons: `claude:<model>` or
 * `template`, so an auditor knows which words were a model's.
 */
function readingAuthor(r: EvidenceReading | null | undefined): string | null {
  if (!r) return null;
  return r.source === 'claude' ? `claude:${r.model ?? 'unknown'}` : 'template';
}

/** The Slack user who decided, or `system:<job>` for a decision a job took (timeouts). */
function decidedBy(d: DecisionRecord): string | null {
  if (d.decidedBy.slackId) return d.decidedBy.slackId;
  if (d.decidedBy.type === 'system') return `system:${d.decidedBy.label ?? 'unknown'}`;
  return d.decidedBy.label;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
