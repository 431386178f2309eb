import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkAdminApi } from '../../src/anthropic/sdk-admin-api.js';
import { GENESIS_HASH, rowHash, type ChainedFields } from '../../src/audit/hash.js';
import { verifyAuditChain } from '../../src/audit/verify.js';
import { openDatabase, queryRows, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { createLogger } from '../../src/log.js';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { checkOrganizations, keyFingerprint } from '../../src/sync/organizations.js';
import { withDatabase } from '../helpers/db.js';
import { migrationsBefore } from '../helpers/migrations.js';

/**
 * Issue 17, data: a database built by the migrations before it, holding a single organisation's
 * directory, usage, a finding, its review, an action and a chain of audit rows, is migrated
 * forward; nothing is lost, the chain still verifies (the old rows' hashes are untouched), and
 * at the first check every row adopts the organisation `/v1/organizations/me` names, in one
 * audited transaction after which the chain still verifies.
 */

const FIRST_MIGRATION_OF_ISSUE_17 = '0018_organizations';
const AT = new Date('2026-11-01T09:00:00.000Z');

let database: Database;
let dropDatabase: () => Promise<void> = async () => {};
let sim: AnthropicSim;

async function emptyDatabase(): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return openDatabase({});
  const name = `steward_up_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  dropDatabase = async () => {
    const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists "${name}" with (force)`);
    await a.end();
  };
  return openDatabase({ url: withDatabase(adminUrl, name), max: 4 });
}

const oldAudit: ChainedFields[] = [];
const hashes: string[] = [];

async function seedOldData(db: Database['db']): Promise<void> {
  const t = AT.toISOString();
  await db.execute(sql`insert into org_users (id, email, name, role, first_seen_at, last_seen_at)
    values ('user_01Ann', 'ann@acme.test', 'Ann', 'developer', ${t}, ${t}), ('user_01Bob', 'bob@acme.test', 'Bob', 'admin', ${t}, ${t})`);
  await db.execute(
    sql`insert into workspaces (id, name, first_seen_at, last_seen_at) values ('wrkspc_01Prod', 'Prod', ${t}, ${t})`,
  );
  await db.execute(sql`insert into workspace_members (workspace_id, user_id, workspace_role, first_seen_at, last_seen_at)
    values ('wrkspc_01Prod', 'user_01Ann', 'workspace_developer', ${t}, ${t})`);
  await db.execute(sql`insert into api_keys (id, name, status, principal_type, principal_id, first_seen_at, last_seen_at)
    values ('apikey_01Ci', 'ci', 'active', 'user', 'user_01Ann', ${t}, ${t})`);
  await db.execute(sql`insert into invites (id, email, role, status, first_seen_at, last_seen_at)
    values ('invite_01Cy', 'cy@acme.test', 'user', 'pending', ${t}, ${t})`);
  await db.execute(
    sql`insert into key_usage_daily (api_key_id, day, requests) values ('apikey_01Ci', '2026-10-30', 12)`,
  );
  // The activity feed's rows as they were: an event (with the privilege grant a trigger takes
  // from it) and its roll-up, which the summary triggers of the time summarised by id alone.
  await db.execute(sql`insert into activity_events (id, created_at, type, actor_type, actor_id, raw)
    values ('activity_01Old', '2026-10-29T10:00:00Z', 'claude_user_role_updated', 'user_actor', 'user_01Bob',
            '{"user_id":"user_01Ann","previous_role":"user","current_role":"developer"}'::jsonb)`);
  await db.execute(sql`insert into principal_activity_daily (principal_id, day, principal_type, events, admin_events, first_at, last_at, last_type)
    values ('user_01Bob', '2026-10-29', 'user', 1, 1, '2026-10-29T10:00:00Z', '2026-10-29T10:00:00Z', 'claude_user_role_updated')`);
  await db.execute(sql`insert into findings (id, fingerprint, kind, subject_type, subject_id, evidence)
    values ('00000000-0000-4000-8000-000000000001', 'dormant_key:api_key:apikey_01Ci', 'dormant_key', 'api_key', 'apikey_01Ci', '{}'::jsonb)`);
  await db.execute(sql`insert into review_items (id, finding_id, fingerprint, kind, subject_type, subject_id, status, route, due_at)
    values ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'dormant_key:api_key:apikey_01Ci',
            'dormant_key', 'api_key', 'apikey_01Ci', 'open', 'dm', ${t})`);
  await db.execute(sql`insert into outbox_actions (review_item_id, kind, target_type, target_id, idempotency_key, status)
    values ('00000000-0000-4000-8000-000000000002', 'deactivate_api_key', 'api_key', 'apikey_01Ci', 'steward:x:deactivate_api_key:apikey_01Ci', 'succeeded')`);
  // A campaign's item, unique per access then.
  await db.execute(sql`insert into campaigns (id, number, scope, started_via, started_at, due_at)
    values ('00000000-0000-4000-8000-000000000003', 1, 'keys', 'command', ${t}, ${t})`);
  await db.execute(sql`insert into campaign_items (campaign_id, access_kind, subject_type, subject_id, review_item_id, via)
    values ('00000000-0000-4000-8000-000000000003', 'api_key', 'api_key', 'apikey_01Ci', '00000000-0000-4000-8000-000000000002', 'joined')`);
  // A claim, an exemption and an owner override, keyed by subject alone then.
  await db.execute(sql`insert into claims (subject_type, subject_id, claimed_by_slack_id, review_item_id, claimed_at)
    values ('api_key', 'apikey_01Ci', 'U0ANN', '00000000-0000-4000-8000-000000000002', ${t})`);
  await db.execute(sql`insert into exemptions (subject_type, subject_id, reason, expires_at, source)
    values ('api_key', 'apikey_01Ci', 'quarterly batch', '2027-06-01T00:00:00Z', 'U0ADMIN')`);
  await db.execute(sql`insert into owner_overrides (subject_type, subject_id, owner_email, source)
    values ('api_key', 'apikey_01Ci', 'ann@acme.test', 'U0ADMIN')`);
  // Audit rows as the code before issue 17 wrote them: its hash is over the row without org_id.
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= 5; seq++) {
    const row: ChainedFields = {
      seq,
      at: new Date(AT.getTime() + seq * 1000),
      actorType: 'system',
      actorSlackId: null,
      actorAnthropicId: null,
      actorLabel: 'sync',
      action: seq === 5 ? 'review.decided' : 'sync.completed',
      subjectType: seq === 5 ? 'api_key' : 'sync_source',
      subjectId: seq === 5 ? 'apikey_01Ci' : 'directory',
      reviewItemId: null,
      outcome: 'succeeded',
      evidence: null,
      details: { seq, note: 'before issue 17' },
      policyVersion: 'v1',
      prevHash: prev,
    };
    const hash = rowHash(row);
    await db.execute(sql`insert into audit_log (seq, at, actor_type, actor_label, action, subject_type, subject_id, outcome, details, policy_version, prev_hash, hash)
      values (${seq}, ${row.at.toISOString()}, 'system', 'sync', ${row.action}, ${row.subjectType}, ${row.subjectId}, 'succeeded',
              ${JSON.stringify(row.details)}::jsonb, 'v1', ${prev}, ${hash})`);
    oldAudit.push(row);
    hashes.push(hash);
    prev = hash;
  }
}

const TABLES = [
  'org_users',
  'workspaces',
  'workspace_members',
  'api_keys',
  'invites',
  'key_usage_daily',
  'findings',
  'review_items',
  'outbox_actions',
  'claims',
  'campaign_items',
];
/** Their '' means every organisation (a policy-level choice), so it is never adopted. */
const EVERY_ORG_TABLES = ['exemptions', 'owner_overrides'];

async function countsBy(db: Database['db'], column: string): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const t of [...TABLES, ...EVERY_ORG_TABLES]) {
    const rows = await queryRows<{ k: string; n: number }>(
      db,
      sql`select ${sql.raw(column)} as k, count(*)::int as n from ${sql.raw(t)} group by 1`,
    );
    out[t] = Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
  }
  return out;
}

describe('upgrading a single-organisation database', () => {
  beforeAll(async () => {
    database = await emptyDatabase();
    const folder = migrationsBefore(FIRST_MIGRATION_OF_ISSUE_17);
    if (database.driver === 'pglite')
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
    else await migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder: folder });
    await seedOldData(database.db);
    sim = await startAnthropicSim({ now: () => AT.getTime() + 86_400_000, orgName: 'Acme' });
  });
  afterAll(async () => {
    await sim?.close();
    await database?.close();
    await dropDatabase();
  });

  it('migrates forward losing nothing, and the chain of the old rows still verifies', async () => {
    const before = await countsBy(database.db, `'rows'`);
    const { applied } = await migrateDatabase(database);
    expect(applied).toBeGreaterThanOrEqual(3);
    expect(await countsBy(database.db, `'rows'`)).toEqual(before);
    // Every row waits for its organisation: the placeholder ''.
    const byOrg = await countsBy(database.db, 'org_id');
    for (const t of TABLES) expect(Object.keys(byOrg[t]!)).toEqual(['']);

    const stored = await queryRows<{ hash: string; org_id: string | null }>(
      database.db,
      sql`select hash, org_id from audit_log order by seq`,
    );
    expect(stored.map((r) => r.hash)).toEqual(hashes);
    expect(stored.every((r) => r.org_id === null)).toBe(true);
    const verified = await verifyAuditChain(database.db);
    expect(verified).toMatchObject({ ok: true, rows: 5 });

    // The feed's rows named no organisation then: they are '' (they count in every organisation),
    // and the summaries, rebuilt per organisation from the roll-ups, say what they said.
    for (const t of ['activity_events', 'principal_activity_daily', 'privilege_grants'])
      expect(
        await queryRows(database.db, sql`select org_id, count(*)::int as n from ${sql.raw(t)} group by 1`),
      ).toEqual([{ org_id: '', n: 1 }]);
    const summaries = await queryRows(
      database.db,
      sql`select org_id, principal_id, last_event_day::text as day, last_admin_day::text as admin,
                 last_usage_day::text as usage, in_directory
          from principal_activity_summary order by principal_id`,
    );
    expect(summaries).toEqual([
      { org_id: '', principal_id: 'apikey_01Ci', day: null, admin: null, usage: '2026-10-30', in_directory: true },
      {
        org_id: '',
        principal_id: 'user_01Bob',
        day: '2026-10-29',
        admin: '2026-10-29',
        usage: null,
        in_directory: true,
      },
    ]);
    const recent = await queryRows(
      database.db,
      sql`select org_id, principal_id, events, usage from principal_activity_recent order by principal_id`,
    );
    expect(recent.map((r) => [r.org_id, r.principal_id])).toEqual([
      ['', 'apikey_01Ci'],
      ['', 'user_01Bob'],
    ]);
  });

  it('at the first check every row adopts the organisation /v1/organizations/me names, audited, and the chain verifies', async () => {
    const admin = createSdkAdminApi({ apiKey: sim.config.adminKey, baseUrl: sim.url, maxRetries: 0 });
    const checks = await checkOrganizations({
      db: database.db,
      keys: [{ ref: 'ANTHROPIC_ADMIN_KEY', fingerprint: keyFingerprint(sim.config.adminKey), admin }],
      logger: createLogger({ level: 'silent' }),
      now: () => new Date(AT.getTime() + 86_400_000),
    });
    const org = sim.state.org.uuid;
    expect(checks).toEqual([
      { ref: 'ANTHROPIC_ADMIN_KEY', orgId: org, name: 'Acme', state: 'ok', detail: null, legacy: true },
    ]);
    const byOrg = await countsBy(database.db, 'org_id');
    for (const t of TABLES) expect(Object.keys(byOrg[t]!)).toEqual([org]);
    for (const t of EVERY_ORG_TABLES) expect(byOrg[t]).toEqual({ '': 1 });
    expect(byOrg['org_users']).toEqual({ [org]: 2 });

    const audit = await queryRows<{ seq: number; action: string; org_id: string | null; details: unknown }>(
      database.db,
      sql`select seq, action, org_id, details from audit_log order by seq`,
    );
    expect(audit.slice(0, 5).every((a) => a.org_id === null)).toBe(true);
    expect(audit.slice(5).map((a) => [a.action, a.org_id])).toEqual([['organization.adopted', org]]);
    const details = (typeof audit[5]!.details === 'string' ? JSON.parse(audit[5]!.details) : audit[5]!.details) as {
      rows: Record<string, number>;
    };
    expect(details.rows).toMatchObject({
      org_users: 2,
      api_keys: 1,
      findings: 1,
      review_items: 1,
      outbox_actions: 1,
      claims: 1,
      campaign_items: 1,
    });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 6 });

    // A second check adopts nothing more and writes no audit row.
    await checkOrganizations({
      db: database.db,
      keys: [{ ref: 'ANTHROPIC_ADMIN_KEY', fingerprint: keyFingerprint(sim.config.adminKey), admin }],
      logger: createLogger({ level: 'silent' }),
      now: () => new Date(AT.getTime() + 2 * 86_400_000),
    });
    const [n] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_log`);
    expect(Number(n!.n)).toBe(6);
  });
});
