import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy, type LoadedPolicy } from '../../src/config/policy.js';
import { queryRows } from '../../src/db/client.js';
import { certifications, exemptions, findings, reviewItems, slackUserCache } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/log.js';
import { createCorrelationService, type CorrelationDeps } from '../../src/correlate/service.js';
import type { SlackUserLookup } from '../../src/correlate/slack-identity.js';
import { loadScenario, type OrgFixture } from '../support/load-scenario.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { byText } from '../helpers/order.js';
import { fixtures } from './fixtures.js';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;
const f = fixtures(NOW);
const later = (days: number) => new Date(NOW.getTime() + days * DAY);

describe('correlation service', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(async () => t.destroy());

  const load = (fixture: Omit<OrgFixture, 'listedAt'>) =>
    loadScenario(t.db, { listedAt: new Date(NOW.getTime() - 60_000), ...fixture });
  const service = (over: Partial<CorrelationDeps> & { at?: Date; policy?: LoadedPolicy } = {}) =>
    createCorrelationService({
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      policy: defaultPolicy(),
      now: () => over.at ?? NOW,
      ...over,
    });
  const count = async (table: string, where = sql`true`) =>
    (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`))[0]!.n;
  const ids = (r: { findings: Array<{ kind: string; subject: { id: string } }> }) =>
    r.findings.map((x) => `${x.kind} ${x.subject.id}`).sort(byText);

  it('exemptions suppress until they expire; suppressed findings are not stored; an exempted open finding is resolved', async () => {
    await load({
      users: [f.user('user_owner')],
      activities: [f.activity('user_owner', 1)],
      apiKeys: [f.key('apikey_exempt', { createdDaysAgo: 45 }), f.key('apikey_expired', { createdDaysAgo: 45 })],
    });
    const policy = parsePolicy(
      `exemptions:
  - { api_key: apikey_exempt, finding: dormant_key, reason: quarterly batch job, expires: "${later(1).toISOString()}" }
  - { api_key: apikey_expired, reason: was a migration, expires: "${NOW.toISOString()}" }
`,
      'p.yaml',
    );
    const first = await service({ policy }).correlate();
    expect(ids(first)).toEqual(['dormant_key apikey_expired']);
    expect(first.suppressed).toEqual([
      expect.objectContaining({
        fingerprint: 'dormant_key:api_key:apikey_exempt',
        by: 'exemption',
        reason: 'quarterly batch job',
        until: later(1).toISOString(),
      }),
    ]);
    expect(await count('findings', sql`subject_id = 'apikey_exempt'`)).toBe(0);

    await t.db.insert(exemptions).values({
      subjectType: 'api_key',
      subjectId: 'apikey_expired',
      reason: 'owner on leave',
      expiresAt: later(10),
      source: 'U0ADMIN',
    });
    const second = await service({ policy }).correlate();
    expect(second.findings).toEqual([]);
    expect(second.resolved).toEqual([
      expect.objectContaining({ fingerprint: 'dormant_key:api_key:apikey_expired', reason: 'exempted' }),
    ]);

    const afterExpiry = await service({ policy, at: later(11) }).correlate();
    expect(afterExpiry.findings.map((x) => [x.subject.id, x.state]).sort(byText)).toEqual([
      ['apikey_exempt', 'new'],
      ['apikey_expired', 'reopened'],
    ]);
  });

  it('a Keep certification suppresses until its date, then review reopens', async () => {
    await load({ users: [f.user('user_quiet')], activities: [f.activity('user_quiet', 40)] });
    const first = await service().correlate();
    const fp = 'dormant_seat:user:user_quiet';
    expect(first.opened).toEqual([fp]);
    await t.db.insert(certifications).values({
      fingerprint: fp,
      subjectType: 'user',
      subjectId: 'user_quiet',
      reason: 'on sabbatical',
      validUntil: later(30),
    });

    const kept = await service({ at: later(1) }).correlate();
    expect(kept.resolved).toEqual([expect.objectContaining({ fingerprint: fp, reason: 'certified' })]);
    expect(kept.suppressed).toEqual([
      expect.objectContaining({ fingerprint: fp, by: 'certification', reason: 'on sabbatical' }),
    ]);

    const lapsed = await service({ at: later(30) }).correlate();
    expect(lapsed.findings).toEqual([
      expect.objectContaining({ fingerprint: fp, state: 'reopened', firstDetectedAt: later(30).toISOString() }),
    ]);
    expect(await count('findings')).toBe(1);
  });

  it('says which findings already have a review open, so no second one is opened', async () => {
    await load({
      users: [f.user('user_a'), f.user('user_b')],
      activities: [f.activity('user_a', 40), f.activity('user_b', 50)],
    });
    const first = await service().correlate();
    const a = first.findings.find((x) => x.subject.id === 'user_a')!;
    await t.db.insert(reviewItems).values({
      findingId: a.id!,
      fingerprint: a.fingerprint,
      kind: a.kind,
      subjectType: 'user',
      subjectId: 'user_a',
      route: 'dm',
      dueAt: later(7),
    });
    const again = await service().correlate();
    expect(again.findings.map((x) => [x.subject.id, x.hasOpenReview])).toEqual([
      ['user_a', true],
      ['user_b', false],
    ]);
  });

  it('a dry run computes the same answer and writes nothing at all', async () => {
    await load({
      users: [f.user('user_a'), f.user('user_b')],
      activities: [f.activity('user_a', 40), f.activity('user_b', 2)],
    });
    await service().correlate();
    await t.db.execute(
      sql`update org_users set removed_at = ${later(0).toISOString()}::timestamptz where id = 'user_a'`,
    );
    await t.db.insert(findings).values({
      fingerprint: 'dormant_seat:user:user_b',
      kind: 'dormant_seat',
      subjectType: 'user',
      subjectId: 'user_b',
      evidence: {},
    });
    const before = await queryRows(
      t.db,
      sql`select fingerprint, status, resolution, last_detected_at::text from findings order by fingerprint`,
    );
    const audits = await count('audit_log');
    const slack: SlackUserLookup = { lookupByEmail: async () => 'U0NEVER' };

    const dry = await service({ slack, at: later(1) }).correlate({ dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.resolved.map((r) => [r.fingerprint, r.reason]).sort(byText)).toEqual([
      ['dormant_seat:user:user_a', 'principal_removed'],
      ['dormant_seat:user:user_b', 'no_longer_dormant'],
    ]);
    expect(
      await queryRows(
        t.db,
        sql`select fingerprint, status, resolution, last_detected_at::text from findings order by fingerprint`,
      ),
    ).toEqual(before);
    expect(await count('audit_log')).toBe(audits);
    expect(await count('slack_user_cache')).toBe(0);

    const real = await service({ at: later(1) }).correlate();
    expect(real.resolved.map((r) => r.fingerprint).sort(byText)).toEqual(
      dry.resolved.map((r) => r.fingerprint).sort(byText),
    );
  });

  it('a targeted run covers only the target: it neither produces nor resolves anything else', async () => {
    await load({
      users: [f.user('user_a'), f.user('user_b'), f.user('user_c')],
      apiKeys: [
        f.key('apikey_a', { createdBy: 'user_a', createdDaysAgo: 45 }),
        f.key('apikey_c', { createdBy: 'user_c', createdDaysAgo: 45 }),
      ],
      activities: [f.activity('user_a', 40), f.activity('user_b', 40), f.activity('user_c', 1)],
    });
    await service().correlate();
    await t.db
      .execute(sql`insert into principal_activity_daily (principal_id, day, principal_type, events, first_at, last_at, last_type)
                           values ('user_b', ${f.dayAgo(0)}, 'user_actor', 1, now(), now(), 'claude_chat_created')`);
    const forA = await service().correlate({ target: { kind: 'user', userId: 'user_a' } });
    expect(ids(forA)).toEqual(['dormant_key apikey_a', 'dormant_seat user_a']);
    expect(forA.resolved).toEqual([]);
    expect(forA.target).toBe('user:user_a');
    expect(ids(await service().correlate({ dryRun: true, target: { kind: 'key', keyId: 'apikey_c' } }))).toEqual([
      'dormant_key apikey_c',
    ]);
  });

  it('never reopens an anomaly someone has handled; a new spike is a new finding', async () => {
    const usage = [
      ...Array.from({ length: 20 }, (_, i) => f.usage('apikey_s', i + 2, 100)),
      f.usage('apikey_s', 1, 4000),
    ];
    await load({
      users: [f.user('user_owner')],
      activities: [f.activity('user_owner', 1)],
      apiKeys: [f.key('apikey_s', { principalUser: 'user_owner' })],
      keyUsage: usage,
    });
    const first = await service().correlate();
    expect(first.opened).toEqual([`usage_spike:api_key:apikey_s:${f.dayAgo(1)}`]);
    await t.db.execute(sql`update findings set status = 'resolved', resolution = 'acknowledged', resolved_at = now()`);

    const again = await service().correlate();
    expect(again.findings).toEqual([]);
    expect(again.opened).toEqual([]);
    expect(await count('findings', sql`status = 'open'`)).toBe(0);

    // Four quiet days later, another burst: a new episode, a new finding.
    const burstDay = later(4).toISOString().slice(0, 10);
    await t.db.execute(
      sql`insert into key_usage_daily (api_key_id, day, requests) values ('apikey_s', ${burstDay}, 6000)`,
    );
    const next = await service({ at: later(5) }).correlate();
    expect(next.opened).toEqual([`usage_spike:api_key:apikey_s:${burstDay}`]);
  });

  it('fills owners\u2019 Slack ids: override first, then the cache, then a live lookup (outside dry runs)', async () => {
    await load({
      users: [f.user('user_cached'), f.user('user_live')],
      activities: [f.activity('user_cached', 40), f.activity('user_live', 40)],
      apiKeys: [f.key('apikey_team', { createdBy: null, createdDaysAgo: 100 })],
      keyUsage: [f.usage('apikey_team', 40)],
    });
    await t.db.insert(slackUserCache).values({
      email: 'user_cached@acme.test',
      slackUserId: 'U0CACHED',
      lookedUpAt: new Date(NOW.getTime() - 3_600_000),
    });
    const policy = parsePolicy(
      'owners:\n  - { api_key: apikey_team, email: team@acme.test, slack: U0TEAM }\n',
      'p.yaml',
    );
    const asked: string[] = [];
    const slack: SlackUserLookup = {
      lookupByEmail: async (email) => (asked.push(email), email === 'user_live@acme.test' ? 'U0LIVE' : null),
    };

    const dry = await service({ policy, slack }).correlate({ dryRun: true });
    expect(asked).toEqual([]);
    expect(dry.findings.map((x) => [x.subject.id, x.owner.via, x.owner.slackId])).toEqual([
      ['user_cached', 'holder', 'U0CACHED'],
      ['user_live', 'holder', null],
      ['apikey_team', 'override', 'U0TEAM'],
    ]);
    const real = await service({ policy, slack }).correlate();
    expect(asked).toEqual(['user_live@acme.test']);
    expect(real.findings.find((x) => x.subject.id === 'user_live')?.owner.slackId).toBe('U0LIVE');
  });
});
