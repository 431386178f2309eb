import type { APIKey, OrganizationUser } from '@anthropic-ai/sdk/resources/organization/index.js';
import type { Activity, ExpectedFinding, KeyUsageDay, KnownOrgScenario, Listed } from './known-org.js';
import { sandboxPeople, type SandboxPerson } from './sandbox-people.js';

/**
 * The sandbox's organisation: a company of `people` members, `keys` API keys and `days`
 * of history whose right answer is known, for `npm run sandbox`. A few members and keys
 * are planted, one of each case a security engineer should see (below); the rest are
 * ordinary active people and keys, with a share of dormant ones, so the numbers scale
 * with the options and the answer stays known:
 *
 * - the security lead (primary owner, Steward admin in Slack), an active admin, an admin
 *   with no administrative activity (stale_admin), a member promoted to admin two days
 *   ago (privilege_grant), a contractor with no Slack account whose seat is dormant (its
 *   review falls back to the security channel), a member whose only recent use is
 *   background `*_viewed` activity, two leavers, a new hire with no activity yet;
 * - keys nobody is accountable for, one per reason (no creator recorded, creator removed,
 *   creator unknown, principal removed, principal unknown, unowned service account), a
 *   service account key whose owner the policy names, a key whose requests spiked
 *   yesterday, a key seen only through background views, a key never used, a key made
 *   yesterday;
 * - a stale invite and a fresh one.
 *
 * Traps that must NOT fire are part of the answer: the fresh invite, the new hire, the
 * key made yesterday, the owned service account key, the leavers' keys used only before
 * they left. Times are relative to `now`; listings happen on few moments (history start,
 * each leaver's removal, each later addition), so replaying the directory is quick.
 */
export interface SandboxScenarioOptions {
  people: number;
  keys: number;
  days: number;
  now: Date;
}

export interface SandboxScenario extends KnownOrgScenario {
  people: SandboxPerson[];
  /** The security lead: a Steward admin, member of the security channel. */
  securityLead: SandboxPerson;
  /** People in the security channel besides the lead. */
  securityTeam: SandboxPerson[];
  /**
   * Findings that depend on whether background `*_viewed` activity counts as use
   * (issue 13: by default it does not): raised only when views are not use.
   */
  viewsOnlyFindings: ExpectedFinding[];
}

export const SANDBOX_LIMITS = {
  people: { min: 12, max: 2000, default: 50 },
  keys: { min: 16, max: 5000, default: 80 },
  days: { min: 90, max: 365, default: 120 },
} as const;

const DAY = 86_400_000;

export function sandboxScenario(opts: SandboxScenarioOptions): SandboxScenario {
  const { now, days } = opts;
  for (const k of ['people', 'keys', 'days'] as const) {
    const { min, max } = SANDBOX_LIMITS[k];
    if (!Number.isInteger(opts[k]) || opts[k] < min || opts[k] > max)
      throw new RangeError(`${k} must be a whole number from ${min} to ${max}`);
  }
  const ago = (d: number, hour = 10): string => {
    const t = new Date(now.getTime() - d * DAY);
    t.setUTCHours(hour, 0, 0, 0);
    return t.toISOString();
  };
  const dayAgo = (d: number) => ago(d).slice(0, 10);
  const org = { id: 'org_01SANDBOX', uuid: '5a4db0c5-0000-4000-8000-0000000005a7', name: 'Acme Robotics' };
  const people = sandboxPeople(opts.people);
  const at = (i: number) => people[i]!;
  const [lead, priya, stale, promoted, contractor, viewer, leaverA, leaverB, newHire] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(
    at,
  ) as [
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
  ];
  const rest = people.slice(9);
  const dormantCount = Math.max(2, Math.round(opts.people * 0.16));
  const dormantPeople = rest.slice(0, dormantCount);
  const activePeople = rest.slice(dormantCount);
  const leaverAGone = 20;
  const leaverBGone = 12;
  const historyStart = ago(days, 9);
  /**
   * The moments the directory is listed at before `now` (history start, the stale invite,
   * each leaver's removal, the new hire): something made between two listings is first seen
   * at the next one, so replaying the history costs a handful of syncs.
   */
  const moments = [historyStart, ago(20, 11), ago(leaverAGone, 15), ago(leaverBGone, 15), ago(5, 9)];
  const listedFrom = (at: string) => moments.find((m) => m >= at) ?? at;

  // Directory: everyone listed from the start of history, except the new hire.
  const user = (
    p: SandboxPerson,
    role: OrganizationUser['role'],
    removedDaysAgo?: number,
  ): Listed<OrganizationUser> => {
    const joined = p === newHire ? ago(5, 9) : ago(days + 40 + (p.index % 60), 9);
    return {
      wire: { id: p.userId, type: 'user', email: p.email, name: p.name, role, added_at: joined },
      firstSeenAt: p === newHire ? joined : historyStart,
      ...(removedDaysAgo === undefined ? {} : { removedAt: ago(removedDaysAgo, 15) }),
    };
  };
  const roleOf = (p: SandboxPerson): OrganizationUser['role'] =>
    p === lead
      ? 'primary_owner'
      : [priya, stale, promoted].includes(p)
        ? 'admin'
        : p.index % 3 === 0
          ? 'developer'
          : 'user';
  const users = people.map((p) =>
    user(p, roleOf(p), p === leaverA ? leaverAGone : p === leaverB ? leaverBGone : undefined),
  );

  const invite = (id: string, email: string, invitedDaysAgo: number) => ({
    wire: {
      id,
      type: 'invite' as const,
      email,
      role: 'user' as const,
      status: 'pending' as const,
      invited_at: ago(invitedDaysAgo, 11),
      expires_at: ago(invitedDaysAgo - 30, 11),
      accepted_at: null,
      rbac_group_ids: [],
    },
    firstSeenAt: listedFrom(ago(invitedDaysAgo, 11)),
  });
  const invites = [
    invite('invite_01SANDBOXSTALE', 'j.doe@partner-agency.example', 20),
    invite('invite_01SANDBOXFRESH', 'intern@acme.example', 5),
  ];

  const workspaces = ['Platform', 'Data', 'Web'].map((name, i) => ({
    wire: {
      id: `wrkspc_01SANDBOX${name.toUpperCase()}`,
      type: 'workspace' as const,
      name,
      created_at: ago(days + 200),
      archived_at: null,
      compartment_id: `cmp_sandbox_${i}`,
      display_color: ['#6C5BB9', '#D97757', '#2F7D6D'][i]!,
      data_residency: {
        allowed_inference_geos: 'unrestricted',
        default_inference_geo: 'global',
        workspace_geo: 'us',
      } as unknown as KnownOrgScenario['workspaces'][number]['wire']['data_residency'],
      external_key_id: null,
      tags: {},
      user_profile_id: null,
    },
    firstSeenAt: historyStart,
  }));
  const wsOf = (i: number) => workspaces[i % workspaces.length]!.wire.id;
  const developers = people.filter((p) => roleOf(p) === 'developer' && p !== leaverA && p !== leaverB);
  const workspaceMembers = developers.map((p, i) => ({
    wire: {
      type: 'workspace_member' as const,
      workspace_id: wsOf(i),
      user_id: p.userId,
      workspace_role: 'workspace_developer' as const,
    },
    firstSeenAt: historyStart,
  }));

  const account = (id: string, name: string) => ({
    wire: {
      id,
      type: 'service_account' as const,
      name,
      description: null,
      organization_role: 'developer' as const,
      created_at: ago(days + 10),
      created_by_actor_id: lead.userId,
      updated_at: ago(days + 10),
      updated_by_actor_id: lead.userId,
      archived_at: null,
      archived_by_actor_id: null,
    },
    firstSeenAt: historyStart,
  });
  const serviceAccounts = [
    account('svcacct_01SANDBOXETL', 'etl-runner'),
    account('svcacct_01SANDBOXDEPLOY', 'deployer'),
  ];

  // Keys and their usage.
  const keyUsage: KeyUsageDay[] = [];
  const use = (apiKeyId: string, d: number, requests: number) =>
    keyUsage.push({
      apiKeyId,
      date: dayAgo(d),
      requests,
      uncachedInputTokens: requests * 850,
      outputTokens: requests * 230,
    });
  /** Steady daily use below the spike floor, from `from` days ago to `to` days ago. */
  const steady = (id: string, base: number, from: number, to = 1, every = 1) => {
    for (let d = from; d >= to; d -= every) use(id, d, base + ((d * 7) % 5) * Math.round(base / 40));
  };
  const apiKeys: Array<Listed<APIKey>> = [];
  const expectedFindings: ExpectedFinding[] = [];
  const viewsOnlyFindings: ExpectedFinding[] = [];
  const keyWire = (k: {
    id: string;
    name: string;
    createdDaysAgo: number;
    createdBy: SandboxPerson | string | null;
    principal?: APIKey['principal'];
    ws: number;
  }): Listed<APIKey> => {
    const createdBy =
      k.createdBy === null
        ? null
        : { id: typeof k.createdBy === 'string' ? k.createdBy : k.createdBy.userId, type: 'user' as const };
    const listed: Listed<APIKey> = {
      wire: {
        id: k.id,
        type: 'api_key',
        name: k.name,
        created_at: ago(k.createdDaysAgo, 8),
        created_by: createdBy,
        expires_at: null,
        partial_key_hint: `sk-ant-api03-…${k.id.slice(-4)}`,
        principal: k.principal ?? null,
        scope: { type: 'workspace', workspace_id: wsOf(k.ws) },
        status: 'active',
      },
      firstSeenAt: listedFrom(ago(k.createdDaysAgo, 8)),
    };
    apiKeys.push(listed);
    return listed;
  };
  const asUser = (p: SandboxPerson | string) => ({
    type: 'user_actor' as const,
    user_id: typeof p === 'string' ? p : p.userId,
  });
  const unowned = (id: string, reason: string) =>
    expectedFindings.push({
      kind: 'unowned_key',
      subjectType: 'api_key',
      subjectId: id,
      via: null,
      unownedReason: reason,
    });

  const K = (n: string) => `apikey_01SANDBOX${n}`;
  keyWire({ id: K('NOCREATOR'), name: 'legacy-import', createdDaysAgo: days + 30, createdBy: null, ws: 1 });
  steady(K('NOCREATOR'), 120, days, 1, 2);
  unowned(K('NOCREATOR'), 'no_creator_recorded');

  keyWire({ id: K('LEAVERETL'), name: `${leaverA.handle}-etl`, createdDaysAgo: days + 20, createdBy: leaverA, ws: 1 });
  steady(K('LEAVERETL'), 400, days, leaverAGone + 1);
  unowned(K('LEAVERETL'), 'creator_removed');

  keyWire({
    id: K('OLDTEAM'),
    name: 'old-team-bot',
    createdDaysAgo: days + 60,
    createdBy: 'user_01SANDBOXFORMER',
    ws: 2,
  });
  steady(K('OLDTEAM'), 60, days, 1, 3);
  unowned(K('OLDTEAM'), 'creator_unknown');

  keyWire({
    id: K('LEAVERBOT'),
    name: `${leaverB.handle}-support-bot`,
    createdDaysAgo: days + 10,
    createdBy: leaverB,
    principal: asUser(leaverB),
    ws: 2,
  });
  steady(K('LEAVERBOT'), 250, days, leaverBGone + 1);
  unowned(K('LEAVERBOT'), 'principal_removed');

  keyWire({
    id: K('GHOSTAGENT'),
    name: 'acquired-co-agent',
    createdDaysAgo: days + 90,
    createdBy: null,
    principal: asUser('user_01SANDBOXACQUIRED'),
    ws: 0,
  });
  steady(K('GHOSTAGENT'), 90, days, 1, 2);
  unowned(K('GHOSTAGENT'), 'principal_unknown');

  const svc = (id: string) => ({ type: 'service_account_actor' as const, service_account_id: id });
  keyWire({
    id: K('ETL'),
    name: 'etl-nightly',
    createdDaysAgo: days + 5,
    createdBy: null,
    principal: svc('svcacct_01SANDBOXETL'),
    ws: 1,
  });
  steady(K('ETL'), 700, days);
  unowned(K('ETL'), 'service_account_unowned');

  keyWire({
    id: K('DEPLOY'),
    name: 'deploy-pipeline',
    createdDaysAgo: days + 5,
    createdBy: null,
    principal: svc('svcacct_01SANDBOXDEPLOY'),
    ws: 0,
  });
  steady(K('DEPLOY'), 80, days);

  const spikeOwner = activePeople[0] ?? priya;
  keyWire({
    id: K('SCRAPER'),
    name: 'docs-scraper',
    createdDaysAgo: days,
    createdBy: spikeOwner,
    principal: asUser(spikeOwner),
    ws: 2,
  });
  steady(K('SCRAPER'), 300, days, 2);
  use(K('SCRAPER'), 1, 7_400); // about 25× its trailing mean, far above the 1,000 floor
  expectedFindings.push({
    kind: 'usage_spike',
    subjectType: 'api_key',
    subjectId: K('SCRAPER'),
    via: 'principal',
    ownerUserId: spikeOwner.userId,
  });

  const viewsOwner = activePeople[1] ?? priya;
  keyWire({ id: K('VIEWER'), name: 'dashboard-embed', createdDaysAgo: days - 10, createdBy: viewsOwner, ws: 0 });
  steady(K('VIEWER'), 50, days - 10, 70, 3);
  viewsOnlyFindings.push({
    kind: 'dormant_key',
    subjectType: 'api_key',
    subjectId: K('VIEWER'),
    via: 'creator',
    ownerUserId: viewsOwner.userId,
  });

  const neverOwner = activePeople[2] ?? priya;
  keyWire({ id: K('FORGOTTEN'), name: 'hackathon-demo', createdDaysAgo: 45, createdBy: neverOwner, ws: 2 });
  expectedFindings.push({
    kind: 'dormant_key',
    subjectType: 'api_key',
    subjectId: K('FORGOTTEN'),
    via: 'creator',
    ownerUserId: neverOwner.userId,
  });
  keyWire({ id: K('BRANDNEW'), name: 'eval-harness', createdDaysAgo: 1, createdBy: priya, ws: 0 });
  keyWire({ id: K('PRIYANEW'), name: 'support-triage', createdDaysAgo: 10, createdBy: priya, ws: 1 });
  steady(K('PRIYANEW'), 150, 9);

  // The rest: ordinary keys of active people, about one in eight dormant.
  const planted = apiKeys.length;
  const ordinary = opts.keys - planted;
  const dormantKeys = Math.max(2, Math.round(opts.keys * 0.12));
  const keyWords = ['search', 'summaries', 'support', 'ci', 'notebook', 'etl', 'chatbot', 'eval', 'report', 'triage'];
  for (let i = 0; i < ordinary; i++) {
    const owner = activePeople[i % activePeople.length] ?? priya;
    const id = K(`K${String(i + 1).padStart(4, '0')}`);
    const name = `${owner.handle}-${keyWords[i % keyWords.length]}${i >= keyWords.length ? `-${Math.floor(i / keyWords.length) + 1}` : ''}`;
    const asPrincipal = i % 4 === 0;
    keyWire({
      id,
      name,
      createdDaysAgo: days + 15 + (i % 40),
      createdBy: owner,
      principal: asPrincipal ? asUser(owner) : null,
      ws: i,
    });
    if (i < dormantKeys) {
      const last = 35 + ((i * 11) % (days - 45));
      steady(id, 40 + (i % 7) * 20, days, last, 2);
      expectedFindings.push({
        kind: 'dormant_key',
        subjectType: 'api_key',
        subjectId: id,
        via: asPrincipal ? 'principal' : 'creator',
        ownerUserId: owner.userId,
      });
    } else {
      steady(id, 30 + ((i * 37) % 800), days, 1 + (i % 6), 1 + (i % 3));
    }
  }

  // Activity feed: chats, administration, background views.
  let seq = 0;
  const activities: Activity[] = [];
  const activity = (at: string, type: string, actor: Activity['actor'], fields: Record<string, unknown> = {}) =>
    activities.push({
      id: `activity_01SANDBOX${String(++seq).padStart(6, '0')}`,
      created_at: at,
      organization_id: org.id,
      organization_uuid: org.uuid,
      actor,
      type,
      ...fields,
    });
  const person = (p: SandboxPerson): Activity['actor'] => ({
    type: 'user_actor',
    user_id: p.userId,
    email_address: p.email,
    ip_address: `192.0.2.${10 + (p.index % 200)}`,
    user_agent: 'Mozilla/5.0',
  });
  const chats = (p: SandboxPerson, from: number, to: number, every: number) => {
    // Today's chats happen before noon: nothing is in the future of `now`.
    for (let d = from; d >= to; d -= every)
      activity(ago(d, d === 0 ? 8 : 9 + (p.index % 8)), 'claude_chat_created', person(p), {
        claude_chat_id: `claude_chat_${p.handle}_${d}`,
      });
  };
  const seat = (p: SandboxPerson) =>
    expectedFindings.push({
      kind: 'dormant_seat',
      subjectType: 'user',
      subjectId: p.userId,
      via: 'holder',
      ownerUserId: p.userId,
    });

  chats(lead, days, 0, 2);
  activity(ago(20, 11), 'org_user_invite_sent', person(lead), { invite_id: 'invite_01SANDBOXSTALE' });
  activity(ago(5, 11), 'org_user_invite_sent', person(lead), { invite_id: 'invite_01SANDBOXFRESH' });
  activity(ago(2, 9), 'claude_user_role_updated', person(lead), {
    user_id: promoted.userId,
    previous_role: 'developer',
    current_role: 'admin',
  });
  expectedFindings.push({
    kind: 'privilege_grant',
    subjectType: 'user',
    subjectId: promoted.userId,
    via: 'holder',
    ownerUserId: promoted.userId,
  });
  chats(priya, days, 1, 3);
  activity(ago(10, 8), 'platform_api_key_created', person(priya), { api_key_id: K('PRIYANEW') });
  activity(ago(1, 8), 'platform_api_key_created', person(priya), { api_key_id: K('BRANDNEW') });
  chats(stale, days, 2, 4);
  expectedFindings.push({
    kind: 'stale_admin',
    subjectType: 'user',
    subjectId: stale.userId,
    via: 'holder',
    ownerUserId: stale.userId,
  });
  chats(promoted, days, 1, 3);
  chats(contractor, days, 64, 5);
  seat(contractor);
  chats(viewer, days, 70, 4);
  for (let d = 66; d >= 1; d -= 3)
    activity(ago(d, 8), 'claude_chat_viewed', person(viewer), { claude_chat_id: `claude_chat_${viewer.handle}_old` });
  viewsOnlyFindings.push({
    kind: 'dormant_seat',
    subjectType: 'user',
    subjectId: viewer.userId,
    via: 'holder',
    ownerUserId: viewer.userId,
  });
  chats(leaverA, days, leaverAGone + 1, 3);
  chats(leaverB, days, leaverBGone + 1, 3);
  dormantPeople.forEach((p, i) => {
    chats(p, days, 31 + ((i * 13) % (days - 40)), 4);
    seat(p);
  });
  activePeople.forEach((p, i) => chats(p, days, i % 12, 2 + (i % 4)));
  const viewerKeyActor = {
    type: 'api_actor',
    api_key_id: K('VIEWER'),
    ip_address: '198.51.100.20',
    user_agent: 'Anthropic/JS',
  };
  for (let d = 60; d >= 2; d -= 4)
    activity(ago(d, 6), 'claude_file_viewed', viewerKeyActor, { claude_file_id: `claude_file_dashboard_${d}` });
  expectedFindings.push({
    kind: 'stale_invite',
    subjectType: 'invite',
    subjectId: 'invite_01SANDBOXSTALE',
    via: null,
    unownedReason: 'invite_not_accepted',
  });
  activities.sort((a, b) => a.created_at.localeCompare(b.created_at));

  return {
    now,
    organization: org,
    policy: {
      owners: [{ service_account: 'svcacct_01SANDBOXDEPLOY', email: priya.email }],
      // The organisation is `days` old: the first sync reads back to its start, not a year.
      sync: { activity_backfill_days: days + 1, usage_backfill_days: days + 1 },
    },
    users,
    invites,
    workspaces,
    workspaceMembers,
    serviceAccounts,
    apiKeys,
    activities,
    keyUsage,
    seatUsage: [],
    priorFindings: [],
    claims: [],
    expectedFindings,
    expectedResolutions: [],
    people,
    securityLead: lead,
    securityTeam: [priya],
    viewsOnlyFindings,
  };
}
