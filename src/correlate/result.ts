import type { FindingKind, Subject } from '../domain/findings.js';
import type { ResolutionReason } from './resolution.js';
import type { Suppression } from './suppression.js';
import type { Finding } from './types.js';

/**
 * The organisation a finding belongs to (issue 17): the id `/v1/organizations/me` gave, or ''
 * for rows not identified yet; its name as last given, null when not identified.
 */
export interface OrgRef {
  id: string;
  name: string | null;
}

export interface CorrelatedFinding extends Finding {
  /** The stored finding's id; null in a dry run for a finding not stored yet. */
  id: string | null;
  /** The organisation whose pass found it (its stored `org_id`). */
  org: OrgRef;
  /** `new` (first time), `open` (already open, refreshed) or `reopened` (held again after resolving). */
  state: 'new' | 'open' | 'reopened';
  firstDetectedAt: string;
  /** A review item for this fingerprint is already pending or open: do not open another. */
  hasOpenReview: boolean;
}

export interface ResolvedFinding {
  id: string;
  fingerprint: string;
  kind: FindingKind;
  subject: Subject;
  reason: ResolutionReason;
  org: OrgRef;
}

export type OrgSuppression = Suppression & { org: OrgRef };

export interface CorrelationResult {
  runAt: string;
  dryRun: boolean;
  target: string;
  policyVersion: string;
  /** The organisations this run correlated, one pass each, in the order they ran. */
  organizations: OrgRef[];
  /** Every finding that holds now and is not suppressed, i.e. open after the run. */
  findings: CorrelatedFinding[];
  /** Fingerprints opened this run (new or reopened). */
  opened: string[];
  /** Fingerprints that were open and got fresh evidence. */
  refreshed: string[];
  resolved: ResolvedFinding[];
  /** Findings that hold but are exempted or certified: not stored, not reviewed. */
  suppressed: OrgSuppression[];
  /** What the run could not use, one sentence each (a policy entry naming an unknown organisation). */
  notices: string[];
}
