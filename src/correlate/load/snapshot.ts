import type { Policy } from '../../config/policy.js';
import { readComplianceState } from '../../db/compliance-state.js';
import type { Executor } from '../../db/types.js';
import type { SuppressionRules } from '../suppression.js';
import type { Target } from '../../domain/target.js';
import { type Snapshot, type UserRecord } from '../types.js';
import { membershipId } from '../../domain/findings.js';
import {
  loadCandidateKeys,
  loadCandidateUsers,
  loadInvites,
  loadMemberships,
  loadRecentCounts,
  loadServiceAccounts,
  loadUsersById,
  loadWorkspaces,
} from './directory.js';
import { loadParams, type LoadParams, type PassScope } from './params.js';
import {
  loadActorsNotInDirectory,
  loadDirectorySyncedAt,
  loadLastGrants,
  loadListedAnywhere,
  loadRecentGrants,
  loadSpikeCandidates,
} from './signals.js';
import { loadAttestations, loadDepartures, loadKeyIdsOfEmails } from './lifecycle.js';
import { loadCertifications, loadClaims, loadExemptions, loadOpenFindings, loadOverrides } from './state.js';
import { loadUndoneSignals } from './undone.js';

export interface LoadedSnapshot {
  snapshot: Snapshot;
  suppression: SuppressionRules;
  params: LoadParams;
}

/**
 * Loads what the rules need, of one organisation (`scope`, issue 17), in a few set-based queries: small tables whole, and from
 * the large ones (users, keys) only the rows that could fire a rule under this policy,
 * plus every subject of an open finding (to re-check or resolve it) and the target's
 * access. Per-principal history comes from `principal_activity_summary`, so the cost
 * follows the number of principals, never the number of raw events.
 */
export async function loadSnapshot(
  ex: Executor,
  policy: Policy,
  now: Date,
  target: Target,
  scope: PassScope & { org: string },
  /** The organisation's name as last identified, for policy entries that name it (issue 17). */
  orgName: string | null = null,
): Promise<LoadedSnapshot> {
  const org = { id: scope.org, name: orgName };
  const p = loadParams(policy, now, target, scope);
  const [
    openFindings,
    overrides,
    claims,
    exemptions,
    certifications,
    spikeCandidates,
    actors,
    recentGrants,
    lastGrantAt,
    accounts,
    workspaces,
    attestations,
    departures,
    compliance,
    undone,
  ] = await Promise.all([
    loadOpenFindings(ex, scope.org),
    loadOverrides(ex, policy, org),
    loadClaims(ex, scope.org),
    loadExemptions(ex, policy, now, org),
    loadCertifications(ex, now, p.org),
    loadSpikeCandidates(ex, p),
    loadActorsNotInDirectory(ex, p),
    loadRecentGrants(ex, p),
    loadLastGrants(ex, p),
    loadServiceAccounts(ex, p),
    loadWorkspaces(ex, p),
    loadAttestations(ex, p),
    loadDepartures(ex),
    readComplianceState(ex),
    policy.anomalies.revocation_undone.enabled ? loadUndoneSignals(ex, p) : null,
  ]);

  // Only an unknown actor needs the time of the last directory listing (a scan of the directory).
  const directorySyncedAt = actors.length > 0 ? await loadDirectorySyncedAt(ex, p) : null;

  const userIds = new Set<string>();
  const emails = new Set<string>();
  const keyIds = new Set<string>();
  const pairs = new Set<string>();
  const inviteIds = new Set<string>();
  for (const f of openFindings) {
    const { type, id } = f.subject;
    if (type === 'user') userIds.add(id);
    else if (type === 'api_key') keyIds.add(id);
    else if (type === 'invite') inviteIds.add(id);
    else if (type === 'workspace_member') {
      pairs.add(id);
      userIds.add(id.slice(id.indexOf('/') + 1));
    }
  }
  for (const g of recentGrants) {
    if (g.actorId) userIds.add(g.actorId);
    if (g.granteeType === 'user') userIds.add(g.granteeId);
    if (g.granteeType === 'workspace_member' && g.workspaceId) {
      userIds.add(g.granteeId);
      pairs.add(membershipId(g.workspaceId, g.granteeId));
    }
  }
  for (const c of spikeCandidates) keyIds.add(c.keyId);
  // Lifecycle (issue 20): attested access is re-checked; a leaver's seat, roles and keys are listed.
  for (const a of attestations.values()) {
    if (a.subjectType === 'api_key') keyIds.add(a.subjectId);
    else if (a.subjectType === 'user') userIds.add(a.subjectId);
    else if (a.subjectType === 'workspace_member') {
      pairs.add(a.subjectId);
      userIds.add(a.subjectId.slice(a.subjectId.indexOf('/') + 1));
    }
  }
  const leaverEmails = new Set(departures.map((d) => d.email));
  for (const e of leaverEmails) emails.add(e);
  for (const id of await loadKeyIdsOfEmails(ex, p, leaverEmails)) keyIds.add(id);
  for (const c of undone?.keyStatusChanges ?? []) if (c.current === 'active') keyIds.add(c.keyId);
  for (const o of overrides.values()) if (o.email) emails.add(o.email.toLowerCase());
  if (target.kind === 'user') userIds.add(target.userId);
  if (target.kind === 'email') emails.add(target.email);
  if (target.kind === 'key') keyIds.add(target.keyId);

  const unknownActors = new Set(openFindings.filter((f) => f.kind === 'unknown_actor').map((f) => f.subject.id));
  const [users, keys, memberships, invites, listedElsewhere] = await Promise.all([
    loadCandidateUsers(ex, p, userIds, emails),
    loadCandidateKeys(ex, p, keyIds),
    loadMemberships(ex, p, pairs),
    loadInvites(ex, p, inviteIds, target.kind === 'email' ? new Set([target.email]) : new Set()),
    p.org === null ? new Set<string>() : loadListedAnywhere(ex, unknownActors),
  ]);

  // People the loaded rows point at: key principals and creators, members, account creators.
  const userMap = new Map<string, UserRecord>(users.map((u) => [u.id, u]));
  const referenced = new Set<string>();
  const want = (id: string | null | undefined) => {
    if (id && !userMap.has(id)) referenced.add(id);
  };
  for (const k of keys) {
    want(k.principal?.id);
    want(k.createdBy?.id);
  }
  for (const m of memberships) want(m.userId);
  for (const a of accounts) want(a.createdById);
  for (const u of await loadUsersById(ex, p, referenced)) userMap.set(u.id, u);

  const snapshot: Snapshot = {
    users: userMap,
    keys: new Map(keys.map((k) => [k.id, k])),
    serviceAccounts: new Map(accounts.map((a) => [a.id, a])),
    workspaces: new Map(workspaces.map((w) => [w.id, w])),
    memberships,
    invites: new Map(invites.map((i) => [i.id, i])),
    spikeCandidates,
    actorsNotInDirectory: actors,
    recentGrants,
    lastGrantAt,
    openFindings,
    overrides,
    claims,
    directorySyncedAt,
    ...(listedElsewhere.size > 0 ? { listedElsewhere } : {}),
    attestations,
    departures,
    ...(compliance?.enabled === false ? { activityUnavailable: true } : {}),
    ...undone,
  };
  return { snapshot, suppression: { exemptions, certifications }, params: p };
}

/**
 * Fills in the recent daily counts (for evidence windows) of the given principals,
 * after the rules have said which ones have findings: the jsonb is fetched only for them.
 */
export async function attachRecentCounts(
  ex: Executor,
  p: LoadParams,
  snapshot: Snapshot,
  ids: Set<string>,
): Promise<void> {
  const recent = await loadRecentCounts(ex, p, ids);
  const activityOf = (id: string) =>
    snapshot.users.get(id)?.activity ??
    snapshot.keys.get(id)?.activity ??
    snapshot.serviceAccounts.get(id)?.activity ??
    snapshot.actorsNotInDirectory.find((a) => a.id === id)?.activity ??
    null;
  for (const [id, r] of recent) {
    const a = activityOf(id);
    if (!a) continue;
    a.recentEvents = r.events;
    a.recentUsage = r.usage;
  }
}
