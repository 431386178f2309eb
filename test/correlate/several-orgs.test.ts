import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/config/policy.js';
import { queryRows } from '../../src/db/client.js';
import { organizations } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/log.js';
import { createCorrelationService, type CorrelationResult } from '../../src/correlate/service.js';
import { loadScenario, type OrgFixture } from '../support/load-scenario.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { byText } from '../helpers/order.js';
import { fixtures } from './fixtures.js';

/**
 * Correlation per organisation (issue 17): each organisation's pass sees its own directory,
 * usage and activity (plus the activity that names no organisation), so one person or one id in
 * two organisations is two subjects, with their own findings.
 */
const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;
const f = fixtures(NOW);
// Entry 1 is configured first, though the second organisation was identified earlier.
const FIRST = { id: '11111111-1111-4111-8111-111111111111', name: 'Acme Enterprise' };
const SECOND = { id: '22222222-2222-4222-8222-222222222222', name: 'Acme Production' };

describe('correlation with several organisations', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
    await t.db.insert(organizations).values([
      { ...SECOND, keyRef: 'ANTHROPIC_ADMIN_KEYS entry 2', firstSeenAt: new Date(NOW.getTime() - 9 * DAY) },
      { ...FIRST, keyRef: 'ANTHROPIC_ADMIN_KEYS entry 1', firstSeenAt: new Date(NOW.getTime() - 2 * DAY) },
    ]);
  });
  afterEach(async () => t.destroy());

  const load = (orgId: string, fixture: Omit<OrgFixture, 'listedAt' | 'orgId'>) =>
    loadScenario(t.db, { listedAt: new Date(NOW.getTime() - 60_000), orgId, ...fixture });
  const service = (at = NOW) =>
    createCorrelationService({
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      policy: defaultPolicy(),
      now: () => at,
    });
  const of = (r: CorrelationResult, kind?: string) =>
    r.findings
      .filter((x) => !kind || x.kind === kind)
      .map((x) => `${x.org.name} ${x.kind} ${x.subject.id}`)
      .sort(byText);
  const stored = async (kind: string) =>
    (
      await queryRows<{ k: string }>(
        t.db,
        sql`select o.name || ' ' || f.subject_id || ' ' || f.status as k from findings f join organizations o on o.id = f.org_id
            where f.kind = ${kind} order by 1`,
      )
    ).map((r) => r.k);

  it("one person in two organisations: activity in the second does not make the first's seat look used", async () => {
    // Carol is in both; she works only in the second (its activities name it). Dave is in both and
    // only signs in (an activity that names no organisation): that counts in both.
    for (const org of [FIRST, SECOND]) await load(org.id, { users: [f.user('user_carol'), f.user('user_dave')] });
    await load('', {
      activities: [
        f.activity('user_carol', 2, 'claude_chat_created', 10, { organization_uuid: SECOND.id }),
        f.activity('user_carol', 3, 'claude_chat_created', 10, { organization_uuid: SECOND.id }),
        f.activity('user_carol', 45, 'claude_chat_created', 10, { organization_uuid: FIRST.id }),
        f.activity('user_carol', 40, 'user_signed_in_sso', 10),
        f.activity('user_dave', 1, 'user_signed_in_sso', 10),
      ],
    });
    const r = await service().correlate();
    expect(of(r, 'dormant_seat')).toEqual(['Acme Enterprise dormant_seat user_carol']);
    const seat = r.findings.find((x) => x.kind === 'dormant_seat')!;
    expect(seat.org).toEqual(FIRST);
    // Her first organisation's activity and the org-less sign-in, not the second's chats.
    expect(seat.evidence.lastActivity?.at.slice(0, 10)).toBe(f.dayAgo(40));
    expect(seat.evidence.counts.d90).toBe(2);
    expect(await stored('dormant_seat')).toEqual(['Acme Enterprise user_carol open']);
  });

  it('with no organisation identified, one pass reads every activity row, whatever organisation it names', async () => {
    await t.db.execute(sql`delete from organizations`);
    await load('', { users: [f.user('user_carol')] });
    await load('', {
      activities: [f.activity('user_carol', 2, 'claude_chat_created', 10, { organization_uuid: SECOND.id })],
    });
    const r = await service().correlate();
    expect(r.organizations).toEqual([{ id: '', name: null }]);
    expect(of(r, 'dormant_seat')).toEqual([]);
  });

  it('the same key id in two organisations is two findings, each resolved when its own key is revoked', async () => {
    for (const org of [FIRST, SECOND])
      await load(org.id, {
        users: [f.user('user_owner')],
        activities: [f.activity('user_owner', 1)],
        apiKeys: [f.key('apikey_twin', { createdDaysAgo: 60 })],
      });
    const first = await service().correlate();
    expect(of(first, 'dormant_key')).toEqual([
      'Acme Enterprise dormant_key apikey_twin',
      'Acme Production dormant_key apikey_twin',
    ]);
    expect(first.organizations.map((o) => o.name)).toEqual(['Acme Enterprise', 'Acme Production']);
    expect(new Set(first.findings.map((x) => x.id)).size).toBe(first.findings.length);
    expect(await stored('dormant_key')).toEqual([
      'Acme Enterprise apikey_twin open',
      'Acme Production apikey_twin open',
    ]);

    // Revoked in the second organisation only: only its finding resolves.
    await t.db.execute(sql`update api_keys set status = 'inactive' where org_id = ${SECOND.id} and id = 'apikey_twin'`);
    const next = await service(new Date(NOW.getTime() + DAY)).correlate();
    expect(next.resolved.map((r) => `${r.org.name} ${r.kind} ${r.subject.id} ${r.reason}`)).toEqual([
      'Acme Production dormant_key apikey_twin key_inactive',
    ]);
    expect(of(next, 'dormant_key')).toEqual(['Acme Enterprise dormant_key apikey_twin']);
    expect(await stored('dormant_key')).toEqual([
      'Acme Enterprise apikey_twin open',
      'Acme Production apikey_twin resolved',
    ]);

    // One audit row for the run, with each organisation's counts.
    const [audit] = await queryRows<{ details: unknown }>(
      t.db,
      sql`select details from audit_log where action = 'correlate.completed' order by seq desc limit 1`,
    );
    const details = (typeof audit!.details === 'string' ? JSON.parse(audit!.details) : audit!.details) as {
      organizations: Array<{ name: string; counts: { resolved: number } }>;
    };
    expect(details.organizations.map((o) => [o.name, o.counts.resolved])).toEqual([
      ['Acme Enterprise', 0],
      ['Acme Production', 1],
    ]);
    const runs = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where action = 'correlate.completed'`,
    );
    expect(runs[0]!.n).toBe(2);
  });

  it("a Keep decided in one organisation suppresses that organisation's finding only", async () => {
    for (const org of [FIRST, SECOND])
      await load(org.id, {
        users: [f.user('user_owner')],
        activities: [f.activity('user_owner', 1)],
        apiKeys: [f.key('apikey_twin', { createdDaysAgo: 60 })],
      });
    await service().correlate();
    // The second organisation's review is decided Keep (as decide.ts records it: a certification
    // naming the review item, which carries the organisation).
    const [finding] = await queryRows<{ id: string; fingerprint: string }>(
      t.db,
      sql`select id::text as id, fingerprint from findings where org_id = ${SECOND.id} and kind = 'dormant_key'`,
    );
    const [item] = await queryRows<{ id: string }>(
      t.db,
      sql`insert into review_items (org_id, finding_id, fingerprint, kind, subject_type, subject_id, status, route, due_at, decision)
          values (${SECOND.id}, ${finding!.id}::uuid, ${finding!.fingerprint}, 'dormant_key', 'api_key', 'apikey_twin',
                  'decided', 'dm', ${NOW.toISOString()}::timestamptz, 'keep')
          returning id::text as id`,
    );
    await t.db
      .execute(sql`insert into certifications (fingerprint, subject_type, subject_id, review_item_id, reason, valid_until)
      values (${finding!.fingerprint}, 'api_key', 'apikey_twin', ${item!.id}::uuid, 'quarterly batch job',
              ${new Date(NOW.getTime() + 30 * DAY).toISOString()}::timestamptz)`);

    const next = await service(new Date(NOW.getTime() + DAY)).correlate();
    expect(next.resolved.map((r) => `${r.org.name} ${r.kind} ${r.reason}`)).toEqual([
      'Acme Production dormant_key certified',
    ]);
    expect(of(next, 'dormant_key')).toEqual(['Acme Enterprise dormant_key apikey_twin']);
    expect(next.suppressed.map((x) => `${x.org.name} ${x.by}`)).toEqual(['Acme Production certification']);
  });

  it('an org: target runs only that organisation, and leaves the other one as it was', async () => {
    for (const org of [FIRST, SECOND])
      await load(org.id, {
        users: [f.user('user_owner')],
        activities: [f.activity('user_owner', 1)],
        apiKeys: [f.key('apikey_twin', { createdDaysAgo: 60 })],
      });
    await service().correlate();
    await t.db.execute(sql`update api_keys set status = 'inactive' where id = 'apikey_twin'`);
    const only = await service(new Date(NOW.getTime() + DAY)).correlate({
      target: { kind: 'org', org: 'acme production' },
    });
    expect(only.organizations).toEqual([SECOND]);
    expect(only.resolved.map((r) => `${r.org.name} ${r.subject.id}`)).toEqual(['Acme Production apikey_twin']);
    expect(await stored('dormant_key')).toEqual([
      'Acme Enterprise apikey_twin open',
      'Acme Production apikey_twin resolved',
    ]);
    await expect(service().correlate({ target: { kind: 'org', org: 'nobody' } })).rejects.toThrow(
      'No organisation has the id or name "nobody".',
    );
  });

  it('an unknown actor in activity that names no organisation is one finding, in the first organisation', async () => {
    for (const org of [FIRST, SECOND]) await load(org.id, { users: [f.user('user_owner')] });
    await load('', { activities: [f.activity('user_owner', 1), f.activity('user_ghost', 2)] });
    const r = await service().correlate();
    expect(of(r, 'unknown_actor')).toEqual(['Acme Enterprise unknown_actor user_ghost']);
    expect(await stored('unknown_actor')).toEqual(['Acme Enterprise user_ghost open']);

    // The ghost turns out to be a member of the second organisation: known now.
    await load(SECOND.id, { users: [f.user('user_ghost')] });
    const next = await service(new Date(NOW.getTime() + DAY)).correlate();
    expect(next.resolved.map((x) => `${x.org.name} ${x.subject.id} ${x.reason}`)).toEqual([
      'Acme Enterprise user_ghost actor_now_known',
    ]);
  });

  it("an unknown actor in one organisation's activity and in org-less activity is one finding, in that organisation", async () => {
    for (const org of [FIRST, SECOND]) await load(org.id, { users: [f.user('user_owner')] });
    await load('', {
      activities: [
        f.activity('user_ghost', 1, 'claude_chat_created', 10, { organization_uuid: SECOND.id }),
        f.activity('user_ghost', 2, 'user_signed_in_sso', 10),
        // Another ghost only in org-less activity: still reported, in the first organisation.
        f.activity('user_shade', 3, 'user_signed_in_sso', 10),
      ],
    });
    const r = await service().correlate();
    expect(of(r, 'unknown_actor')).toEqual([
      'Acme Enterprise unknown_actor user_shade',
      'Acme Production unknown_actor user_ghost',
    ]);
    // Its evidence has both: the second organisation's chat and the org-less sign-in.
    const ghost = r.findings.find((x) => x.subject.id === 'user_ghost')!;
    expect(ghost.evidence.lastActivity?.at.slice(0, 10)).toBe(f.dayAgo(1));
    expect(ghost.evidence.counts.d7).toBe(2);
  });
});
