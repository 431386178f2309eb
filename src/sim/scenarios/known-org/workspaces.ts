/** The known organisation's workspaces, their members (one admin added yesterday) and its service accounts. */
import type { ServiceAccount, Workspace, WorkspaceMember } from '@anthropic-ai/sdk/resources/organization/index.js';
import type { Listed } from '../scenario-types.js';
import type { RelativeTime } from './relative-time.js';

export function knownOrgWorkspaces({ ago }: RelativeTime): {
  workspaces: Array<Listed<Workspace>>;
  workspaceMembers: Array<Listed<WorkspaceMember>>;
  serviceAccounts: Array<Listed<ServiceAccount>>;
} {
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

  return { workspaces, workspaceMembers, serviceAccounts };
}
