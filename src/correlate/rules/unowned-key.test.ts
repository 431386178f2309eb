import { describe, expect, it } from 'vitest';
import {
  account,
  dayAgo,
  daysAgo,
  key,
  NOW,
  policy,
  snapshot,
  usedDaysAgo,
  user,
} from '../../../test/support/snapshot-builder.js';
import { keyOwner } from '../owner.js';
import { unownedKey } from './unowned-key.js';

describe('unowned_key', () => {
  const s = snapshot({
    users: [user('user_active'), user('user_removed', { removedAt: daysAgo(5) })],
    serviceAccounts: [account('svcacct_lonely'), account('svcacct_owned')],
    keys: [
      key('apikey_owned', { createdBy: { type: 'user', id: 'user_active' } }),
      key('apikey_nocreator'),
      key('apikey_creator_removed', { createdBy: { type: 'user', id: 'user_removed' } }),
      key('apikey_creator_unknown', { createdBy: { type: 'user', id: 'user_never_listed' } }),
      key('apikey_sa', { principal: { type: 'service_account_actor', id: 'svcacct_lonely' } }),
      key('apikey_sa_owned', { principal: { type: 'service_account_actor', id: 'svcacct_owned' } }),
      key('apikey_principal_removed', { principal: { type: 'user_actor', id: 'user_removed' } }),
      key('apikey_overridden', { createdBy: { type: 'user', id: 'user_removed' } }),
      key('apikey_claimed'),
      key('apikey_inactive', { status: 'inactive' }),
    ],
    overrides: [
      {
        subject: { type: 'api_key', id: 'apikey_overridden' },
        email: 'team@acme.test',
        slackId: null,
        source: 'policy',
      },
      { subject: { type: 'service_account', id: 'svcacct_owned' }, email: null, slackId: 'U0OWNER', source: 'policy' },
    ],
    claims: [
      {
        subject: { type: 'api_key', id: 'apikey_claimed' },
        slackId: 'U0CLAIM',
        email: null,
        userId: null,
        claimedAt: daysAgo(1),
      },
    ],
  });

  it('fires for active keys nobody answers for, with the reason in words', () => {
    const out = unownedKey(s, policy(), NOW);
    expect(Object.fromEntries(out.map((d) => [d.subject.id, d.rule]))).toEqual({
      apikey_nocreator: expect.stringContaining('no creator is recorded for it'),
      apikey_creator_removed: expect.stringContaining('its creator is no longer a member'),
      apikey_creator_unknown: expect.stringContaining('its creator is not in the directory'),
      apikey_sa: expect.stringContaining('belongs to a service account that nobody owns'),
      apikey_principal_removed: expect.stringContaining('the user it acts as is no longer a member'),
    });
  });

  it('a key whose creator left Slack and that others still use: "creator left (name, Slack account deactivated day)"', () => {
    const departure = {
      slackUserId: 'U_DAN',
      email: 'user_dan@acme.test',
      how: 'deactivated' as const,
      detectedAt: daysAgo(2),
    };
    const left = snapshot({
      users: [user('user_dan', { name: 'Dan Leaver' }), user('user_other')],
      keys: [
        key('apikey_shared', { createdBy: { type: 'user', id: 'user_dan' }, activity: usedDaysAgo(1) }),
        key('apikey_idle', { createdBy: { type: 'user', id: 'user_dan' } }),
        key('apikey_long_idle', { createdBy: { type: 'user', id: 'user_dan' }, activity: usedDaysAgo(60) }),
        key('apikey_as_other', {
          createdBy: { type: 'user', id: 'user_dan' },
          principal: { type: 'user_actor', id: 'user_other' },
          activity: usedDaysAgo(1),
        }),
      ],
      departures: [departure],
    });
    const out = unownedKey(left, policy(), NOW);
    expect(out.map((d) => d.subject.id)).toEqual(['apikey_shared']);
    expect(out[0]!.rule).toContain(`creator left (Dan Leaver, Slack account deactivated ${dayAgo(2)})`);
    expect(keyOwner(left.keys.get('apikey_shared')!, left)).toMatchObject({ via: null, unownedReason: 'creator_left' });
    // Unused keys stay the leaver's (the leaver alert revokes them); once the leaver is removed, every key says why.
    expect(keyOwner(left.keys.get('apikey_idle')!, left)).toMatchObject({ via: 'creator', userId: 'user_dan' });
    const removed = snapshot({
      users: [user('user_dan', { removedAt: daysAgo(1) })],
      keys: [key('apikey_idle', { createdBy: { type: 'user', id: 'user_dan' } })],
      departures: [departure],
    });
    expect(unownedKey(removed, policy(), NOW)[0]!.rule).toContain(
      'creator left (user_dan@acme.test, Slack account deactivated',
    );
  });

  it('can be switched off', () => {
    expect(unownedKey(s, policy('findings:\n  unowned_key: { enabled: false }'), NOW)).toEqual([]);
  });
});
