import { describe, expect, it } from 'vitest';
import { key, membership, snapshot, user, invite } from '../../test/support/snapshot-builder.js';
import { targetMatcher } from './target.js';
import { describeTarget, parseTarget } from '../domain/target.js';

describe('review targets', () => {
  it('parses the forms /steward review and the CLI accept', () => {
    expect(parseTarget('all')).toEqual({ kind: 'all' });
    expect(parseTarget('user:user_1')).toEqual({ kind: 'user', userId: 'user_1' });
    expect(parseTarget('user_1')).toEqual({ kind: 'user', userId: 'user_1' });
    expect(parseTarget('Ann@Acme.test')).toEqual({ kind: 'email', email: 'ann@acme.test' });
    expect(parseTarget('apikey_1')).toEqual({ kind: 'key', keyId: 'apikey_1' });
    expect(parseTarget('workspace:wrkspc_1')).toEqual({ kind: 'workspace', workspaceId: 'wrkspc_1' });
    expect(describeTarget(parseTarget('wrkspc_1'))).toBe('workspace:wrkspc_1');
    expect(() => parseTarget('everything')).toThrow(/not a review target/);
  });

  const s = snapshot({
    users: [user('user_ann', { email: 'ann@acme.test' }), user('user_bob')],
    keys: [
      key('apikey_ann', { createdBy: { type: 'user', id: 'user_ann' }, workspaceId: 'wrkspc_1' }),
      key('apikey_acts_as_ann', { principal: { type: 'user_actor', id: 'user_ann' }, workspaceId: 'wrkspc_2' }),
      key('apikey_bob', { createdBy: { type: 'user', id: 'user_bob' }, workspaceId: 'wrkspc_2' }),
    ],
    memberships: [membership('wrkspc_1', 'user_ann', { role: 'workspace_admin' }), membership('wrkspc_2', 'user_bob')],
    invites: [invite('invite_ann', { email: 'ann@acme.test' })],
  });
  const covered = (t: string) => {
    const m = targetMatcher(parseTarget(t), s);
    return [
      { type: 'user' as const, id: 'user_ann' },
      { type: 'user' as const, id: 'user_bob' },
      { type: 'workspace_member' as const, id: 'wrkspc_1/user_ann' },
      { type: 'api_key' as const, id: 'apikey_ann' },
      { type: 'api_key' as const, id: 'apikey_acts_as_ann' },
      { type: 'api_key' as const, id: 'apikey_bob' },
      { type: 'invite' as const, id: 'invite_ann' },
    ]
      .filter(m)
      .map((x) => x.id);
  };

  it('a person: their seat, workspace roles and the keys that act as them or that they made', () => {
    expect(covered('user:user_ann')).toEqual(['user_ann', 'wrkspc_1/user_ann', 'apikey_ann', 'apikey_acts_as_ann']);
    expect(covered('ann@acme.test')).toEqual([
      'user_ann',
      'wrkspc_1/user_ann',
      'apikey_ann',
      'apikey_acts_as_ann',
      'invite_ann',
    ]);
  });

  it('a key, a workspace, everything', () => {
    expect(covered('key:apikey_bob')).toEqual(['apikey_bob']);
    expect(covered('workspace:wrkspc_2')).toEqual(['user_bob', 'apikey_acts_as_ann', 'apikey_bob']);
    expect(covered('all')).toHaveLength(7);
  });
});
