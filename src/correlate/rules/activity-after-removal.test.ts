import { describe, expect, it } from 'vitest';
import {
  activeDaysAgo,
  dayAgo,
  daysAgo,
  key,
  NOW,
  policy,
  snapshot,
  user,
  usedDaysAgo,
} from '../../../test/support/snapshot-builder.js';
import { activityAfterRemoval } from './activity-after-removal.js';

describe('activity_after_removal', () => {
  it('fires for a session used after its member was removed, not for activity before', () => {
    const s = snapshot({
      users: [
        user('user_after', { removedAt: daysAgo(20, 15), activity: activeDaysAgo(5) }),
        user('user_before', { removedAt: daysAgo(20, 15), activity: activeDaysAgo(21) }),
        user('user_sameday_before', {
          removedAt: daysAgo(20, 15),
          activity: { ...activeDaysAgo(20), lastEventAt: daysAgo(20, 14) },
        }),
        user('user_active', { activity: activeDaysAgo(1) }),
      ],
    });
    const out = activityAfterRemoval(s, policy(), NOW);
    expect(out.map((d) => d.fingerprint)).toEqual([`activity_after_removal:user:user_after:${dayAgo(20)}`]);
    expect(out[0]?.anomaly).toMatchObject({
      removedAt: daysAgo(20, 15).toISOString(),
      activityAt: daysAgo(5).toISOString(),
    });
  });

  it('counts usage only on days after the removal day (usage days have no time)', () => {
    const s = snapshot({
      users: [user('user_left', { removedAt: daysAgo(10, 9) })],
      keys: [
        key('apikey_sameday', { createdBy: { type: 'user', id: 'user_left' }, activity: usedDaysAgo(10) }),
        key('apikey_nextday', { createdBy: { type: 'user', id: 'user_left' }, activity: usedDaysAgo(9) }),
      ],
    });
    expect(activityAfterRemoval(s, policy(), NOW).map((d) => d.subject.id)).toEqual(['apikey_nextday']);
  });

  it('follows the key to the user it acts as, and not to the creator of a service-account key', () => {
    const s = snapshot({
      users: [user('user_left', { removedAt: daysAgo(30) }), user('user_here')],
      keys: [
        key('apikey_principal', {
          principal: { type: 'user_actor', id: 'user_left' },
          createdBy: { type: 'user', id: 'user_here' },
          activity: usedDaysAgo(1),
        }),
        key('apikey_sa', {
          principal: { type: 'service_account_actor', id: 'svcacct_1' },
          createdBy: { type: 'user', id: 'user_left' },
          activity: usedDaysAgo(1),
        }),
        key('apikey_here', {
          principal: { type: 'user_actor', id: 'user_here' },
          createdBy: { type: 'user', id: 'user_left' },
          activity: usedDaysAgo(1),
        }),
      ],
    });
    expect(activityAfterRemoval(s, policy(), NOW).map((d) => d.subject.id)).toEqual(['apikey_principal']);
  });
});
