import { describe, expect, it } from 'vitest';
import { namesKnownOrg, orgMatches } from './org-match.js';

const prod = { id: 'org-uuid-prod', name: 'Acme Production' };
const dev = { id: 'org-uuid-dev', name: 'Acme Dev' };

describe('orgMatches', () => {
  it('an entry naming no organisation is about every one, and every entry counts across organisations', () => {
    expect(orgMatches(undefined, prod)).toBe(true);
    expect(orgMatches(undefined, { id: '', name: null })).toBe(true);
    expect(orgMatches('Acme Dev', null)).toBe(true);
  });
  it('matches by id, or by name in any case, and nothing else', () => {
    expect(orgMatches('org-uuid-prod', prod)).toBe(true);
    expect(orgMatches('acme production', prod)).toBe(true);
    expect(orgMatches('Acme Production', dev)).toBe(false);
    expect(orgMatches('org-uuid-prod', dev)).toBe(false);
    expect(orgMatches('Acme', prod)).toBe(false);
  });
  it('rows not identified yet take only entries naming no organisation', () => {
    expect(orgMatches('Acme Production', { id: '', name: null })).toBe(false);
  });
});

describe('namesKnownOrg', () => {
  it('says whether an id or name is one of the identified organisations', () => {
    expect(namesKnownOrg('ACME DEV', [prod, dev])).toBe(true);
    expect(namesKnownOrg('Acme Prodution', [prod, dev])).toBe(false);
    expect(namesKnownOrg('', [{ id: '', name: null }])).toBe(false);
  });
});
