import { describe, expect, it } from 'vitest';
import type { GrantRecord } from '../types.js';
import { dayAgo, daysAgo, membership, NOW, policy, snapshot, user } from '../../../test/support/snapshot-builder.js';
import { privilegeGrant } from './privilege-grant.js';

let n = 0;
const grant = (over: Partial<GrantRecord>): GrantRecord => ({
  id: `activity_${++n}`,
  grantedAt: daysAgo(1),
  activityType: 'claude_user_role_updated',
  granteeType: 'user',
  granteeId: 'user_a',
  workspaceId: null,
  role: 'admin',
  previousRole: 'user',
  actorType: 'user_actor',
  actorId: 'user_boss',
  ...over,
});

const fingerprints = (grants: GrantRecord[]) =>
  privilegeGrant(
    snapshot({
      users: [
        user('user_a', { role: 'admin' }),
        user('user_b', { role: 'developer' }),
        user('user_boss', { role: 'owner' }),
      ],
      memberships: [
        membership('wrkspc_1', 'user_a', { role: 'workspace_admin' }),
        membership('wrkspc_1', 'user_b', { role: 'workspace_user' }),
      ],
      recentGrants: grants,
    }),
    policy(),
    NOW,
  ).map((d) => d.fingerprint);

describe('privilege_grant', () => {
  it('fires when someone becomes admin or owner, once per change', () => {
    expect(
      fingerprints([
        grant({}),
        grant({
          activityType: 'primary_owner_transferred',
          role: 'primary_owner',
          previousRole: 'user',
          granteeId: 'user_b',
        }),
      ]),
    ).toEqual([
      `privilege_grant:user:user_a:admin:${dayAgo(1)}`,
      `privilege_grant:user:user_b:primary_owner:${dayAgo(1)}`,
    ]);
    expect(fingerprints([grant({}), grant({})])).toHaveLength(1);
  });

  it('does not fire for a change between admin roles, to a plain role, or outside the window', () => {
    expect(
      fingerprints([
        grant({ role: 'owner', previousRole: 'admin' }),
        grant({ role: 'developer', previousRole: 'user' }),
        grant({ grantedAt: daysAgo(8) }),
      ]),
    ).toEqual([]);
  });

  it('takes the new role from the directory when the activity does not say', () => {
    expect(
      fingerprints([
        grant({ role: null, previousRole: null }),
        grant({ granteeId: 'user_b', role: null, previousRole: null }),
      ]),
    ).toEqual([`privilege_grant:user:user_a:admin:${dayAgo(1)}`]);
  });

  it('fires when a workspace admin is added, judged by the directory role', () => {
    const ws = (userId: string) =>
      grant({
        activityType: 'platform_workspace_member_added',
        granteeType: 'workspace_member',
        granteeId: userId,
        workspaceId: 'wrkspc_1',
        role: null,
        previousRole: null,
      });
    expect(fingerprints([ws('user_a'), ws('user_b')])).toEqual([
      `privilege_grant:workspace_member:wrkspc_1/user_a:workspace_admin:${dayAgo(1)}`,
    ]);
  });

  it('fires when an admin key is created, naming the key', () => {
    expect(
      fingerprints([
        grant({
          activityType: 'admin_api_key_created',
          granteeType: 'admin_api_key',
          granteeId: 'admkey_1',
          role: 'admin_api_key',
        }),
      ]),
    ).toEqual([`privilege_grant:api_key:admkey_1:admin_api_key:${dayAgo(1)}`]);
  });
});
