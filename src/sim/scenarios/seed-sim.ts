import type { AnthropicSim } from '../anthropic/index.js';
import { memberKey } from '../anthropic/state/org-state.js';
import type { KnownOrgScenario, Listed } from './known-org.js';

/**
 * Loads the known organisation INTO THE SIMULATED API (not the database), through the
 * sim's public seed helpers, so the real sync has to turn it into Steward's tables:
 * every user, invite, workspace, member, service account and API key with the
 * scenario's ids, times, roles, statuses, creators, principals and scopes; every
 * Compliance activity; every key-usage and seat-usage day. Prior findings and claims
 * are Steward's own state, not the API's: they are not loaded here.
 *
 * The scenario's `firstSeenAt` / `removedAt` are Steward's history ("first listed at",
 * "gone from listings at"), which no single listing can reproduce: a sync run now
 * would stamp every row first seen now and every removed user removed now (so Heidi's
 * chat five days ago would not be "after her removal" twenty days ago, and Mia's
 * workspace admin role would look one second old). Given `onListingChange`, the
 * directory is therefore replayed as a history: objects appear in the sim at their
 * `firstSeenAt` and vanish at their `removedAt`, in time order, and the callback runs
 * after each change — the caller moves its clocks to that moment and runs a directory
 * sync, which then records exactly the scenario's first-seen and removal times.
 * Without it, the directory is loaded as it stands at `now` (removed users already
 * gone), which is what a first sync of an existing organisation sees.
 *
 * Activities and usage are loaded after the directory (usage needs its keys to exist);
 * the feed and usage endpoints apply their own visibility rules (the feed's indexing
 * lag, the usage report's one-day lag) relative to the sim's clock when they are read.
 */
export interface SeedKnownOrgOptions {
  /**
   * Called once per moment of the directory's history, after the sim shows that
   * moment's listing; typically `h.clock.set(at)` then a directory-only sync.
   */
  onListingChange?: (at: Date) => Promise<void>;
}

export interface SeededKnownOrg {
  /** The moments `onListingChange` was called at, oldest first (empty without it). */
  listings: Date[];
  counts: Record<
    | 'users'
    | 'invites'
    | 'workspaces'
    | 'members'
    | 'serviceAccounts'
    | 'apiKeys'
    | 'activities'
    | 'keyUsageDays'
    | 'seatUsageDays'
    | 'removed',
    number
  >;
}

type Change = { at: number; order: number; apply: () => void };

/** Within one moment: containers before what they contain, additions before removals. */
const ORDER = { workspace: 0, user: 1, serviceAccount: 2, invite: 3, member: 4, apiKey: 5, remove: 6 } as const;

export async function seedKnownOrg(
  sim: AnthropicSim,
  scenario: KnownOrgScenario,
  opts: SeedKnownOrgOptions = {},
): Promise<SeededKnownOrg> {
  const state = sim.state;
  const replay = opts.onListingChange !== undefined;
  const changes: Change[] = [];
  const ms = (iso: string) => Date.parse(iso);
  const counts: SeededKnownOrg['counts'] = {
    users: 0,
    invites: 0,
    workspaces: 0,
    members: 0,
    serviceAccounts: 0,
    apiKeys: 0,
    activities: 0,
    keyUsageDays: 0,
    seatUsageDays: 0,
    removed: 0,
  };
  /** Without a history, everything is there from the start; removals still happen (before `now`). */
  const appear = (l: Listed<unknown>) => (replay ? ms(l.firstSeenAt) : 0);
  const add = (l: Listed<unknown>, order: number, apply: () => void, notBefore = 0) => {
    changes.push({ at: Math.max(appear(l), notBefore), order, apply });
  };
  const remove = (l: Listed<unknown>, what: string, apply: (at: number) => void) => {
    if (l.removedAt === undefined) return;
    const at = ms(l.removedAt);
    if (at > scenario.now.getTime()) throw new Error(`${what} is removed after the scenario's now`);
    changes.push({ at: replay ? at : 1, order: ORDER.remove, apply: () => apply(at) });
  };

  for (const w of scenario.workspaces) {
    const wire = w.wire;
    add(w, ORDER.workspace, () => {
      state.addWorkspace({
        id: wire.id,
        name: wire.name,
        createdAt: wire.created_at,
        archivedAt: wire.archived_at,
        displayColor: wire.display_color,
        compartmentId: wire.compartment_id,
        tags: wire.tags ?? {},
      });
      counts.workspaces++;
    });
    remove(w, `workspace ${wire.id}`, () => {
      throw new Error(`workspace ${wire.id}: removal is not modelled (the scenario has none)`);
    });
  }

  for (const u of scenario.users) {
    const wire = u.wire;
    add(u, ORDER.user, () => {
      // A user removed and re-added (Leo: first seen 200 days ago, `added_at` five days
      // ago, no removal time given) is listed from the first sighting with the current
      // `added_at`: the sim holds one record per id, and the last sync keeps that value.
      state.addUser({ id: wire.id, email: wire.email, name: wire.name, role: wire.role, addedAt: wire.added_at });
      counts.users++;
    });
    remove(u, `user ${wire.id}`, (at) => {
      state.removeUser(wire.id, at);
      counts.removed++;
    });
  }

  for (const a of scenario.serviceAccounts) {
    const wire = a.wire;
    add(a, ORDER.serviceAccount, () => {
      state.addServiceAccount({
        id: wire.id,
        name: wire.name,
        description: wire.description,
        organizationRole: wire.organization_role,
        createdAt: wire.created_at,
        createdByActorId: wire.created_by_actor_id,
        archivedAt: wire.archived_at,
      });
      counts.serviceAccounts++;
    });
    remove(a, `service account ${wire.id}`, () => {
      throw new Error(`service account ${wire.id}: removal is not modelled (the scenario has none)`);
    });
  }

  for (const i of scenario.invites) {
    const wire = i.wire;
    add(i, ORDER.invite, () => {
      // The status is not stored: the sim derives it (accepted / expired / pending) from
      // these times and its clock, as the API does.
      state.addInvite({
        id: wire.id,
        email: wire.email,
        role: wire.role,
        invitedAt: wire.invited_at,
        expiresAt: wire.expires_at,
        acceptedAt: wire.accepted_at,
        rbacGroupIds: wire.rbac_group_ids ?? [],
      });
      counts.invites++;
    });
    remove(i, `invite ${wire.id}`, (at) => {
      state.invites.get(wire.id)!.deletedAt = at;
      counts.removed++;
    });
  }

  const firstSeen = (list: Array<Listed<{ id: string }>>, id: string) => {
    const l = list.find((x) => x.wire.id === id);
    return l ? appear(l) : 0;
  };
  for (const m of scenario.workspaceMembers) {
    const wire = m.wire;
    // A membership cannot be listed before its workspace or its user is: the scenario
    // has Alice's membership at 09:00 and the workspace at 10:00 of the same day.
    const notBefore = Math.max(
      firstSeen(scenario.workspaces, wire.workspace_id),
      firstSeen(scenario.users, wire.user_id),
    );
    add(
      m,
      ORDER.member,
      () => {
        state.addWorkspaceMember({
          workspaceId: wire.workspace_id,
          userId: wire.user_id,
          role: wire.workspace_role,
          addedAt: m.firstSeenAt,
        });
        counts.members++;
      },
      notBefore,
    );
    remove(m, `member ${wire.workspace_id}/${wire.user_id}`, (at) => {
      state.members.get(memberKey(wire.workspace_id, wire.user_id))!.removedAt = at;
      counts.removed++;
    });
  }

  for (const k of scenario.apiKeys) {
    const wire = k.wire;
    const scope = wire.scope as { type: string; workspace_id?: string } | null | undefined;
    const legacy = (wire as unknown as { workspace_id?: string | null }).workspace_id;
    const notBefore = scope?.workspace_id ? firstSeen(scenario.workspaces, scope.workspace_id) : 0;
    add(
      k,
      ORDER.apiKey,
      () => {
        state.addApiKey({
          id: wire.id,
          name: wire.name,
          createdAt: wire.created_at,
          createdBy: wire.created_by ? { id: wire.created_by.id, type: wire.created_by.type } : null,
          expiresAt: wire.expires_at,
          hint: wire.partial_key_hint,
          principal: wire.principal,
          // `null` is organisation scope in the sim; a workspace scope names its workspace.
          workspaceId: scope?.type === 'organization' ? null : (scope?.workspace_id ?? legacy ?? undefined),
          status: wire.status === 'expired' ? 'active' : wire.status,
        });
        counts.apiKeys++;
      },
      notBefore,
    );
    remove(k, `API key ${wire.id}`, () => {
      throw new Error(`API key ${wire.id}: removal is not modelled (the scenario has none)`);
    });
  }

  // Stable: by time, then container before content, then scenario order.
  const ordered = changes.map((c, i) => ({ ...c, i })).sort((a, b) => a.at - b.at || a.order - b.order || a.i - b.i);
  const listings: Date[] = [];
  for (let i = 0; i < ordered.length;) {
    const at = ordered[i]!.at;
    for (; i < ordered.length && ordered[i]!.at === at; i++) ordered[i]!.apply();
    if (opts.onListingChange) {
      listings.push(new Date(at));
      await opts.onListingChange(new Date(at));
    }
  }

  // The scenario's organisation is the simulator's: its activities name the organisation
  // `/v1/organizations/me` answers for (issue 17: Steward keeps activity per organisation).
  const own = (a: (typeof scenario.activities)[number]) =>
    a.organization_uuid === scenario.organization.uuid
      ? { ...a, organization_id: state.org.id, organization_uuid: state.org.uuid }
      : a;
  for (const a of scenario.activities) {
    // As the feed returned it: its id, created_at string and (the simulator's) organisation ids.
    state.addActivity(own(a));
    counts.activities++;
  }
  for (const u of scenario.keyUsage) {
    state.addKeyUsage({
      apiKeyId: u.apiKeyId,
      date: u.date,
      requests: u.requests,
      uncachedInputTokens: u.uncachedInputTokens,
      outputTokens: u.outputTokens,
    });
    counts.keyUsageDays++;
  }
  for (const s of scenario.seatUsage) {
    // `actions` is what Steward sums from the metrics tree; chat messages are one such count.
    state.addUserActivity({ userId: s.userId, date: s.date, chatMessages: s.actions });
    counts.seatUsageDays++;
  }
  return { listings, counts };
}
