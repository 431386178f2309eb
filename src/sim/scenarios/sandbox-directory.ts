import type { OrganizationUser } from '@anthropic-ai/sdk/resources/organization/index.js';
import type { KnownOrgScenario, Listed } from './known-org.js';
import type { SandboxCast } from './sandbox-cast.js';
import type { SandboxPerson } from './sandbox-people.js';

/**
 * The sandbox company's directory as Steward's syncs have seen it: every member listed from
 * the start of history (the new hire from five days ago, the leavers until their removal),
 * a stale invite and a fresh one, three workspaces with the developers in them, two service
 * accounts.
 */
export function sandboxDirectory(cast: SandboxCast) {
  const {
    ago,
    days,
    people,
    lead,
    leaverA,
    leaverB,
    newHire,
    leaverAGone,
    leaverBGone,
    historyStart,
    listedFrom,
    roleOf,
  } = cast;
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

  return { users, invites, workspaces, workspaceMembers, serviceAccounts, wsOf };
}
