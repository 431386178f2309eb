import { describe, expect, it } from 'vitest';
import { daysAgo, dayAgo, key, NOW, policy, snapshot, user } from '../../../test/support/snapshot-builder.js';
import type { AttestationRecord } from '../types.js';
import { unattestedAccess } from './unattested-access.js';

const request = (subjectId: string, over: Partial<AttestationRecord> = {}): AttestationRecord => ({
  subjectType: 'api_key',
  subjectId,
  accessKind: 'api_key',
  status: 'pending',
  requestedAt: daysAgo(7),
  purpose: null,
  businessOwnerSlackId: null,
  endDate: null,
  answeredBySlackId: null,
  answeredAt: null,
  ...over,
});

describe('unattested_access', () => {
  it('fires for a request unanswered at exactly attest_days, not one day earlier, nor answered or gone access', () => {
    const s = snapshot({
      keys: [
        key('k_exact'),
        key('k_early'),
        key('k_attested'),
        key('k_disowned'),
        key('k_gone', { status: 'inactive' }),
      ],
      attestations: [
        request('k_exact'),
        request('k_early', { requestedAt: daysAgo(6) }),
        request('k_attested', { status: 'attested', purpose: 'billing', answeredAt: daysAgo(6) }),
        request('k_disowned', { status: 'disowned', answeredAt: daysAgo(6) }),
        request('k_gone'),
      ],
    });
    const out = unattestedAccess(s, policy(), NOW);
    expect(out.map((d) => d.subject.id)).toEqual(['k_exact']);
    expect(out[0]).toMatchObject({
      fingerprint: 'unattested_access:api_key:k_exact',
      idleDays: 7,
      activityOf: 'k_exact',
    });
  });

  it('fires when the attested purpose has ended, naming the date and purpose', () => {
    const s = snapshot({
      keys: [key('k_ended'), key('k_ends_today')],
      attestations: [
        request('k_ended', {
          status: 'attested',
          purpose: 'Q3 migration',
          endDate: dayAgo(1),
          answeredAt: daysAgo(60),
        }),
        request('k_ends_today', { status: 'attested', purpose: 'demo', endDate: dayAgo(0), answeredAt: daysAgo(60) }),
      ],
    });
    const out = unattestedAccess(s, policy(), NOW);
    expect(out.map((d) => d.subject.id)).toEqual(['k_ended']);
    expect(out[0]!.rule).toContain(`ended on ${dayAgo(1)}`);
    expect(out[0]!.rule).toContain('Q3 migration');
  });

  it('checks an admin role is still held, and is off when disabled', () => {
    const s = snapshot({
      users: [user('u_admin', { role: 'admin' }), user('u_demoted', { role: 'user' })],
      attestations: [
        request('u_admin', { subjectType: 'user', accessKind: 'org_admin' }),
        request('u_demoted', { subjectType: 'user', accessKind: 'org_admin' }),
      ],
    });
    expect(unattestedAccess(s, policy(), NOW).map((d) => d.subject.id)).toEqual(['u_admin']);
    expect(unattestedAccess(s, policy('findings:\n  unattested_access:\n    enabled: false\n'), NOW)).toEqual([]);
  });
});
