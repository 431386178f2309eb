import type { Evidence, Owner } from '../domain/evidence.js';
import type { FindingKind, Subject } from '../domain/findings.js';

/** What the roll-ups say about one principal, over all time (from `principal_activity_summary`). */
export interface ActivitySummary {
  firstEventAt: Date | null;
  lastEventAt: Date | null;
  lastEventType: string | null;
  /** UTC days, `YYYY-MM-DD`. */
  lastEventDay: string | null;
  /** Last day with a feed event that was not a `*_viewed` (a background load is not use). */
  lastUseDay: string | null;
  lastAdminDay: string | null;
  /** API requests for a key, seat actions for a user. */
  lastUsageDay: string | null;
  /** Feed events per UTC day over the last active ~120 days. */
  recentEvents: Record<string, number>;
  /** Usage per UTC day over the same span: [requests or seat actions, tokens]. */
  recentUsage: Record<string, [number, number]>;
}

export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  role: string;
  addedAt: Date | null;
  firstSeenAt: Date;
  removedAt: Date | null;
  activity: ActivitySummary | null;
}

export interface ActorRef {
  /** As the API gave it: `user`, `service_account`, `user_actor` … */
  type: string;
  id: string;
}

export interface KeyRecord {
  id: string;
  name: string;
  status: string;
  createdAt: Date | null;
  createdBy: ActorRef | null;
  principal: ActorRef | null;
  scope: string | null;
  workspaceId: string | null;
  hint: string | null;
  firstSeenAt: Date;
  removedAt: Date | null;
  activity: ActivitySummary | null;
}

export interface ServiceAccountRecord {
  id: string;
  name: string;
  status: string | null;
  createdAt: Date | null;
  createdById: string | null;
  removedAt: Date | null;
  activity: ActivitySummary | null;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  archivedAt: Date | null;
}

export interface MembershipRecord {
  workspaceId: string;
  userId: string;
  role: string;
  firstSeenAt: Date;
  removedAt: Date | null;
}

export interface InviteRecord {
  id: string;
  email: string;
  role: string;
  status: string;
  invitedAt: Date | null;
  expiresAt: Date | null;
  firstSeenAt: Date;
  removedAt: Date | null;
}

/** A key-day whose requests are above the floor, with the sum of the baseline days before it. */
export interface SpikeCandidate {
  keyId: string;
  day: string;
  requests: number;
  /** Sum of requests over the `baseline_days` days before `day` (missing days count as 0). */
  baselineSum: number;
}

/** A principal with recent activity that no directory table lists. */
export interface ActorRecord {
  id: string;
  type: string;
  activity: ActivitySummary;
}

export interface GrantRecord {
  /** The activity id. */
  id: string;
  grantedAt: Date;
  activityType: string;
  /** `user`, `workspace_member`, `admin_api_key`, or what a newer activity names. */
  granteeType: string;
  granteeId: string;
  workspaceId: string | null;
  role: string | null;
  previousRole: string | null;
  actorType: string | null;
  actorId: string | null;
}

/** A key a Steward decision deactivated: the latest such action that succeeded, and its review. */
export interface StewardDeactivation {
  actionId: string;
  keyId: string;
  /** When the action was created (the decision's time, Steward's clock). */
  requestedAt: Date;
  completedAt: Date;
  /** The review whose decision asked for it; null for an action with no review (none today). */
  review: {
    id: string;
    kind: string | null;
    decision: string | null;
    decidedBySlackId: string | null;
    decidedAt: Date | null;
    reason: string | null;
  } | null;
}

/** One status change of a key, from a `platform_api_key_updated` activity's `updates`. */
export interface KeyStatusChange {
  activityId: string;
  keyId: string;
  at: Date;
  /** As the feed names the actor: `admin_api_key_actor`, `user_actor` … */
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  previous: string | null;
  current: string | null;
}

export interface OpenFindingRecord {
  id: string;
  fingerprint: string;
  kind: FindingKind;
  subject: Subject;
  firstDetectedAt: Date;
}

export interface OwnerOverride {
  subject: Subject;
  email: string | null;
  slackId: string | null;
  /** `policy` or who set it. */
  source: string;
}

export interface Claim {
  subject: Subject;
  slackId: string;
  email: string | null;
  userId: string | null;
  claimedAt: Date;
}

export interface Exemption {
  subject: Subject;
  /** null: every kind of finding. */
  kind: FindingKind | null;
  reason: string;
  expiresAt: Date;
  source: string;
}

/** The approval record of an access created after Steward's baseline (table `attestations`, issue 20). */
export interface AttestationRecord {
  subjectType: string;
  subjectId: string;
  accessKind: string;
  status: 'pending' | 'attested' | 'disowned';
  requestedAt: Date;
  purpose: string | null;
  businessOwnerSlackId: string | null;
  endDate: string | null;
  answeredBySlackId: string | null;
  answeredAt: Date | null;
}

/** A person Steward had matched to Slack whose Slack account is deactivated or gone (issue 20). */
export interface DepartureRecord {
  slackUserId: string;
  email: string;
  how: 'deactivated' | 'gone';
  detectedAt: Date;
}

/**
 * What the rules read: plain data loaded in a few set-based queries. The loader puts
 * in every principal that could fire a rule under the policy in force (a superset);
 * the rules make the exact decision, so they are correct on any subset they are given.
 */
export interface Snapshot {
  users: Map<string, UserRecord>;
  keys: Map<string, KeyRecord>;
  serviceAccounts: Map<string, ServiceAccountRecord>;
  workspaces: Map<string, WorkspaceRecord>;
  memberships: MembershipRecord[];
  invites: Map<string, InviteRecord>;
  spikeCandidates: SpikeCandidate[];
  /** Principals active recently that no directory table lists (checked by the loader). */
  actorsNotInDirectory: ActorRecord[];
  /**
   * Subjects of this organisation's open `unknown_actor` findings that another organisation's
   * directory lists (issue 17): an org-less actor who turned out to be someone's is known now.
   */
  listedElsewhere?: Set<string>;
  /** The Compliance API is off: activity is missing, so nothing is dormant for want of it. */
  activityUnavailable?: boolean;
  /** Grant activities within the anomaly lookback window. */
  recentGrants: GrantRecord[];
  /** Latest grant time per grantee (`userId`, or `workspaceId/userId`), all time. */
  lastGrantAt: Map<string, Date>;
  openFindings: OpenFindingRecord[];
  overrides: Map<string, OwnerOverride>;
  claims: Map<string, Claim>;
  /** When the directory was last listed (latest `last_seen_at`); null if never synced. */
  directorySyncedAt: Date | null;
  /** Approval records by `subject_type:subject_id`. */
  attestations: Map<string, AttestationRecord>;
  /** Slack accounts of matched people that are deactivated or gone. */
  departures: DepartureRecord[];
  /** Keys Steward's decisions deactivated and has not restored itself (`revocation_undone`). */
  stewardDeactivations?: StewardDeactivation[];
  /** Status changes of those keys since Steward deactivated them, oldest first. */
  keyStatusChanges?: KeyStatusChange[];
}

/** A rule firing for one subject, before its evidence windows are loaded. */
export interface Detection {
  kind: FindingKind;
  fingerprint: string;
  subject: Subject;
  /** Whose activity the evidence counts (a user, key, service account or actor id), if anyone's. */
  activityOf: string | null;
  /** One sentence saying why it fired, thresholds in words. */
  rule: string;
  thresholds: Record<string, number>;
  anomaly?: Record<string, unknown> | null;
  idleDays?: number | null;
}

/** A finding as correlation produces it: what fired, for whom, with its evidence. */
export interface Finding {
  fingerprint: string;
  kind: FindingKind;
  subject: Subject;
  evidence: Evidence;
  owner: Owner;
}
