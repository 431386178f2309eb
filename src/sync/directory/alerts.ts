import type { OrgKeyCheck } from '../../db/organization-keys.js';
import type { Rejected } from './validate.js';

/** What the security channel is told when the brake holds a listing's removals back. */
export interface HeldRemovals {
  listing: string;
  /** Rows Steward knew as present before this sync. */
  known: number;
  /** How many this sync would have marked removed. */
  held: number;
  percent: number;
  atLeast: number;
  /** A few of the ids held back (never more than ten). */
  examples: string[];
}

/**
 * The directory sync's way to tell people (the security channel) about what it will not
 * do by itself. Declared here, implemented by Slack (slack/sync-alerts.ts): sync never
 * imports Slack. A failure to alert is logged by the caller, never fails the sync.
 */
export interface DirectoryAlerts {
  removalsHeld(held: HeldRemovals): Promise<void>;
  /** Malformed records seen for the first time (each is reported once). */
  recordsSkipped(rejected: readonly Rejected[]): Promise<void>;
  /** An organisation's Admin key changed state: it cannot read (missing, revoked, 403), or reads again (issue 17). */
  organizationKeys?(changed: readonly OrgKeyCheck[]): Promise<void>;
}
