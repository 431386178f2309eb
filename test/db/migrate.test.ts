import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { appliedCount, expectedMigrations, migrateDatabase, migrationsApplied } from '../../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.destroy());

  it('applies every shipped migration and reports ready', async () => {
    expect(await appliedCount(t)).toBe(expectedMigrations());
    expect(await migrationsApplied(t)).toBe(true);
  });

  it('is idempotent: a second run applies nothing', async () => {
    const r = await migrateDatabase(t);
    expect(r.applied).toBe(0);
  });

  it('creates the whole data model', async () => {
    const rows = await queryRows<{ table_name: string }>(
      t.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      [
        'activity_catchup_windows',
        'activity_events',
        'api_keys',
        'assist_calls_daily',
        'assist_readings',
        'attestations',
        'audit_log',
        'campaign_items',
        'campaigns',
        'certifications',
        'claims',
        'claude_code_daily',
        'exemptions',
        'findings',
        'invites',
        'job_runs',
        'key_usage_daily',
        'lifecycle_notices',
        'org_users',
        'organizations',
        'outbox_actions',
        'owner_overrides',
        'policy_versions',
        'principal_activity_daily',
        'principal_activity_recent',
        'principal_activity_summary',
        'privilege_grants',
        'removal_holds',
        'review_items',
        'seat_usage_daily',
        'service_accounts',
        'slack_departures',
        'slack_dm_channels',
        'slack_user_cache',
        'sync_checkpoints',
        'workspace_members',
        'workspaces',
      ].sort(),
    );
  });
});
