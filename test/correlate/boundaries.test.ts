import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/config/policy.js';
import { createLogger } from '../../src/log.js';
import { createCorrelationService } from '../../src/correlate/service.js';
import { loadScenario } from '../support/load-scenario.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { fixtures } from './fixtures.js';

/**
 * The loader prefilters in SQL with the same day arithmetic the rules apply; these
 * boundaries go through both, at both ends of the UTC day.
 */
describe.each([
  ['just after midnight UTC', new Date('2026-06-15T00:05:00.000Z')],
  ['just before midnight UTC', new Date('2026-06-15T23:55:00.000Z')],
])('boundaries through the database, %s', (_label, now) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(async () => t.destroy());

  it('exactly N days fires and N−1 does not, for seats, keys, admins and invites', async () => {
    const f = fixtures(now);
    await loadScenario(t.db, {
      listedAt: new Date(now.getTime() - 60_000),
      users: [
        f.user('user_owner', { role: 'developer' }),
        f.user('user_seat30'),
        f.user('user_seat29'),
        f.user('user_admin60', { role: 'admin' }),
        f.user('user_admin59', { role: 'owner' }),
        f.user('user_never30', { addedDaysAgo: 30 }),
        f.user('user_never29', { addedDaysAgo: 29 }),
        // Removed 100 days ago and re-added: five days a member, then thirty.
        f.user('user_readded5', { addedDaysAgo: 5, firstSeenDaysAgo: 200 }),
        f.user('user_readded30', { addedDaysAgo: 30, firstSeenDaysAgo: 200 }),
      ],
      apiKeys: [
        f.key('apikey_used30'),
        f.key('apikey_used29'),
        f.key('apikey_never30', { createdDaysAgo: 30 }),
        f.key('apikey_never29', { createdDaysAgo: 29 }),
        f.key('apikey_yesterday', { createdDaysAgo: 1 }),
        f.key('apikey_inactive', { createdDaysAgo: 100, status: 'inactive' }),
      ],
      invites: [f.invite('invite_14', 14), f.invite('invite_13', 13)],
      activities: [
        f.activity('user_owner', 0, 'claude_chat_created', 0),
        f.activity('user_seat30', 30, 'claude_chat_created', 23),
        f.activity('user_seat29', 29, 'claude_chat_created', 0),
        f.activity('user_admin60', 1),
        f.activity('user_admin60', 60, 'org_user_invite_sent', 23),
        f.activity('user_admin59', 1),
        f.activity('user_admin59', 59, 'org_user_invite_sent', 0),
        f.activity('user_readded5', 120),
        f.activity('user_readded30', 120),
      ],
      keyUsage: [f.usage('apikey_used30', 30), f.usage('apikey_used29', 29)],
    });

    const result = await createCorrelationService({
      db: t.db,
      logger: createLogger({ level: 'silent' }),
      policy: defaultPolicy(),
      now: () => now,
    }).correlate({
      dryRun: true,
    });
    expect(result.findings.map((x) => `${x.kind} ${x.subject.id}`).sort()).toEqual(
      [
        'dormant_seat user_seat30',
        'dormant_seat user_never30',
        'dormant_seat user_readded30',
        'dormant_key apikey_used30',
        'dormant_key apikey_never30',
        'stale_admin user_admin60',
        'stale_invite invite_14',
      ].sort(),
    );
  });
});
