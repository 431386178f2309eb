import { sql } from 'drizzle-orm';
import { StewardError } from '../domain/errors.js';
import type { LoadedPolicy } from '../config/policy.js';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import { membershipId, type FindingKind, type Subject } from '../domain/findings.js';
import { ORG_ADMIN_ROLES, WORKSPACE_ADMIN_ROLE } from '../domain/roles.js';
import type { AccessInventory } from '../review/campaigns/deps.js';
import type { AccessKind, CampaignAccess, CampaignScope } from '../review/campaigns/rules.js';
import { assemble } from './assemble.js';
import {
  loadCandidateKeys,
  loadMemberships,
  loadServiceAccounts,
  loadUsersById,
  loadWorkspaces,
} from './load/directory.js';
import { loadParams } from './load/params.js';
import { attachRecentCounts } from './load/snapshot.js';
import { valuesIn } from './load/sql.js';
import { loadClaims, loadOverrides } from './load/state.js';
import type { OrgIdentity } from '../domain/org-match.js';
import { loadAttestations } from './load/lifecycle.js';
import type { Detection, Snapshot } from './types.js';

/**
 * Every access a campaign's scope covers, with the evidence a finding's review shows
 * (activity, usage, sparkline, owner): the directory rows in scope, read in a few
 * set-based queries, assembled by the same `assemble` as findings. Implements the
 * review layer's `AccessInventory` port (issue 16).
 */
export function createAccessInventory(deps: { db: Executor; policy: LoadedPolicy }): AccessInventory {
  return { accessesIn: (scope, now) => accessesIn(deps.db, deps.policy, scope, now) };
}

/** Which evidence view `assemble` gives each access: a seat, an admin role, a key. */
const VIEW_OF: Record<AccessKind, FindingKind> = {
  seat: 'dormant_seat',
  org_admin: 'stale_admin',
  workspace_admin: 'stale_admin',
  workspace_member: 'stale_admin',
  api_key: 'dormant_key',
};

interface InScope {
  seats: string[];
  orgAdmins: string[];
  members: Array<{ workspaceId: string; userId: string }>;
  keys: string[];
}

/** One organisation's ids in scope (issue 17: ids are unique per organisation only). */
async function idsInScope(ex: Executor, scope: CampaignScope, org: string): Promise<InScope> {
  const ids = async (q: ReturnType<typeof sql>) => (await queryRows<{ id: string }>(ex, q)).map((r) => String(r.id));
  const inOrg = (alias: string) => sql`and ${sql.raw(alias)}org_id = ${org}`;
  const liveUsers = sql`select id from org_users where removed_at is null ${inOrg('')}`;
  const liveKeys = sql`select id from api_keys where removed_at is null and status = 'active' ${inOrg('')}`;
  const members = async (where: ReturnType<typeof sql>) =>
    (
      await queryRows<{ workspace_id: string; user_id: string }>(
        ex,
        sql`select m.workspace_id, m.user_id from workspace_members m join org_users u on u.org_id = m.org_id and u.id = m.user_id
            where m.removed_at is null and u.removed_at is null ${inOrg('m.')} and ${where} order by 1, 2`,
      )
    ).map((r) => ({ workspaceId: String(r.workspace_id), userId: String(r.user_id) }));
  const admins = () => ids(sql`${liveUsers} and role in ${valuesIn(ORG_ADMIN_ROLES)} order by id`);
  switch (scope.kind) {
    case 'seats':
      return { seats: await ids(sql`${liveUsers} order by id`), orgAdmins: [], members: [], keys: [] };
    case 'keys':
      return { seats: [], orgAdmins: [], members: [], keys: await ids(sql`${liveKeys} order by id`) };
    case 'admins':
      return {
        seats: [],
        orgAdmins: await admins(),
        members: await members(sql`m.workspace_role = ${WORKSPACE_ADMIN_ROLE}`),
        keys: [],
      };
    case 'all':
    case 'org':
      return {
        seats: await ids(sql`${liveUsers} order by id`),
        orgAdmins: await admins(),
        members: await members(sql`m.workspace_role = ${WORKSPACE_ADMIN_ROLE}`),
        keys: await ids(sql`${liveKeys} order by id`),
      };
    case 'workspace':
      return {
        seats: [],
        orgAdmins: [],
        members: await members(sql`m.workspace_id = ${scope.workspaceId}`),
        keys: await ids(sql`${liveKeys} and workspace_id = ${scope.workspaceId} order by id`),
      };
  }
}

/**
 * Every access in scope, one organisation at a time (issue 17): `org:<id or name>` is that
 * organisation's everything; any other scope is looked up in each organisation that holds
 * live access (and in rows not identified yet), so the same id in two organisations is two
 * accesses, each with its own organisation's evidence, owner and claims.
 */
async function accessesIn(
  ex: Executor,
  policy: LoadedPolicy,
  scope: CampaignScope,
  now: Date,
): Promise<CampaignAccess[]> {
  const orgs = scope.kind === 'org' ? [await namedOrg(ex, scope.org)] : await orgsWithAccess(ex);
  const out: CampaignAccess[] = [];
  for (const org of orgs) out.push(...(await accessesInOrg(ex, policy, scope, now, org)));
  return out;
}

async function accessesInOrg(
  ex: Executor,
  policy: LoadedPolicy,
  scope: CampaignScope,
  now: Date,
  org: OrgIdentity,
): Promise<CampaignAccess[]> {
  const want = await idsInScope(ex, scope, org.id);
  // No rule prefilters here: only the ids in scope are loaded, of this organisation.
  const scoped = { org: org.id, orglessActivity: false, orglessActors: false };
  const p = {
    ...loadParams(policy.policy, now, { kind: 'all' }, scoped),
    seatCut: null,
    keyCut: null,
    adminCut: null,
    inviteCut: null,
    unownedKeys: false,
    afterRemoval: false,
  };
  const pairs = new Set(want.members.map((m) => membershipId(m.workspaceId, m.userId)));
  const [keys, memberships, accounts, workspaces, overrides, claims] = await Promise.all([
    loadCandidateKeys(ex, p, new Set(want.keys)),
    loadMemberships(ex, p, pairs),
    loadServiceAccounts(ex, p),
    loadWorkspaces(ex, p),
    loadOverrides(ex, policy.policy, org),
    loadClaims(ex, org.id),
  ]);
  const userIds = new Set([...want.seats, ...want.orgAdmins, ...want.members.map((m) => m.userId)]);
  for (const k of keys) {
    if (k.principal) userIds.add(k.principal.id);
    if (k.createdBy) userIds.add(k.createdBy.id);
  }
  for (const a of accounts) if (a.createdById) userIds.add(a.createdById);
  const users = await loadUsersById(ex, p, userIds);
  const snapshot: Snapshot = {
    users: new Map(users.map((u) => [u.id, u])),
    keys: new Map(keys.map((k) => [k.id, k])),
    serviceAccounts: new Map(accounts.map((a) => [a.id, a])),
    workspaces: new Map(workspaces.map((w) => [w.id, w])),
    memberships,
    invites: new Map(),
    spikeCandidates: [],
    actorsNotInDirectory: [],
    recentGrants: [],
    lastGrantAt: new Map(),
    openFindings: [],
    overrides,
    claims,
    directorySyncedAt: null,
    // The approval record shows on campaign items too (issue 20).
    attestations: await loadAttestations(ex, p),
    departures: [],
  };
  await attachRecentCounts(
    ex,
    p,
    snapshot,
    new Set([...want.seats, ...want.orgAdmins, ...want.members.map((m) => m.userId), ...want.keys]),
  );

  const out: CampaignAccess[] = [];
  const add = (accessKind: AccessKind, subject: Subject, activityOf: string, workspaceId: string | null) => {
    const d: Detection = {
      kind: VIEW_OF[accessKind],
      fingerprint: '',
      subject,
      activityOf,
      rule: '',
      thresholds: {},
    };
    const evidence = assemble(d, snapshot, new Map(), now).evidence;
    if (accessKind === 'workspace_member') {
      evidence.access = { ...evidence.access, kind: 'seat' };
      delete evidence.lastAdminActivity;
    }
    out.push({ accessKind, subject, org, workspaceId, evidence });
  };
  for (const id of want.seats) add('seat', { type: 'user', id }, id, null);
  for (const id of want.orgAdmins) add('org_admin', { type: 'user', id }, id, null);
  for (const m of want.members) {
    const role = memberships.find((x) => x.workspaceId === m.workspaceId && x.userId === m.userId)?.role;
    const kind: AccessKind = role === WORKSPACE_ADMIN_ROLE ? 'workspace_admin' : 'workspace_member';
    add(kind, { type: 'workspace_member', id: membershipId(m.workspaceId, m.userId) }, m.userId, m.workspaceId);
  }
  for (const id of want.keys) add('api_key', { type: 'api_key', id }, id, snapshot.keys.get(id)?.workspaceId ?? null);
  return out;
}

/** The organisation a scope names by id or name; an unknown one is a bad scope, named. */
async function namedOrg(ex: Executor, idOrName: string): Promise<OrgIdentity> {
  const [org] = await queryRows<{ id: string; name: string }>(
    ex,
    sql`select id, name from organizations where id = ${idOrName} or lower(name) = lower(${idOrName}) order by (id = ${idOrName}) desc limit 1`,
  );
  if (!org) throw new StewardError('bad_target', `No organisation has the id or name "${idOrName}".`, { retry: false });
  return { id: String(org.id), name: String(org.name) };
}

/** The organisations holding live access ('' for rows not identified yet), with their names. */
async function orgsWithAccess(ex: Executor): Promise<OrgIdentity[]> {
  const rows = await queryRows<{ id: string; name: string | null }>(
    ex,
    sql`select x.org_id as id, o.name from (
          select org_id from org_users where removed_at is null
          union select org_id from api_keys where removed_at is null
          union select org_id from workspace_members where removed_at is null) x
        left join organizations o on o.id = x.org_id order by x.org_id`,
  );
  return rows.map((r) => ({ id: String(r.id), name: r.name === null ? null : String(r.name) }));
}
