/**
 * The shape of a scenario with a known answer: the organisation as Admin API and Compliance
 * API wire objects (each with when a directory sync first and last listed it), usage, Steward's
 * prior state, and exactly what correlation must conclude from it.
 */
import type {
  APIKey,
  OrganizationInvite,
  OrganizationUser,
  ServiceAccount,
  Workspace,
  WorkspaceMember,
} from '@anthropic-ai/sdk/resources/organization/index.js';

/** An object as a directory sync would have seen it: first listed at, and gone from listings at. */
export interface Listed<T> {
  wire: T;
  firstSeenAt: string;
  /** When it disappeared from complete listings (removed, deleted); absent if still listed. */
  removedAt?: string;
}

/** A Compliance API activity as the feed returns it. */
export type Activity = Record<string, unknown> & {
  id: string;
  created_at: string;
  type: string;
  actor: Record<string, unknown> & { type: string };
};

/** One key's usage on one UTC day (the usage analytics endpoint grouped by api_key_id). */
export interface KeyUsageDay {
  apiKeyId: string;
  date: string;
  requests: number;
  uncachedInputTokens: number;
  outputTokens: number;
}

/** One seat's countable actions on one UTC day (Enterprise user analytics). */
export interface SeatUsageDay {
  userId: string;
  date: string;
  actions: number;
}

/** Steward's own state before the run: an open finding detected earlier. */
export interface PriorFinding {
  kind: string;
  subjectType: string;
  subjectId: string;
  firstDetectedAt: string;
  /** `evidence.lastActivity.at` when it was detected. */
  lastActivityAt: string | null;
}

export interface ScenarioClaim {
  subjectType: string;
  subjectId: string;
  claimedBySlackId: string;
  claimedByEmail: string;
  claimedAt: string;
}

export interface ExpectedFinding {
  kind: string;
  subjectType: string;
  subjectId: string;
  /** How the owner was found, or null when nobody is accountable. */
  via: 'holder' | 'principal' | 'creator' | 'override' | 'claim' | null;
  ownerUserId?: string | null;
  unownedReason?: string;
}

export interface KnownOrgScenario {
  now: Date;
  organization: { id: string; uuid: string; name: string };
  /** Policy file content for the run (defaults otherwise). */
  policy: Record<string, unknown>;
  users: Array<Listed<OrganizationUser>>;
  invites: Array<Listed<OrganizationInvite>>;
  workspaces: Array<Listed<Workspace>>;
  workspaceMembers: Array<Listed<WorkspaceMember>>;
  serviceAccounts: Array<Listed<ServiceAccount>>;
  apiKeys: Array<Listed<APIKey>>;
  activities: Activity[];
  keyUsage: KeyUsageDay[];
  seatUsage: SeatUsageDay[];
  priorFindings: PriorFinding[];
  claims: ScenarioClaim[];
  /** Exactly the findings correlation must produce: no more, no fewer. */
  expectedFindings: ExpectedFinding[];
  /** Prior findings that must be resolved, with the reason. */
  expectedResolutions: Array<{ kind: string; subjectType: string; subjectId: string; reason: string }>;
}
