import { describe, expect, it } from 'vitest';
import type { Evidence } from '../domain/evidence.js';
import { revocationFor } from './revocation.js';

function evidence(partial: Partial<Evidence> & Pick<Evidence, 'kind' | 'subject' | 'access'>): Evidence {
  return {
    rule: 'r',
    createdAt: null,
    createdBy: null,
    owner: { userId: null, email: null, slackId: null, via: null },
    lastActivity: null,
    counts: { d7: 0, d30: 0, d90: 0 },
    weekly: [],
    thresholds: {},
    asOf: '2026-11-22T00:00:00Z',
    ...partial,
  };
}

describe('revocationFor', () => {
  it('deactivates keys (restorable)', () => {
    const a = revocationFor(
      evidence({
        kind: 'dormant_key',
        subject: { type: 'api_key', id: 'apikey_1', label: 'ci' },
        access: { kind: 'api_key' },
      }),
    );
    expect(a).toMatchObject({ kind: 'deactivate_key', targetId: 'apikey_1', restorable: true });
  });

  it('removes a dormant seat, deletes a stale invite, archives a service account', () => {
    expect(
      revocationFor(
        evidence({
          kind: 'dormant_seat',
          subject: { type: 'user', id: 'user_1', label: 'a@x' },
          access: { kind: 'seat', role: 'user' },
        }),
      )?.kind,
    ).toBe('remove_member');
    expect(
      revocationFor(
        evidence({
          kind: 'stale_invite',
          subject: { type: 'invite', id: 'invite_1', label: 'b@x' },
          access: { kind: 'invite' },
        }),
      )?.kind,
    ).toBe('delete_invite');
    expect(
      revocationFor(
        evidence({
          kind: 'unowned_key',
          subject: { type: 'service_account', id: 'sa_1', label: 'bot' },
          access: { kind: 'service_account' },
        }),
      )?.kind,
    ).toBe('archive_service_account');
  });

  it('lowers roles for stale admins instead of removing the person', () => {
    const org = revocationFor(
      evidence({
        kind: 'stale_admin',
        subject: { type: 'user', id: 'user_2', label: 'c@x' },
        access: { kind: 'org_admin', role: 'admin' },
      }),
    );
    expect(org).toMatchObject({ kind: 'lower_org_role', params: { role: 'user', previousRole: 'admin' } });
    const ws = revocationFor(
      evidence({
        kind: 'stale_admin',
        subject: { type: 'workspace_member', id: 'wrkspc_9/user_3', label: 'd@x' },
        access: { kind: 'workspace_admin', role: 'workspace_admin', workspaceId: 'wrkspc_9' },
      }),
    );
    expect(ws).toMatchObject({
      kind: 'lower_workspace_role',
      params: { workspaceId: 'wrkspc_9', userId: 'user_3', role: 'workspace_user' },
    });
  });

  it('offers nothing to revoke where the directory holds nothing to remove', () => {
    expect(
      revocationFor(
        evidence({
          kind: 'unknown_actor',
          subject: { type: 'user', id: 'user_ghost', label: '?' },
          access: { kind: 'seat' },
        }),
      ),
    ).toBeNull();
    expect(
      revocationFor(
        evidence({
          kind: 'activity_after_removal',
          subject: { type: 'user', id: 'user_gone', label: 'g@x' },
          access: { kind: 'seat' },
        }),
      ),
    ).toBeNull();
    expect(
      revocationFor(
        evidence({
          kind: 'privilege_grant',
          subject: { type: 'api_key', id: 'apikey_admin', label: 'admin key' },
          access: { kind: 'api_key' },
        }),
      ),
    ).toBeNull();
    // A grant that is not an admin role any more has nothing left to lower.
    expect(
      revocationFor(
        evidence({
          kind: 'privilege_grant',
          subject: { type: 'user', id: 'user_4', label: 'e@x' },
          access: { kind: 'seat', role: 'developer' },
        }),
      ),
    ).toBeNull();
  });

  it('deactivates a key used after its owner was removed', () => {
    expect(
      revocationFor(
        evidence({
          kind: 'activity_after_removal',
          subject: { type: 'api_key', id: 'apikey_9', label: 'k' },
          access: { kind: 'api_key' },
        }),
      )?.kind,
    ).toBe('deactivate_key');
  });
});
