import { describe, expect, it } from 'vitest';
import type { FindingKind, SubjectType } from '../domain/findings.js';
import { daysAgo, invite, key, membership, NOW, policy, snapshot, user } from '../../test/support/snapshot-builder.js';
import { resolutionOf } from './resolution.js';
import type { OpenFindingRecord } from './types.js';

const open = (kind: FindingKind, type: SubjectType, id: string): OpenFindingRecord => ({
  id: 'x',
  fingerprint: `${kind}:${type}:${id}`,
  kind,
  subject: { type, id },
  firstDetectedAt: daysAgo(5),
});

describe('resolution of findings that no longer hold', () => {
  const s = snapshot({
    users: [user('user_here'), user('user_gone', { removedAt: daysAgo(1) }), user('user_admin', { role: 'admin' })],
    keys: [key('apikey_live'), key('apikey_off', { status: 'inactive' })],
    memberships: [membership('wrkspc_1', 'user_here', { role: 'workspace_user' })],
    invites: [invite('invite_accepted', { status: 'accepted' })],
  });
  const reason = (f: OpenFindingRecord, yaml = '') => resolutionOf(f, s, policy(yaml), NOW);

  it('says why, per kind', () => {
    expect(reason(open('dormant_seat', 'user', 'user_here'))).toBe('no_longer_dormant');
    expect(reason(open('dormant_seat', 'user', 'user_gone'))).toBe('principal_removed');
    expect(reason(open('dormant_key', 'api_key', 'apikey_live'))).toBe('no_longer_dormant');
    expect(reason(open('dormant_key', 'api_key', 'apikey_off'))).toBe('key_inactive');
    expect(reason(open('unowned_key', 'api_key', 'apikey_live'))).toBe('owner_found');
    expect(reason(open('stale_admin', 'user', 'user_here'))).toBe('admin_role_removed');
    expect(reason(open('stale_admin', 'user', 'user_admin'))).toBe('admin_active');
    expect(reason(open('stale_admin', 'workspace_member', 'wrkspc_1/user_here'))).toBe('admin_role_removed');
    expect(reason(open('stale_invite', 'invite', 'invite_accepted'))).toBe('invite_closed');
    expect(reason(open('stale_invite', 'invite', 'invite_gone'))).toBe('invite_closed');
  });

  it('keeps anomalies open until handled, unless the unknown actor turned out to be known', () => {
    expect(reason(open('usage_spike', 'api_key', 'apikey_live'))).toBeNull();
    expect(reason(open('privilege_grant', 'user', 'user_admin'))).toBeNull();
    expect(reason(open('unknown_actor', 'user', 'user_ghost'))).toBeNull();
    expect(reason(open('unknown_actor', 'user', 'user_here'))).toBe('actor_now_known');
  });

  it('closes findings of a rule that was switched off', () => {
    expect(reason(open('dormant_seat', 'user', 'user_here'), 'findings:\n  dormant_seat: { enabled: false }')).toBe(
      'rule_disabled',
    );
    expect(reason(open('usage_spike', 'api_key', 'apikey_live'), 'anomalies:\n  usage_spike: { enabled: false }')).toBe(
      'rule_disabled',
    );
  });
});
