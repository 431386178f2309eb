import { StewardError } from './errors.js';

/**
 * The words every layer shares about what Steward finds: kinds of finding, kinds of
 * subject, and how a subject is named. Pure data and functions.
 */

export const FINDING_KINDS = [
  'dormant_seat',
  'dormant_key',
  'unowned_key',
  'stale_admin',
  'stale_invite',
  'usage_spike',
  'activity_after_removal',
  'dormant_resumed',
  'privilege_grant',
  'unknown_actor',
  'unattested_access',
  'leaver',
  'revocation_undone',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/**
 * Anomalies are events: once reported they stay until someone handles them, a handled
 * one is never reopened, and they go to the security channel as alerts. The other kinds
 * are states: they resolve when they stop holding and reopen when they hold again.
 */
export const ANOMALY_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'usage_spike',
  'activity_after_removal',
  'dormant_resumed',
  'privilege_grant',
  'unknown_actor',
  'leaver',
  'revocation_undone',
]);

export function isAnomaly(kind: string): boolean {
  return ANOMALY_KINDS.has(kind as FindingKind);
}

export const SUBJECT_TYPES = ['user', 'api_key', 'service_account', 'invite', 'workspace_member'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** What a finding, exemption, claim or review is about. */
export interface Subject {
  type: SubjectType;
  id: string;
}

export const subjectKey = (s: Subject): string => `${s.type}:${s.id}`;

/** The subject a policy entry (exemption, owner override) names by exactly one of its keys. */
export function subjectOf(v: Partial<Record<SubjectType, string | undefined>>): Subject {
  for (const type of SUBJECT_TYPES) {
    const id = v[type];
    if (id !== undefined) return { type, id };
  }
  // The policy schema refuses such an entry before it gets here.
  throw new StewardError('policy_invalid', `A policy entry names no subject (one of: ${SUBJECT_TYPES.join(', ')}).`, {
    retry: false,
  });
}

/** A workspace membership is named `<workspace id>/<user id>`. */
export const membershipId = (workspaceId: string, userId: string): string => `${workspaceId}/${userId}`;

/** The two halves of a membership id; a bare user id has no workspace in it. */
export function splitMembershipId(id: string): { workspaceId: string | null; userId: string } {
  const i = id.indexOf('/');
  return i > 0 ? { workspaceId: id.slice(0, i), userId: id.slice(i + 1) } : { workspaceId: null, userId: id };
}
