import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { claims, exemptions, organizations, ownerOverrides } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/log.js';
import { createCorrelationService, type CorrelationResult } from '../../src/correlate/service.js';
import { loadScenario, type OrgFixture } from '../support/load-scenario.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { byText } from '../helpers/order.js';
import { fixtures } from './fixtures.js';

/**
 * Exemptions, owner overrides and claims per organisation (issue 17): ids are unique per
 * organisation only, so an entry can name the organisation it is about (`org:` by id or name);
 * one that names none applies in every organisation, and a claim is about the organisation of
 * the review it was made on. A policy entry naming no known organisation is said, not guessed.
 */
const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;
const f = fixtures(NOW);
const FIRST = { id: '11111111-1111-4111-8111-111111111111', name: 'Acme Enterprise' };
const SECOND = { id: '22222222-2222-4222-8222-222222222222', name: 'Acme Production' };

describe('exemptions, owners and claims with several organisations', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
    await t.db.insert(organizations).values([
      { ...FIRST, keyRef: 'ANTHROPIC_ADMIN_KEYS entry 1', firstSeenAt: new Date(NOW.getTime() - 9 * DAY) },
      { ...SECOND, keyRef: 'ANTHROPIC_ADMIN_KEYS entry 2', firstSeenAt: new Date(NOW.getTime() - 9 * DAY) },
    ]);
    // The same ids in both organisations: a dormant seat, an unowned key, a key nobody uses.
    for (const org of [FIRST, SECOND])
      await load(org.id, {
        users: [f.user('user_erin'), f.user('user_owner')],
        apiKeys: [f.key('apikey_shared', { createdBy: null }), f.key('apikey_quiet', { createdBy: 'user_owner' })],
      });
  });
  afterEach(async () => t.destroy());

  const load = (orgId: string, fixture: Omit<OrgFixture, 'listedAt' | 'orgId'>) =>
    loadScenario(t.db, { listedAt: new Date(NOW.getTime() - 60_000), orgId, ...fixture });
  const correlate = (policyYaml = '') =>
    createCorrelationService({
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      policy: parsePolicy(policyYaml, 'test policy'),
      now: () => NOW,
    }).correlate();
  const of = (r: CorrelationResult, kind: string, subject: string) =>
    r.findings
      .filter((x) => x.kind === kind && x.subject.id === subject)
      .map((x) => x.org.name)
      .sort(byText);
  const ownerIn = (r: CorrelationResult, kind: string, subject: string, org: string) =>
    r.findings.find((x) => x.kind === kind && x.subject.id === subject && x.org.name === org)?.evidence.owner;

  it('without org an exemption holds in every organisation; with one, only in that organisation (by name or id)', async () => {
    const before = await correlate();
    expect(of(before, 'dormant_seat', 'user_erin')).toEqual(['Acme Enterprise', 'Acme Production']);

    const byName = await correlate(`
exemptions:
  - user: user_erin
    org: acme production
    finding: dormant_seat
    reason: on parental leave
    expires: 2027-01-31
  - api_key: apikey_quiet
    org: ${FIRST.id}
    reason: quarterly batch
    expires: 2027-01-31
`);
    expect(of(byName, 'dormant_seat', 'user_erin')).toEqual(['Acme Enterprise']);
    expect(of(byName, 'dormant_key', 'apikey_quiet')).toEqual(['Acme Production']);
    expect(byName.suppressed.map((s) => `${s.org.name} ${s.subject.id}`).sort(byText)).toEqual([
      'Acme Enterprise apikey_quiet',
      'Acme Production user_erin',
    ]);
    expect(byName.notices).toEqual([]);

    const everywhere = await correlate(`
exemptions:
  - user: user_erin
    reason: on parental leave
    expires: 2027-01-31
`);
    expect(of(everywhere, 'dormant_seat', 'user_erin')).toEqual([]);
  });

  it('the exemptions table: a row for one organisation, and a row for every organisation', async () => {
    await t.db.insert(exemptions).values([
      {
        orgId: SECOND.id,
        subjectType: 'api_key',
        subjectId: 'apikey_quiet',
        reason: 'batch',
        expiresAt: new Date('2027-01-01'),
        source: 'U0ADMIN',
      },
      {
        subjectType: 'user',
        subjectId: 'user_erin',
        reason: 'leave',
        expiresAt: new Date('2027-01-01'),
        source: 'U0ADMIN',
      },
    ]);
    const r = await correlate();
    expect(of(r, 'dormant_key', 'apikey_quiet')).toEqual(['Acme Enterprise']);
    expect(of(r, 'dormant_seat', 'user_erin')).toEqual([]);
  });

  it('owner overrides: one for an organisation wins there over one for all; elsewhere the general one holds', async () => {
    const r = await correlate(`
owners:
  - api_key: apikey_shared
    email: platform@acme.test
  - api_key: apikey_shared
    org: Acme Production
    email: payments@acme.test
`);
    expect(ownerIn(r, 'dormant_key', 'apikey_shared', 'Acme Enterprise')).toMatchObject({
      email: 'platform@acme.test',
      via: 'override',
    });
    expect(ownerIn(r, 'dormant_key', 'apikey_shared', 'Acme Production')).toMatchObject({
      email: 'payments@acme.test',
      via: 'override',
    });
    expect(of(r, 'unowned_key', 'apikey_shared')).toEqual([]);

    // The table: its row for the second organisation alone; the first stays unowned.
    await t.db.insert(ownerOverrides).values({
      orgId: SECOND.id,
      subjectType: 'api_key',
      subjectId: 'apikey_shared',
      ownerEmail: 'payments@acme.test',
      source: 'U0ADMIN',
    });
    const table = await correlate();
    expect(of(table, 'unowned_key', 'apikey_shared')).toEqual(['Acme Enterprise']);
  });

  it('a claim is about the organisation of the review it was made on', async () => {
    expect(of(await correlate(), 'unowned_key', 'apikey_shared')).toEqual(['Acme Enterprise', 'Acme Production']);
    await t.db.insert(claims).values({
      orgId: SECOND.id,
      subjectType: 'api_key',
      subjectId: 'apikey_shared',
      claimedBySlackId: 'U0CLAIMER',
      claimedByEmail: 'claimer@acme.test',
      claimedAt: new Date(NOW.getTime() - DAY),
    });
    const r = await correlate();
    expect(of(r, 'unowned_key', 'apikey_shared')).toEqual(['Acme Enterprise']);
    expect(ownerIn(r, 'dormant_key', 'apikey_shared', 'Acme Production')).toMatchObject({
      email: 'claimer@acme.test',
      via: 'claim',
    });
  });

  it('an entry naming no organisation Steward governs applies nowhere and is said', async () => {
    const r = await correlate(`
exemptions:
  - user: user_erin
    org: Acme Prodution
    reason: on parental leave
    expires: 2027-01-31
`);
    expect(of(r, 'dormant_seat', 'user_erin')).toEqual(['Acme Enterprise', 'Acme Production']);
    expect(r.notices).toEqual([
      'Policy exemptions[0].org "Acme Prodution" names no organisation Steward governs (Acme Enterprise, Acme Production); the entry applies nowhere.',
    ]);
  });
});
