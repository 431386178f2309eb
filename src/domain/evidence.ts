import type { FindingKind, SubjectType } from './findings.js';

/**
 * What a reviewer is shown and what an auditor later reads: one shape, produced by
 * correlation, rendered in Slack, snapshotted into the audit log, exported.
 * Times are ISO 8601 strings so the object survives JSON and jsonb unchanged.
 */
/**
 * What a review item is about: a finding of one of the kinds, or a certification (one
 * access in a campaign's scope, reviewed because everything in scope is, issue 16).
 */
export const CERTIFICATION = 'certification';
export type EvidenceKind = FindingKind | typeof CERTIFICATION;

export interface Evidence {
  kind: EvidenceKind;
  /** One sentence saying why this finding fired, with the thresholds in words. */
  rule: string;
  subject: {
    type: SubjectType;
    id: string;
    /** Email for a person or invite, key name for a key, account name for a service account. */
    label: string;
  };
  access: {
    kind: 'seat' | 'api_key' | 'service_account' | 'org_admin' | 'workspace_admin' | 'invite';
    role?: string | null;
    workspaceId?: string | null;
    workspaceName?: string | null;
    /** `workspace` | `organization` for keys. */
    scope?: string | null;
    /** The only key material ever shown: the API's partial hint. */
    keyHint?: string | null;
    status?: string | null;
  };
  createdAt: string | null;
  createdBy: { type: string; id: string; label: string | null } | null;
  owner: {
    userId: string | null;
    email: string | null;
    slackId: string | null;
    /** How the owner was found; null when nobody is accountable. */
    via: 'holder' | 'principal' | 'creator' | 'override' | 'claim' | null;
    /** Why there is no owner: no_creator_recorded, creator_removed, service_account_unowned … */
    unownedReason?: string | null;
  };
  lastActivity: { at: string; type: string | null } | null;
  /** Admin findings: the last day with an administrative event (null: none on record). */
  lastAdminActivity?: { at: string; type: string | null } | null;
  /** Dormancy and staleness findings: the whole UTC days measured against the threshold. */
  idleDays?: number | null;
  counts: { d7: number; d30: number; d90: number };
  /** Keys only: requests and tokens from the usage roll-up. */
  usage?: { requests30: number; tokens30: number; requests90: number; tokens90: number } | null;
  /** Activity per week, oldest first, 12 weeks ending today. */
  weekly: number[];
  /** The policy thresholds that fired, by name. */
  thresholds: Record<string, number>;
  /** Anomaly specifics (spike day and baseline, removal time, new role …). */
  anomaly?: Record<string, unknown> | null;
  /** When the evidence was computed. */
  asOf: string;
  /**
   * The plain-language reading shown above the buttons (issue 18), added when the review
   * is delivered and stored with it, so an auditor reads exactly what the reviewer read.
   */
  reading?: EvidenceReading | null;
  /**
   * The access's approval record (issue 20): what its creator attested when it was made.
   * Shown in every later DM, alert, campaign item and export.
   */
  approval?: Approval | null;
  /**
   * The organisation that holds the access, when Steward governs several (issue 17): its id
   * (`/v1/organizations/me`) and name. Absent with one organisation.
   */
  organization?: { id: string; name: string };
  /** Certifications: the campaign this access is certified in (issue 16). */
  campaign?: {
    id: string;
    number: number;
    scope: string;
    dueAt: string;
    /** The Slack id of whoever holds privileged access: they may not certify it. */
    holderSlackId: string | null;
  } | null;
}

/**
 * A summary (access reviews) or a triage (alerts) of the evidence, and who wrote it:
 * Claude (with the model's name) or Steward's deterministic template.
 */
export interface EvidenceReading {
  kind: 'summary' | 'triage';
  /** Plain text as shown; a triage is three lines (what happened, why unusual, what to check). */
  text: string;
  source: 'claude' | 'template';
  /** The model that wrote it; null for the template. */
  model: string | null;
  /** Why the template stands in while assist is on: timeout, rate_limited, unavailable, refused, invalid_output, budget. */
  fallback: string | null;
  /** Fingerprint of the facts it was made from (its cache key). */
  facts: string;
}

/** Who answers for a finding's subject, and how that was found. */
export type Owner = Evidence['owner'];

/** An attestation at creation: the purpose, who answers for it in the business, until when. */
export interface Approval {
  purpose: string;
  businessOwnerSlackId: string | null;
  /** `YYYY-MM-DD`, or null when no end was given. */
  endDate: string | null;
  attestedBySlackId: string | null;
  attestedAt: string;
}
