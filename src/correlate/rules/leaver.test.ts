import { describe, expect, it } from 'vitest';
import {
  daysAgo,
  key,
  membership,
  NOW,
  policy,
  snapshot,
  usedDaysAgo,
  user,
} from '../../../test/support/snapshot-builder.js';
import type { DepartureRecord } from '../types.js';
import { leaver } from './leaver.js';

const departed = (email: string, over: Partial<DepartureRecord> = {}): DepartureRecord => ({
  slackUserId: `U_${email.split('@')[0]!.toUpperCase()}`,
  email,
  how: 'deactivated',
  detectedAt: daysAgo(0),
  ...over,
});

describe('leaver', () => {
  it('lists every access a departed person still holds: seat, role, workspace admin, live keys', () => {
    const s = snapshot({
      users: [user('u_dan', { role: 'admin' })],
      memberships: [membership('wrkspc_1', 'u_dan', { role: 'workspace_admin' })],
      keys: [
        key('k_made', { createdBy: { type: 'user', id: 'u_dan' } }),
        key('k_as', { principal: { type: 'user', id: 'u_dan' } }),
        key('k_dead', { createdBy: { type: 'user', id: 'u_dan' }, status: 'inactive' }),
        key('k_other', { createdBy: { type: 'user', id: 'u_someone' } }),
      ],
      departures: [departed('u_dan@acme.test')],
    });
    const [d, ...rest] = leaver(s, policy(), NOW);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ kind: 'leaver', subject: { type: 'user', id: 'u_dan' } });
    expect(d!.fingerprint).toBe(`leaver:user:u_dan:${NOW.toISOString().slice(0, 10)}`);
    const holdings = (d!.anomaly!.holdings as Array<{ type: string; id: string }>).map((h) => `${h.type}:${h.id}`);
    expect(holdings.sort()).toEqual([
      'api_key:k_as',
      'api_key:k_made',
      'org_role:u_dan',
      'seat:u_dan',
      'workspace_admin:wrkspc_1',
    ]);
  });

  it('keys they created that others still use are not in Revoke all: they are listed as unowned', () => {
    const s = snapshot({
      users: [user('u_dan')],
      keys: [
        key('k_shared', { createdBy: { type: 'user', id: 'u_dan' }, activity: usedDaysAgo(1) }),
        key('k_as_dan', { principal: { type: 'user', id: 'u_dan' }, activity: usedDaysAgo(1) }),
        key('k_idle', { createdBy: { type: 'user', id: 'u_dan' } }),
      ],
      departures: [departed('u_dan@acme.test')],
    });
    const [d] = leaver(s, policy(), NOW);
    const ids = (list: unknown) => (list as Array<{ id: string }>).map((h) => h.id).sort();
    expect(ids(d!.anomaly!.holdings)).toEqual(['k_as_dan', 'k_idle', 'u_dan']);
    expect(ids(d!.anomaly!.unownedKeys)).toEqual(['k_shared']);
  });

  it('is silent for someone already removed from the organisation, with no departure, or when disabled', () => {
    const s = snapshot({
      users: [user('u_gone', { removedAt: daysAgo(1) }), user('u_stays')],
      departures: [departed('u_gone@acme.test', { how: 'gone' })],
    });
    expect(leaver(s, policy(), NOW)).toEqual([]);
    const s2 = snapshot({ users: [user('u_x')], departures: [departed('u_x@acme.test')] });
    expect(leaver(s2, policy(), NOW)).toHaveLength(1);
    expect(leaver(s2, policy('anomalies:\n  leaver:\n    enabled: false\n'), NOW)).toEqual([]);
  });
});
