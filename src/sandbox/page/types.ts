/**
 * What the sandbox page server needs from the rest of the sandbox, and what it returns.
 * The composition root (src/sandbox/main.ts) implements OrgPanelSource over Steward's
 * database and the Anthropic simulator, and TimeControl over the simulated clock and
 * Steward's jobs.
 */
import type { Writable } from 'node:stream';
import type { SlackSim } from '../../sim/slack/index.js';

/** One change Steward made to the organisation through the Admin API. */
export interface AdminChange {
  at: Date;
  /** The outbox action kind: deactivate_key, restore_key, remove_member, lower_org_role, lower_workspace_role, delete_invite, archive_service_account. */
  kind: string;
  /** One sentence for people, e.g. "API key deactivated". */
  summary: string;
  target: { type: string; id: string; label: string | null };
  status: 'succeeded' | 'failed' | 'pending' | 'dry_run';
  /** Who asked for it (Slack user id), or null for Steward itself (a timeout policy). */
  requestedBy: string | null;
  /** The Admin API request as the organisation saw it, when known (from the Anthropic simulator's log). */
  request?: { method: string; path: string; status: number | null } | null;
  /** An error or other detail worth showing. */
  detail?: string | null;
}

/** One audit log row, as the panel lists it (evidence and details left out). */
export interface AuditRowSummary {
  seq: number;
  at: Date;
  /** `slack_user` or `system` (audit_log.actor_type). */
  actor: { type: string; slackId: string | null; label: string | null };
  action: string;
  subject: { type: string; id: string } | null;
  outcome: string;
  reviewItemId: string | null;
  hash: string;
}

/** The hash chain's verification (src/audit/verify.ts VerifyResult, plus when it ran). */
export interface ChainState {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  problem?: { seq: number; kind: string; message: string } | null;
  checkedAt: Date;
}

export interface OrgPanel {
  organisation: { name: string; stats?: Array<{ label: string; value: string | number }> };
  /** Newest first; the page shows them all, so keep it to the latest few dozen. */
  changes: AdminChange[];
  /** The latest rows, newest first, and the verification of the whole chain. */
  audit: { rows: AuditRowSummary[]; chain: ChainState };
}

export interface OrgPanelSource {
  snapshot(): Promise<OrgPanel>;
  /** Writes the HTML evidence report (src/audit/report.ts writeReport) to `out`; the server ends `out`. */
  writeEvidenceReport(out: Writable): Promise<void>;
  /** Writes the CSV export of decisions (src/audit/export.ts, format csv) to `out`; the server ends `out`. */
  writeCsvExport(out: Writable): Promise<void>;
  /**
   * Optional: calls `listener` when the panel may have changed (an Admin API call, an audit
   * row). Without it the page refreshes the panel after each Slack change and each action.
   */
  onChange?(listener: () => void): () => void;
}

export interface JobRun {
  job: string;
  ok: boolean;
  /** e.g. "3 reminders, 1 escalation" or the error message. */
  summary?: string;
}

export interface TimeAdvance {
  /** The simulated clock after the move. */
  now: Date;
  /** The jobs that ran, in order. */
  ran: JobRun[];
}

export interface TimeControl {
  /** The simulated clock now. */
  now(): Date;
  /** Moves the simulated clock forward by `days` and runs what the scheduler would have run. */
  advance(days: number): Promise<TimeAdvance>;
}

export interface SandboxPageOptions {
  /** A running Slack simulator whose request URL points at Steward. */
  sim: SlackSim;
  org?: OrgPanelSource;
  time?: TimeControl;
  /** Default 127.0.0.1: the page can act as anyone in the workspace, so keep it local. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The channel the page opens first (id or name, e.g. the security channel). */
  homeChannel?: string;
  /** The app's display name (default "Steward"). */
  appName?: string;
  /** Called with errors the page answered with a 5xx (default: ignored). */
  onError?: (err: unknown, where: string) => void;
}

export interface SandboxPage {
  /** http://host:port/ */
  url: string;
  close(): Promise<void>;
}
