import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../config/policy.js';
import { unknownPolicyOrgs } from './policy-orgs.js';

const { policy } = parsePolicy(
  `
exemptions:
  - api_key: apikey_01A
    org: Acme Prodution
    reason: typo in the organisation's name
    expires: 2027-01-31
  - api_key: apikey_01B
    org: acme dev
    reason: named in another case
    expires: 2027-01-31
owners:
  - api_key: apikey_01C
    org: org-uuid-gone
    email: ops@example.com
  - api_key: apikey_01D
    email: ops@example.com
`,
  'test policy',
);

describe('unknownPolicyOrgs', () => {
  const known = [
    { id: 'org-uuid-prod', name: 'Acme Production' },
    { id: 'org-uuid-dev', name: 'Acme Dev' },
  ];
  it('names each entry whose organisation is not one Steward governs, by section and index', () => {
    expect(unknownPolicyOrgs(policy, known)).toEqual([
      'Policy exemptions[0].org "Acme Prodution" names no organisation Steward governs (Acme Production, Acme Dev); the entry applies nowhere.',
      'Policy owners[0].org "org-uuid-gone" names no organisation Steward governs (Acme Production, Acme Dev); the entry applies nowhere.',
    ]);
  });
  it('says nothing before any organisation is identified', () => {
    expect(unknownPolicyOrgs(policy, [])).toEqual([]);
    expect(unknownPolicyOrgs(policy, [{ id: '', name: null }])).toEqual([]);
  });
});
