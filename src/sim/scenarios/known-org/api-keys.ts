/**
 * The known organisation's API keys: owned, with no creator, whose creator left, held by
 * service accounts, never used, brand new, spiking, exactly at and just under the dormancy
 * threshold, claimed, inactive.
 */
import type { APIKey } from '@anthropic-ai/sdk/resources/organization/index.js';
import type { Listed } from '../scenario-types.js';
import type { RelativeTime } from './relative-time.js';

export function knownOrgApiKeys({ ago }: RelativeTime): Array<Listed<APIKey>> {
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

  return apiKeys;
}
