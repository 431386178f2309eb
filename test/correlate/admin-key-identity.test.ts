import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/config/policy.js';
import { createCorrelationService } from '../../src/correlate/service.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { loadScenario } from '../support/load-scenario.js';
import { fixtures } from './fixtures.js';

/**
 * Issue 13 item 5: an Admin API key is `admin_api_key_X` when it acts as `admin_api_key_actor`
 * and `apikey_X` (same suffix) as an `api_actor` (reading the feed, and whatever else the feed
 * records of it). The directory lists neither. Both are one credential: never an unknown actor.
 */
describe('an admin key under its two names', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(async () => t.destroy());

  it('is one credential: no unknown_actor for apikey_X once admin_api_key_X is seen; a key with no admin twin still is', async () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const f = fixtures(now);
    const act = (id: string, daysAgo: number, type: string, actor: { type: string } & Record<string, unknown>) => ({
      id,
      created_at: f.ago(daysAgo),
      type,
      actor,
    });
    await loadScenario(t.db, {
      listedAt: new Date(now.getTime() - 3_600_000),
      users: [f.user('user_owner', { role: 'admin' })],
      activities: [
        // The integration's admin key: changes as admin_api_key_actor, reads as api_actor.
        act('a1', 2, 'platform_api_key_updated', {
          type: 'admin_api_key_actor',
          admin_api_key_id: 'admin_api_key_01Steward',
        }),
        act('a2', 1, 'compliance_api_accessed', { type: 'api_actor', api_key_id: 'apikey_01Steward' }),
        act('a3', 1, 'org_users_listed', { type: 'api_actor', api_key_id: 'apikey_01Steward' }),
        // A key nobody lists, with no admin counterpart: an unknown actor.
        act('a4', 1, 'org_users_listed', { type: 'api_actor', api_key_id: 'apikey_01Stranger' }),
      ],
    });
    const result = await createCorrelationService({
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      policy: defaultPolicy(),
      now: () => now,
    }).correlate({ dryRun: true });
    expect(result.findings.filter((x) => x.kind === 'unknown_actor').map((x) => x.subject.id)).toEqual([
      'apikey_01Stranger',
    ]);
  });
});
