/**
 * The known organisation's people: its members (some removed, one removed and re-added) and
 * its invites (stale, exactly at the threshold, fresh, accepted, expired).
 */
import type { OrganizationInvite, OrganizationUser } from '@anthropic-ai/sdk/resources/organization/index.js';
import type { Listed } from '../scenario-types.js';
import type { RelativeTime } from './relative-time.js';

export function knownOrgPeople({ ago }: RelativeTime): {
  users: Array<Listed<OrganizationUser>>;
  invites: Array<Listed<OrganizationInvite>>;
} {
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

  return { users, invites };
}
