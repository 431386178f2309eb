import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../../anthropic/types.js';
import { apiKeyRow, principalOf, scopeOf, serviceAccountRow, serviceAccountsNamedBy } from './rows.js';

const base: ApiKey = {
  id: 'apikey_1',
  type: 'api_key',
  name: 'ci',
  status: 'active',
  created_at: '2026-02-01T00:00:00Z',
  created_by: { id: 'user_1', type: 'user' },
  partial_key_hint: 'sk-ant-api03-abc...wxyz',
};

describe('API key rows', () => {
  it('reads the current shape: principal, scope, expiry', () => {
    const row = apiKeyRow({
      ...base,
      expires_at: '2027-01-01T00:00:00Z',
      principal: { type: 'service_account_actor', service_account_id: 'svac_1' },
      scope: { type: 'workspace', workspace_id: 'wrkspc_1' },
    });
    expect(row).toMatchObject({
      createdByType: 'user',
      createdById: 'user_1',
      principalType: 'service_account',
      principalId: 'svac_1',
      scopeType: 'workspace',
      workspaceId: 'wrkspc_1',
      partialKeyHint: 'sk-ant-api03-abc...wxyz',
    });
    expect(row.expiresAt?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads the older top-level workspace_id, null for the default workspace', () => {
    expect(scopeOf({ ...base, workspace_id: 'wrkspc_2' })).toEqual({ type: 'workspace', workspaceId: 'wrkspc_2' });
    expect(scopeOf({ ...base, workspace_id: null })).toEqual({ type: 'workspace', workspaceId: null });
    expect(apiKeyRow({ ...base, workspace_id: null })).toMatchObject({ principalId: null, expiresAt: null });
  });

  it('prefers scope when both shapes are present, and knows organisation scope', () => {
    expect(scopeOf({ ...base, workspace_id: null, scope: { type: 'workspace', workspace_id: 'wrkspc_d' } })).toEqual({
      type: 'workspace',
      workspaceId: 'wrkspc_d',
    });
    expect(scopeOf({ ...base, scope: { type: 'organization' } })).toEqual({ type: 'organization', workspaceId: null });
  });

  it('records a key with no recorded creator and no principal as such', () => {
    expect(apiKeyRow({ ...base, created_by: null, principal: null })).toMatchObject({
      createdByType: null,
      createdById: null,
      principalType: null,
      principalId: null,
    });
  });

  it('names principal types briefly, keeping ones it does not know', () => {
    expect(principalOf({ type: 'user_actor', user_id: 'user_1' })).toEqual({ type: 'user', id: 'user_1' });
    expect(principalOf({ type: 'workload_actor', workload_id: 'w_1' })).toEqual({ type: 'workload_actor', id: 'w_1' });
    expect(principalOf(null)).toBeNull();
  });

  it('lists the service accounts a key names', () => {
    expect(
      serviceAccountsNamedBy({
        ...base,
        created_by: { id: 'svac_2', type: 'service_account' },
        principal: { type: 'service_account_actor', service_account_id: 'svac_1' },
      }),
    ).toEqual(['svac_1', 'svac_2']);
    expect(serviceAccountsNamedBy(base)).toEqual([]);
  });
});

describe('service account rows', () => {
  it('derive a status from archived_at', () => {
    const s = {
      id: 'svac_1',
      name: 'bot',
      created_at: '2026-01-01T00:00:00Z',
      created_by_actor_id: 'user_1',
      archived_at: null,
    };
    expect(serviceAccountRow(s)).toMatchObject({ status: 'active', createdById: 'user_1' });
    expect(serviceAccountRow({ ...s, archived_at: '2026-03-01T00:00:00Z' }).status).toBe('archived');
  });
});
