import { describe, expect, it } from 'vitest';
import { daysAgo, invite, NOW, policy, snapshot } from '../../../test/support/snapshot-builder.js';
import { staleInvite } from './stale-invite.js';

describe('stale_invite', () => {
  it('fires for a pending invite at exactly N days, not N−1, nor closed or expired ones', () => {
    const s = snapshot({
      invites: [
        invite('invite_exact', { invitedAt: daysAgo(14) }),
        invite('invite_almost', { invitedAt: daysAgo(13) }),
        invite('invite_accepted', { invitedAt: daysAgo(40), status: 'accepted' }),
        invite('invite_expired_status', { invitedAt: daysAgo(40), status: 'expired' }),
        invite('invite_past_expiry', { invitedAt: daysAgo(40), expiresAt: daysAgo(1) }),
        invite('invite_deleted', { invitedAt: daysAgo(40), removedAt: daysAgo(2) }),
      ],
    });
    const out = staleInvite(s, policy(), NOW);
    expect(out.map((d) => d.subject.id)).toEqual(['invite_exact']);
    expect(out[0]).toMatchObject({ idleDays: 14, thresholds: { stale_invite_days: 14 }, activityOf: null });
  });
});
