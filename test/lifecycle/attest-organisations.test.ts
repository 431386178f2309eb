import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { queryRows } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import { discoverNewAccess } from '../../src/review/attest/discover.js';
import type { AttestDeps } from '../../src/review/attest/deps.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * Issue 17: an attestation is about access in one organisation. One account (the same
 * `user_…` id) holding an admin role in two organisations is two accesses, each asked for
 * once, and a role granted in one organisation is attested there only.
 */
describe('attestations per organisation', () => {
  let t: TestDatabase;
  const NOW = new Date('2026-11-02T09:00:00Z');
  const BASELINE = '2026-10-01T00:00:00Z';
  const deps = (): AttestDeps => ({
    db: t.db,
    logger: createLogger({ level: 'silent' }),
    policy: parsePolicy('lifecycle:\n  attest_existing_per_day: 10\n', 'test'),
    admins: [],
    slack: { lookupByEmail: async () => null } as unknown as AttestDeps['slack'],
    notifier: {} as AttestDeps['notifier'],
    now: () => NOW,
  });

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.execute(
      sql`insert into lifecycle_notices (key, sent_at, at) values ('baseline', ${BASELINE}::timestamptz, ${BASELINE}::timestamptz)`,
    );
    // Erin is an admin of both organisations since before the baseline, under one account id.
    for (const org of ['org-a', 'org-b'])
      await t.db.execute(sql`insert into org_users (org_id, id, email, role, added_at, first_seen_at, last_seen_at)
        values (${org}, 'user_01Erin', 'erin@example.com', 'admin', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', ${NOW.toISOString()})`);
    // Bob is a member of both; after the baseline he is made admin in B only (the grant names B).
    for (const org of ['org-a', 'org-b'])
      await t.db.execute(sql`insert into org_users (org_id, id, email, role, added_at, first_seen_at, last_seen_at)
        values (${org}, 'user_01Bob', 'bob@example.com', ${org === 'org-b' ? 'admin' : 'user'}, '2025-01-01T00:00:00Z',
                '2025-01-01T00:00:00Z', ${NOW.toISOString()})`);
    await t.db.execute(sql`insert into activity_events (id, org_id, created_at, type, actor_type, actor_id, raw) values
      ('activity_grant_b', 'org-b', '2026-10-20T10:00:00Z', 'claude_user_role_updated', 'user_actor', 'user_01Erin',
       '{"user_id":"user_01Bob","previous_role":"user","current_role":"admin"}'::jsonb)`);
  });
  afterAll(async () => t?.destroy());

  it('asks once per organisation for the same account, and for a grant only where it was made', async () => {
    expect(await discoverNewAccess(deps())).toEqual({ requested: 3 });
    const rows = await queryRows<{
      org_id: string;
      subject_id: string;
      access_kind: string;
      origin: string;
      asked: string;
    }>(
      t.db,
      sql`select org_id, subject_id, access_kind, origin, coalesce(creator_user_id, '') as asked
          from attestations order by org_id, subject_id`,
    );
    expect(rows).toEqual([
      {
        org_id: 'org-a',
        subject_id: 'user_01Erin',
        access_kind: 'org_admin',
        origin: 'existing',
        asked: 'user_01Erin',
      },
      { org_id: 'org-b', subject_id: 'user_01Bob', access_kind: 'org_admin', origin: 'new', asked: 'user_01Erin' },
      {
        org_id: 'org-b',
        subject_id: 'user_01Erin',
        access_kind: 'org_admin',
        origin: 'existing',
        asked: 'user_01Erin',
      },
    ]);
    // Each request's audit row names its organisation.
    const audit = await queryRows<{ org_id: string | null; n: number }>(
      t.db,
      sql`select org_id, count(*)::int as n from audit_log where action = 'attestation.requested' group by org_id order by org_id`,
    );
    expect(audit).toEqual([
      { org_id: 'org-a', n: 1 },
      { org_id: 'org-b', n: 2 },
    ]);
    // Never twice.
    expect(await discoverNewAccess(deps())).toEqual({ requested: 0 });
  });
});
