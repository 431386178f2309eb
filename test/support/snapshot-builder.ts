import { defaultPolicy, parsePolicy, type Policy } from '../../src/config/policy.js';
import type {
  ActivitySummary,
  ActorRecord,
  AttestationRecord,
  DepartureRecord,
  Claim,
  GrantRecord,
  InviteRecord,
  KeyRecord,
  MembershipRecord,
  OpenFindingRecord,
  OwnerOverride,
  ServiceAccountRecord,
  Snapshot,
  SpikeCandidate,
  UserRecord,
  WorkspaceRecord,
} from '../../src/correlate/types.js';
import { subjectKey } from '../../src/domain/findings.js';

/** Builders for rule tests: small snapshots in a few lines, times relative to `NOW`. */

export const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;

export function daysAgo(n: number, hour = 10): Date {
  const d = new Date(NOW.getTime() - n * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
}

export const dayAgo = (n: number): string => daysAgo(n).toISOString().slice(0, 10);

export function policy(yaml = ''): Policy {
  return yaml ? parsePolicy(yaml, 'test policy').policy : defaultPolicy().policy;
}

/** A feed event `n` days ago (and, if `admin`, an admin event that day too). */
export function activeDaysAgo(n: number, opts: { admin?: number; usage?: number } = {}): ActivitySummary {
  return {
    firstEventAt: daysAgo(400),
    lastEventAt: daysAgo(n),
    lastEventType: 'claude_chat_created',
    lastEventDay: dayAgo(n),
    lastUseDay: dayAgo(n),
    lastAdminDay: opts.admin === undefined ? null : dayAgo(opts.admin),
    lastUsageDay: opts.usage === undefined ? null : dayAgo(opts.usage),
    recentEvents: n < 120 ? { [dayAgo(n)]: 1 } : {},
    recentUsage: opts.usage !== undefined && opts.usage < 120 ? { [dayAgo(opts.usage)]: [1, 0] } : {},
  };
}

export function usedDaysAgo(n: number): ActivitySummary {
  return {
    firstEventAt: null,
    lastEventAt: null,
    lastEventType: null,
    lastEventDay: null,
    lastUseDay: null,
    lastAdminDay: null,
    lastUsageDay: dayAgo(n),
    recentEvents: {},
    recentUsage: n < 120 ? { [dayAgo(n)]: [1, 0] } : {},
  };
}

export function user(id: string, over: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    email: `${id}@acme.test`,
    name: null,
    role: 'user',
    addedAt: daysAgo(365),
    firstSeenAt: daysAgo(365),
    removedAt: null,
    activity: null,
    ...over,
  };
}

/** A credential named after its id, active, created `days` ago, never removed, with no activity. */
const credential = (id: string, days: number) => ({
  id,
  name: id,
  status: 'active',
  createdAt: daysAgo(days),
  removedAt: null,
  activity: null,
});

export function key(id: string, over: Partial<KeyRecord> = {}): KeyRecord {
  return {
    ...credential(id, 365),
    createdBy: null,
    principal: null,
    scope: 'workspace',
    workspaceId: 'wrkspc_1',
    hint: 'sk-ant-…abcd',
    firstSeenAt: daysAgo(365),
    ...over,
  };
}

export function account(id: string, over: Partial<ServiceAccountRecord> = {}): ServiceAccountRecord {
  return { ...credential(id, 300), createdById: null, ...over };
}

export function invite(id: string, over: Partial<InviteRecord> = {}): InviteRecord {
  return {
    id,
    email: `${id}@partner.test`,
    role: 'user',
    status: 'pending',
    invitedAt: daysAgo(1),
    expiresAt: null,
    firstSeenAt: daysAgo(1),
    removedAt: null,
    ...over,
  };
}

export function membership(
  workspaceId: string,
  userId: string,
  over: Partial<MembershipRecord> = {},
): MembershipRecord {
  return { workspaceId, userId, role: 'workspace_user', firstSeenAt: daysAgo(365), removedAt: null, ...over };
}

export interface SnapshotParts {
  users?: UserRecord[];
  keys?: KeyRecord[];
  serviceAccounts?: ServiceAccountRecord[];
  workspaces?: WorkspaceRecord[];
  memberships?: MembershipRecord[];
  invites?: InviteRecord[];
  spikeCandidates?: SpikeCandidate[];
  actorsNotInDirectory?: ActorRecord[];
  recentGrants?: GrantRecord[];
  lastGrantAt?: Map<string, Date>;
  openFindings?: OpenFindingRecord[];
  overrides?: OwnerOverride[];
  claims?: Claim[];
  directorySyncedAt?: Date | null;
  attestations?: AttestationRecord[];
  departures?: DepartureRecord[];
}

export function snapshot(p: SnapshotParts = {}): Snapshot {
  return {
    users: new Map((p.users ?? []).map((u) => [u.id, u])),
    keys: new Map((p.keys ?? []).map((k) => [k.id, k])),
    serviceAccounts: new Map((p.serviceAccounts ?? []).map((a) => [a.id, a])),
    workspaces: new Map((p.workspaces ?? [{ id: 'wrkspc_1', name: 'Main', archivedAt: null }]).map((w) => [w.id, w])),
    memberships: p.memberships ?? [],
    invites: new Map((p.invites ?? []).map((i) => [i.id, i])),
    spikeCandidates: p.spikeCandidates ?? [],
    actorsNotInDirectory: p.actorsNotInDirectory ?? [],
    recentGrants: p.recentGrants ?? [],
    lastGrantAt: p.lastGrantAt ?? new Map(),
    openFindings: p.openFindings ?? [],
    overrides: new Map((p.overrides ?? []).map((o) => [subjectKey(o.subject), o])),
    claims: new Map((p.claims ?? []).map((c) => [subjectKey(c.subject), c])),
    directorySyncedAt: p.directorySyncedAt === undefined ? new Date(NOW.getTime() - 3_600_000) : p.directorySyncedAt,
    attestations: new Map((p.attestations ?? []).map((a) => [`${a.subjectType}:${a.subjectId}`, a])),
    departures: p.departures ?? [],
  };
}
