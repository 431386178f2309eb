import type {
  APIKey,
  OrganizationInvite,
  OrganizationUser,
  ServiceAccount,
  Workspace,
  WorkspaceMember,
} from '@anthropic-ai/sdk/resources/organization/index.js';

/**
 * A small organisation whose correct correlation is known exactly: which seats are
 * dormant, which keys are unowned and why, which key spiked, who became admin, and a
 * few traps that must NOT fire (exactly N−1 days, a key created yesterday, a user
 * removed then re-added, a role change to a non-admin role …). Every object is in the
 * Admin API or Compliance API wire shape, times relative to `now`, so the same data can
 * be written straight into the tables (tests) or served by the simulated API (sandbox).
 */

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

export const KNOWN_ORG_NOW = new Date('2026-06-15T12:00:00.000Z');

const DAY = 86_400_000;

export function knownOrgScenario(now: Date = KNOWN_ORG_NOW): KnownOrgScenario {
  /** A time `days` ago at `hour`:00 UTC (same UTC day as `days` whole days before today). */
  const ago = (days: number, hour = 10): string => {
    const d = new Date(now.getTime() - days * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  const dayAgo = (days: number): string => ago(days).slice(0, 10);
  const org = { id: 'org_01KNOWN', uuid: '6f1c2a9e-0000-4000-8000-00000000c0de', name: 'Acme Known' };

  const user = (
    id: string,
    email: string,
    name: string,
    role: OrganizationUser['role'],
    addedDaysAgo: number,
    extra: Partial<Listed<OrganizationUser>> = {},
  ): Listed<OrganizationUser> => ({
    wire: { id, type: 'user', email, name, role, added_at: ago(addedDaysAgo, 9) },
    firstSeenAt: ago(addedDaysAgo, 9),
    ...extra,
  });

  const users: Array<Listed<OrganizationUser>> = [
    user('user_01ALICE', 'alice@acme.test', 'Alice Owner', 'primary_owner', 400),
    user('user_01BOB', 'bob@acme.test', 'Bob Builder', 'developer', 300),
    user('user_01CAROL', 'carol@acme.test', 'Carol Quiet', 'user', 200),
    user('user_01DAN', 'dan@acme.test', 'Dan Exact', 'user', 200),
    user('user_01ERIN', 'erin@acme.test', 'Erin Almost', 'user', 200),
    user('user_01FRANK', 'frank@acme.test', 'Frank Admin', 'admin', 250),
    user('user_01GRACE', 'grace@acme.test', 'Grace Promoted', 'admin', 150),
    user('user_01HEIDI', 'heidi@acme.test', 'Heidi Gone', 'user', 180, { removedAt: ago(20, 15) }),
    user('user_01IVAN', 'ivan@acme.test', 'Ivan Left', 'developer', 300, { removedAt: ago(60, 15) }),
    user('user_01JUDY', 'judy@acme.test', 'Judy Moved', 'developer', 300, { removedAt: ago(12, 15) }),
    user('user_01KIM', 'kim@acme.test', 'Kim Back', 'user', 200),
    // Removed long ago, re-added five days ago: a member for five days, not dormant.
    { ...user('user_01LEO', 'leo@acme.test', 'Leo Again', 'user', 5), firstSeenAt: ago(200, 9) },
    user('user_01MIA', 'mia@acme.test', 'Mia Workspace', 'user', 220),
    user('user_01NINA', 'nina@acme.test', 'Nina New', 'user', 3),
    user('user_01OSCAR', 'oscar@acme.test', 'Oscar Newadmin', 'developer', 90),
    user('user_01PAUL', 'paul@acme.test', 'Paul Analytics', 'user', 100),
    user('user_01QUINN', 'quinn@acme.test', 'Quinn Longgone', 'user', 400, { removedAt: ago(200, 15) }),
  ];

  const invite = (
    id: string,
    email: string,
    invitedDaysAgo: number,
    status: OrganizationInvite['status'],
    acceptedDaysAgo?: number,
  ): Listed<OrganizationInvite> => ({
    wire: {
      id,
      type: 'invite',
      email,
      role: 'user',
      status,
      invited_at: ago(invitedDaysAgo, 11),
      expires_at: ago(invitedDaysAgo - 30, 11),
      accepted_at: acceptedDaysAgo === undefined ? null : ago(acceptedDaysAgo, 11),
      rbac_group_ids: [],
    },
    firstSeenAt: ago(invitedDaysAgo, 11),
  });
  const invites = [
    invite('invite_01STALE', 'stale@partner.test', 20, 'pending'),
    invite('invite_01EXACT', 'exact@partner.test', 14, 'pending'),
    invite('invite_01FRESH', 'fresh@partner.test', 13, 'pending'),
    invite('invite_01ACCEPTED', 'paul@acme.test', 101, 'accepted', 100),
    invite('invite_01EXPIRED', 'late@partner.test', 60, 'expired'),
  ];

  const workspace = (id: string, name: string): Listed<Workspace> => ({
    wire: {
      id,
      type: 'workspace',
      name,
      created_at: ago(400),
      archived_at: null,
      compartment_id: `cmp_${id}`,
      display_color: '#6C5BB9',
      data_residency: {
        allowed_inference_geos: 'unrestricted',
        default_inference_geo: 'global',
        workspace_geo: 'us',
      } as unknown as Workspace['data_residency'],
      external_key_id: null,
      tags: {},
      user_profile_id: null,
    },
    firstSeenAt: ago(400),
  });
  const workspaces = [workspace('wrkspc_01ML', 'ML Platform'), workspace('wrkspc_01WEB', 'Web')];

  const member = (
    workspace_id: string,
    user_id: string,
    workspace_role: WorkspaceMember['workspace_role'],
    sinceDaysAgo: number,
  ): Listed<WorkspaceMember> => ({
    wire: { type: 'workspace_member', workspace_id, user_id, workspace_role },
    firstSeenAt: ago(sinceDaysAgo, 9),
  });
  const workspaceMembers = [
    member('wrkspc_01ML', 'user_01ALICE', 'workspace_admin', 400),
    member('wrkspc_01ML', 'user_01MIA', 'workspace_admin', 200),
    member('wrkspc_01WEB', 'user_01BOB', 'workspace_developer', 300),
    member('wrkspc_01WEB', 'user_01OSCAR', 'workspace_admin', 1),
    member('wrkspc_01WEB', 'user_01PAUL', 'workspace_user', 3),
  ];

  const account = (id: string, name: string): Listed<ServiceAccount> => ({
    wire: {
      id,
      type: 'service_account',
      name,
      description: null,
      organization_role: 'developer',
      created_at: ago(150),
      created_by_actor_id: 'user_01ALICE',
      updated_at: ago(150),
      updated_by_actor_id: 'user_01ALICE',
      archived_at: null,
      archived_by_actor_id: null,
    },
    firstSeenAt: ago(150),
  });
  const serviceAccounts = [account('svcacct_01BATCH', 'batch-runner'), account('svcacct_01DEPLOY', 'deployer')];

  type KeyInit = {
    id: string;
    name: string;
    createdDaysAgo: number;
    createdBy: APIKey['created_by'];
    principal?: APIKey['principal'];
    workspaceId?: string;
    status?: APIKey['status'];
  };
  const key = (k: KeyInit): Listed<APIKey> => ({
    wire: {
      id: k.id,
      type: 'api_key',
      name: k.name,
      created_at: ago(k.createdDaysAgo, 8),
      created_by: k.createdBy,
      expires_at: null,
      partial_key_hint: `sk-ant-api03-…${k.id.slice(-4)}`,
      principal: k.principal ?? null,
      scope: k.workspaceId ? { type: 'workspace', workspace_id: k.workspaceId } : { type: 'organization' },
      status: k.status ?? 'active',
    },
    firstSeenAt: ago(k.createdDaysAgo, 8),
  });
  const byUser = (id: string) => ({ id, type: 'user' as const });
  const asUser = (user_id: string) => ({ type: 'user_actor' as const, user_id });
  const asAccount = (service_account_id: string) => ({ type: 'service_account_actor' as const, service_account_id });
  const apiKeys = [
    key({
      id: 'apikey_01BOBPROD',
      name: 'bob-prod',
      createdDaysAgo: 200,
      createdBy: byUser('user_01BOB'),
      principal: asUser('user_01BOB'),
      workspaceId: 'wrkspc_01WEB',
    }),
    key({
      id: 'apikey_01NOCREATOR',
      name: 'legacy-import',
      createdDaysAgo: 120,
      createdBy: null,
      workspaceId: 'wrkspc_01ML',
    }),
    key({
      id: 'apikey_01JUDYETL',
      name: 'judy-etl',
      createdDaysAgo: 150,
      createdBy: byUser('user_01JUDY'),
      workspaceId: 'wrkspc_01ML',
    }),
    key({
      id: 'apikey_01SVCBATCH',
      name: 'batch',
      createdDaysAgo: 140,
      createdBy: null,
      principal: asAccount('svcacct_01BATCH'),
      workspaceId: 'wrkspc_01ML',
    }),
    key({
      id: 'apikey_01SVCDEPLOY',
      name: 'deploy',
      createdDaysAgo: 140,
      createdBy: null,
      principal: asAccount('svcacct_01DEPLOY'),
      workspaceId: 'wrkspc_01WEB',
    }),
    key({
      id: 'apikey_01NEVERUSED',
      name: 'forgotten',
      createdDaysAgo: 45,
      createdBy: byUser('user_01BOB'),
      workspaceId: 'wrkspc_01WEB',
    }),
    key({
      id: 'apikey_01YESTERDAY',
      name: 'brand-new',
      createdDaysAgo: 1,
      createdBy: byUser('user_01BOB'),
      workspaceId: 'wrkspc_01WEB',
    }),
    key({
      id: 'apikey_01SPIKY',
      name: 'scraper',
      createdDaysAgo: 100,
      createdBy: byUser('user_01BOB'),
      principal: asUser('user_01BOB'),
      workspaceId: 'wrkspc_01WEB',
    }),
    key({
      id: 'apikey_01EXACT30',
      name: 'quarterly-report',
      createdDaysAgo: 200,
      createdBy: byUser('user_01ERIN'),
      workspaceId: 'wrkspc_01ML',
    }),
    key({
      id: 'apikey_01RECENT29',
      name: 'monthly-report',
      createdDaysAgo: 200,
      createdBy: byUser('user_01ERIN'),
      workspaceId: 'wrkspc_01ML',
    }),
    key({
      id: 'apikey_01IVANOLD',
      name: 'ivan-notebook',
      createdDaysAgo: 250,
      createdBy: byUser('user_01IVAN'),
      workspaceId: 'wrkspc_01ML',
    }),
    key({
      id: 'apikey_01CLAIMED',
      name: 'shared-demo',
      createdDaysAgo: 60,
      createdBy: null,
      workspaceId: 'wrkspc_01WEB',
    }),
    key({
      id: 'apikey_01INACTIVE',
      name: 'retired',
      createdDaysAgo: 300,
      createdBy: null,
      workspaceId: 'wrkspc_01ML',
      status: 'inactive',
    }),
  ];

  let seq = 0;
  const activity = (
    at: string,
    type: string,
    actor: Activity['actor'],
    fields: Record<string, unknown> = {},
  ): Activity => ({
    id: `activity_01KNOWN${String(++seq).padStart(4, '0')}`,
    created_at: at,
    organization_id: org.id,
    organization_uuid: org.uuid,
    actor,
    type,
    ...fields,
  });
  const emails = new Map(users.map((u) => [u.wire.id, u.wire.email]));
  const userActor = (id: string): Activity['actor'] => ({
    type: 'user_actor',
    user_id: id,
    email_address: emails.get(id) ?? `${id}@unknown.test`,
    ip_address: '192.0.2.10',
    user_agent: 'Mozilla/5.0',
  });
  const apiActor = (id: string): Activity['actor'] => ({
    type: 'api_actor',
    api_key_id: id,
    ip_address: '198.51.100.7',
    user_agent: 'curl/8.5.0',
  });
  const chat = (userId: string, daysAgo: number, hour = 10) =>
    activity(ago(daysAgo, hour), 'claude_chat_created', userActor(userId), {
      claude_chat_id: `claude_chat_${userId}_${daysAgo}`,
    });

  const activities: Activity[] = [
    // Alice administers: an invite, the admin key, Grace's promotion, Oscar's workspace role.
    chat('user_01ALICE', 1),
    activity(ago(3, 9), 'admin_api_key_created', userActor('user_01ALICE'), { admin_api_key_id: 'admkey_01NEW' }),
    activity(ago(2, 9), 'claude_user_role_updated', userActor('user_01ALICE'), {
      user_id: 'user_01GRACE',
      previous_role: 'user',
      current_role: 'admin',
    }),
    activity(ago(1, 9), 'platform_workspace_member_added', userActor('user_01ALICE'), {
      user_id: 'user_01OSCAR',
      workspace_id: 'wrkspc_01WEB',
    }),
    // Not grants: a role change to a non-admin role, a workspace member added as a user.
    activity(ago(4, 9), 'claude_user_role_updated', userActor('user_01ALICE'), {
      user_id: 'user_01ERIN',
      previous_role: 'user',
      current_role: 'user',
    }),
    activity(ago(3, 9), 'platform_workspace_member_added', userActor('user_01ALICE'), {
      user_id: 'user_01PAUL',
      workspace_id: 'wrkspc_01WEB',
    }),
    chat('user_01BOB', 0, 9),
    chat('user_01BOB', 6),
    chat('user_01CAROL', 45),
    chat('user_01CAROL', 80),
    chat('user_01DAN', 30),
    chat('user_01ERIN', 29),
    chat('user_01FRANK', 1),
    activity(ago(90), 'org_user_invite_sent', userActor('user_01FRANK'), { invite_id: 'invite_01OLD' }),
    chat('user_01GRACE', 1),
    chat('user_01HEIDI', 25),
    chat('user_01HEIDI', 5), // after her removal 20 days ago
    chat('user_01IVAN', 70),
    chat('user_01KIM', 50),
    chat('user_01KIM', 2), // resumes
    chat('user_01LEO', 120), // before his removal and re-adding
    chat('user_01MIA', 2),
    activity(ago(70), 'platform_workspace_member_added', userActor('user_01MIA'), {
      user_id: 'user_01BOB',
      workspace_id: 'wrkspc_01ML',
    }),
    chat('user_01OSCAR', 0, 8),
    chat('user_01QUINN', 210),
    // A user id the directory has never listed.
    activity(ago(2, 14), 'claude_chat_created', userActor('user_01GHOST'), { claude_chat_id: 'claude_chat_ghost' }),
    // Actors the directory cannot list are not "unknown": an admin key, SCIM.
    activity(ago(1, 7), 'org_users_listed', {
      type: 'admin_api_key_actor',
      admin_api_key_id: 'admkey_01OPS',
      ip_address: '198.51.100.8',
      user_agent: 'Anthropic/JS',
    }),
    activity(ago(1, 6), 'scim_user_updated', {
      type: 'scim_directory_sync_actor',
      workos_event_id: 'evt_1',
      directory_id: 'dir_1',
      idp_connection_type: 'OktaSCIMV2',
    }),
    activity(ago(1, 5), 'compliance_api_accessed', apiActor('apikey_01BOBPROD')),
  ];

  const keyUsage: KeyUsageDay[] = [];
  const use = (apiKeyId: string, daysAgo: number, requests: number) =>
    keyUsage.push({
      apiKeyId,
      date: dayAgo(daysAgo),
      requests,
      uncachedInputTokens: requests * 900,
      outputTokens: requests * 250,
    });
  for (let d = 0; d < 40; d++) use('apikey_01BOBPROD', d, 180 + (d % 5) * 10);
  for (let d = 2; d < 60; d += 3) use('apikey_01NOCREATOR', d, 40);
  use('apikey_01JUDYETL', 13, 500); // the day before Judy was removed
  use('apikey_01JUDYETL', 40, 500);
  for (let d = 0; d < 30; d++) use('apikey_01SVCBATCH', d, 900);
  for (let d = 0; d < 30; d++) use('apikey_01SVCDEPLOY', d, 60);
  for (let d = 2; d < 32; d++) use('apikey_01SPIKY', d, 200);
  use('apikey_01SPIKY', 1, 5000); // 25× its 14-day mean, above the 1,000 floor
  use('apikey_01SPIKY', 0, 300);
  use('apikey_01EXACT30', 30, 70);
  use('apikey_01EXACT30', 95, 70);
  use('apikey_01RECENT29', 29, 70);
  use('apikey_01IVANOLD', 3, 120); // after Ivan's removal 60 days ago
  use('apikey_01IVANOLD', 80, 120);
  use('apikey_01CLAIMED', 5, 30);

  const seatUsage: SeatUsageDay[] = [{ userId: 'user_01PAUL', date: dayAgo(10), actions: 12 }];

  return {
    now,
    organization: org,
    policy: { owners: [{ service_account: 'svcacct_01DEPLOY', email: 'platform@acme.test', slack: 'U0PLATFORM' }] },
    users,
    invites,
    workspaces,
    workspaceMembers,
    serviceAccounts,
    apiKeys,
    activities,
    keyUsage,
    seatUsage,
    priorFindings: [
      {
        kind: 'dormant_seat',
        subjectType: 'user',
        subjectId: 'user_01KIM',
        firstDetectedAt: ago(10, 8),
        lastActivityAt: ago(50),
      },
    ],
    claims: [
      {
        subjectType: 'api_key',
        subjectId: 'apikey_01CLAIMED',
        claimedBySlackId: 'U0CLAIMER',
        claimedByEmail: 'claimer@acme.test',
        claimedAt: ago(30),
      },
    ],
    expectedFindings: [
      {
        kind: 'dormant_seat',
        subjectType: 'user',
        subjectId: 'user_01CAROL',
        via: 'holder',
        ownerUserId: 'user_01CAROL',
      },
      { kind: 'dormant_seat', subjectType: 'user', subjectId: 'user_01DAN', via: 'holder', ownerUserId: 'user_01DAN' },
      {
        kind: 'dormant_key',
        subjectType: 'api_key',
        subjectId: 'apikey_01NEVERUSED',
        via: 'creator',
        ownerUserId: 'user_01BOB',
      },
      {
        kind: 'dormant_key',
        subjectType: 'api_key',
        subjectId: 'apikey_01EXACT30',
        via: 'creator',
        ownerUserId: 'user_01ERIN',
      },
      {
        kind: 'unowned_key',
        subjectType: 'api_key',
        subjectId: 'apikey_01NOCREATOR',
        via: null,
        unownedReason: 'no_creator_recorded',
      },
      {
        kind: 'unowned_key',
        subjectType: 'api_key',
        subjectId: 'apikey_01JUDYETL',
        via: null,
        unownedReason: 'creator_removed',
      },
      {
        kind: 'unowned_key',
        subjectType: 'api_key',
        subjectId: 'apikey_01SVCBATCH',
        via: null,
        unownedReason: 'service_account_unowned',
      },
      {
        kind: 'unowned_key',
        subjectType: 'api_key',
        subjectId: 'apikey_01IVANOLD',
        via: null,
        unownedReason: 'creator_removed',
      },
      {
        kind: 'stale_admin',
        subjectType: 'user',
        subjectId: 'user_01FRANK',
        via: 'holder',
        ownerUserId: 'user_01FRANK',
      },
      {
        kind: 'stale_admin',
        subjectType: 'workspace_member',
        subjectId: 'wrkspc_01ML/user_01MIA',
        via: 'holder',
        ownerUserId: 'user_01MIA',
      },
      {
        kind: 'stale_invite',
        subjectType: 'invite',
        subjectId: 'invite_01STALE',
        via: null,
        unownedReason: 'invite_not_accepted',
      },
      {
        kind: 'stale_invite',
        subjectType: 'invite',
        subjectId: 'invite_01EXACT',
        via: null,
        unownedReason: 'invite_not_accepted',
      },
      {
        kind: 'usage_spike',
        subjectType: 'api_key',
        subjectId: 'apikey_01SPIKY',
        via: 'principal',
        ownerUserId: 'user_01BOB',
      },
      {
        kind: 'activity_after_removal',
        subjectType: 'user',
        subjectId: 'user_01HEIDI',
        via: null,
        unownedReason: 'holder_removed',
      },
      {
        kind: 'activity_after_removal',
        subjectType: 'api_key',
        subjectId: 'apikey_01IVANOLD',
        via: null,
        unownedReason: 'creator_removed',
      },
      {
        kind: 'dormant_resumed',
        subjectType: 'user',
        subjectId: 'user_01KIM',
        via: 'holder',
        ownerUserId: 'user_01KIM',
      },
      {
        kind: 'privilege_grant',
        subjectType: 'user',
        subjectId: 'user_01GRACE',
        via: 'holder',
        ownerUserId: 'user_01GRACE',
      },
      {
        kind: 'privilege_grant',
        subjectType: 'workspace_member',
        subjectId: 'wrkspc_01WEB/user_01OSCAR',
        via: 'holder',
        ownerUserId: 'user_01OSCAR',
      },
      {
        kind: 'privilege_grant',
        subjectType: 'api_key',
        subjectId: 'admkey_01NEW',
        via: 'creator',
        ownerUserId: 'user_01ALICE',
      },
      {
        kind: 'unknown_actor',
        subjectType: 'user',
        subjectId: 'user_01GHOST',
        via: null,
        unownedReason: 'actor_not_in_directory',
      },
    ],
    expectedResolutions: [
      { kind: 'dormant_seat', subjectType: 'user', subjectId: 'user_01KIM', reason: 'no_longer_dormant' },
    ],
  };
}

/** When the scenario's directory was last listed by a sync: an hour before `now`. */
export function directoryListedAt(s: KnownOrgScenario): string {
  return new Date(s.now.getTime() - 3_600_000).toISOString();
}
