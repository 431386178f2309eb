import { describe, expect, it } from 'vitest';
import {
  activeDaysAgo,
  daysAgo,
  membership,
  NOW,
  policy,
  snapshot,
  user,
} from '../../../test/support/snapshot-builder.js';
import { staleAdmin } from './stale-admin.js';

describe('stale_admin', () => {
  it('fires for an org admin at exactly N days without admin activity, not at N−1', () => {
    const s = snapshot({
      users: [
        user('user_exact', { role: 'admin', activity: activeDaysAgo(1, { admin: 60 }) }),
        user('user_almost', { role: 'owner', activity: activeDaysAgo(1, { admin: 59 }) }),
        user('user_plain', { role: 'developer', activity: activeDaysAgo(1) }),
      ],
    });
    expect(staleAdmin(s, policy(), NOW).map((d) => d.subject.id)).toEqual(['user_exact']);
  });

  it('counts from the grant when the role is newer than the last admin activity', () => {
    const s = snapshot({
      users: [
        user('user_promoted', { role: 'admin', activity: activeDaysAgo(1) }),
        user('user_never', { role: 'admin', addedAt: daysAgo(70) }),
      ],
      lastGrantAt: new Map([['user_promoted', daysAgo(10)]]),
    });
    const [d, ...rest] = staleAdmin(s, policy(), NOW);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ subject: { type: 'user', id: 'user_never' }, idleDays: 70 });
    expect(d?.rule).toMatch(/No administrative activity on record in 70 days/);
  });

  it('fires for a workspace admin per workspace, not for removed members or removed users', () => {
    const s = snapshot({
      users: [
        user('user_ws', { activity: activeDaysAgo(1, { admin: 61 }) }),
        user('user_gone', { removedAt: daysAgo(1) }),
      ],
      memberships: [
        membership('wrkspc_1', 'user_ws', { role: 'workspace_admin' }),
        membership('wrkspc_2', 'user_ws', { role: 'workspace_admin', removedAt: daysAgo(2) }),
        membership('wrkspc_3', 'user_ws', { role: 'workspace_developer' }),
        membership('wrkspc_1', 'user_gone', { role: 'workspace_admin' }),
      ],
    });
    expect(staleAdmin(s, policy(), NOW).map((d) => d.fingerprint)).toEqual([
      'stale_admin:workspace_member:wrkspc_1/user_ws',
    ]);
  });

  it('lets a workspace admin added recently settle in', () => {
    const s = snapshot({
      users: [user('user_new')],
      memberships: [membership('wrkspc_1', 'user_new', { role: 'workspace_admin', firstSeenAt: daysAgo(59) })],
    });
    expect(staleAdmin(s, policy(), NOW)).toEqual([]);
  });
});
