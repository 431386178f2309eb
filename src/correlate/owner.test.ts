import { describe, expect, it } from 'vitest';
import { account, daysAgo, key, snapshot, user } from '../../test/support/snapshot-builder.js';
import { creatorOwner, holderOwner, keyOwner, serviceAccountOwner } from './owner.js';

describe('owner resolution', () => {
  const s = snapshot({
    users: [
      user('user_p'),
      user('user_c'),
      user('user_gone', { removedAt: daysAgo(3) }),
      user('user_team', { email: 'Team@Acme.test' }),
    ],
    serviceAccounts: [account('svcacct_owned'), account('svcacct_claimed'), account('svcacct_lonely')],
    overrides: [
      { subject: { type: 'api_key', id: 'apikey_o' }, email: 'team@acme.test', slackId: null, source: 'policy' },
      { subject: { type: 'service_account', id: 'svcacct_owned' }, email: null, slackId: 'U0SA', source: 'policy' },
    ],
    claims: [
      {
        subject: { type: 'api_key', id: 'apikey_claimed' },
        slackId: 'U0CL',
        email: 'cl@acme.test',
        userId: null,
        claimedAt: daysAgo(1),
      },
      {
        subject: { type: 'service_account', id: 'svcacct_claimed' },
        slackId: 'U0SC',
        email: null,
        userId: null,
        claimedAt: daysAgo(1),
      },
    ],
  });
  const by = (type: string, id: string) => ({ type, id });

  it('a key: its principal user first, then its creator', () => {
    expect(keyOwner(key('k', { principal: by('user_actor', 'user_p'), createdBy: by('user', 'user_c') }), s)).toEqual({
      userId: 'user_p',
      email: 'user_p@acme.test',
      slackId: null,
      via: 'principal',
      unownedReason: null,
    });
    expect(
      keyOwner(key('k', { principal: by('user_actor', 'user_gone'), createdBy: by('user', 'user_c') }), s),
    ).toMatchObject({ userId: 'user_c', via: 'creator' });
  });

  it('then the override map (an email maps to the active member), then the latest claim', () => {
    expect(keyOwner(key('apikey_o', { createdBy: by('user', 'user_gone') }), s)).toEqual({
      userId: 'user_team',
      email: 'team@acme.test',
      slackId: null,
      via: 'override',
      unownedReason: null,
    });
    expect(keyOwner(key('apikey_claimed'), s)).toEqual({
      userId: null,
      email: 'cl@acme.test',
      slackId: 'U0CL',
      via: 'claim',
      unownedReason: null,
    });
  });

  it('a service-account key: the account override or claim', () => {
    expect(keyOwner(key('k', { principal: by('service_account_actor', 'svcacct_owned') }), s)).toMatchObject({
      via: 'override',
      slackId: 'U0SA',
    });
    expect(keyOwner(key('k', { createdBy: by('service_account', 'svcacct_claimed') }), s)).toMatchObject({
      via: 'claim',
      slackId: 'U0SC',
    });
    expect(serviceAccountOwner({ id: 'svcacct_lonely' }, s)).toMatchObject({
      via: null,
      unownedReason: 'service_account_unowned',
    });
  });

  it('nobody: the reason of the first link that failed', () => {
    const reason = (k: ReturnType<typeof key>) => keyOwner(k, s).unownedReason;
    expect(reason(key('k'))).toBe('no_creator_recorded');
    expect(reason(key('k', { createdBy: by('user', 'user_gone') }))).toBe('creator_removed');
    expect(reason(key('k', { createdBy: by('user', 'user_nobody') }))).toBe('creator_unknown');
    expect(reason(key('k', { principal: by('user_actor', 'user_gone') }))).toBe('principal_removed');
    expect(reason(key('k', { principal: by('user_actor', 'user_nobody') }))).toBe('principal_unknown');
    expect(
      reason(
        key('k', { principal: by('service_account_actor', 'svcacct_lonely'), createdBy: by('user', 'user_gone') }),
      ),
    ).toBe('service_account_unowned');
  });

  it('a seat: its holder, unless removed; an admin key: its creator', () => {
    expect(holderOwner(s.users.get('user_p'))).toMatchObject({ via: 'holder', userId: 'user_p' });
    expect(holderOwner(s.users.get('user_gone'))).toMatchObject({ via: null, unownedReason: 'holder_removed' });
    expect(creatorOwner('user_c', s)).toMatchObject({ via: 'creator', userId: 'user_c' });
    expect(creatorOwner('user_gone', s)).toMatchObject({ via: null, unownedReason: 'creator_removed' });
    expect(creatorOwner(null, s)).toMatchObject({ via: null, unownedReason: 'no_creator_recorded' });
  });
});
