import { describe, expect, it } from 'vitest';
import { daysAgo, NOW } from '../../test/support/snapshot-builder.js';
import { suppressionOf, type SuppressionRules } from './suppression.js';

const f = {
  fingerprint: 'dormant_key:api_key:apikey_a',
  kind: 'dormant_key' as const,
  subject: { type: 'api_key' as const, id: 'apikey_a' },
};
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);
const rules = (over: Partial<SuppressionRules>): SuppressionRules => ({
  exemptions: [],
  certifications: new Map(),
  ...over,
});
const exemption = (expiresAt: Date, kind: 'dormant_key' | 'unowned_key' | null = null) => ({
  subject: { type: 'api_key' as const, id: 'apikey_a' },
  kind,
  reason: 'CI key, used quarterly',
  expiresAt,
  source: 'policy',
});

describe('suppression', () => {
  it('an exemption suppresses until its expiry, and not from its expiry on', () => {
    expect(suppressionOf(f, rules({ exemptions: [exemption(later(1))] }), NOW)).toMatchObject({
      by: 'exemption',
      reason: 'CI key, used quarterly',
    });
    expect(suppressionOf(f, rules({ exemptions: [exemption(NOW)] }), NOW)).toBeNull();
    expect(suppressionOf(f, rules({ exemptions: [exemption(daysAgo(1))] }), NOW)).toBeNull();
  });

  it('an exemption for one kind does not cover another', () => {
    expect(suppressionOf(f, rules({ exemptions: [exemption(later(5), 'unowned_key')] }), NOW)).toBeNull();
    expect(suppressionOf(f, rules({ exemptions: [exemption(later(5), 'dormant_key')] }), NOW)).not.toBeNull();
  });

  it('a Keep certification suppresses its fingerprint until its date', () => {
    const cert = (d: Date) =>
      rules({ certifications: new Map([[f.fingerprint, { validUntil: d, reason: 'still needed' }]]) });
    expect(suppressionOf(f, cert(later(30)), NOW)).toMatchObject({
      by: 'certification',
      until: later(30).toISOString(),
    });
    expect(suppressionOf(f, cert(NOW), NOW)).toBeNull();
  });

  it('reports the one that lasts longest', () => {
    const both = rules({
      exemptions: [exemption(later(10))],
      certifications: new Map([[f.fingerprint, { validUntil: later(90), reason: 'kept' }]]),
    });
    expect(suppressionOf(f, both, NOW)?.by).toBe('certification');
  });
});
