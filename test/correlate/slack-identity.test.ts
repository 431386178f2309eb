import { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { isStewardError } from '../../src/domain/errors.js';
import { cachedSlackLookup, webClientLookup } from '../../src/correlate/slack-identity.js';
import { createLogger } from '../../src/log.js';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** Steward's own adapter over a silent logger: the WebClient says nothing. */
const quiet = boltLogger(createLogger({ level: 'silent' }));

describe('Slack identity: users.lookupByEmail through the real WebClient', () => {
  let sim: SlackSim;
  let t: TestDatabase;
  let ann: string;
  const client = (token = sim.botToken) =>
    new WebClient(token, { slackApiUrl: sim.apiUrl, logger: quiet, retryConfig: { retries: 0 } });

  beforeAll(async () => {
    sim = await startSlackSim();
    ann = sim.addUser({ name: 'ann', email: 'ann@acme.test' }).id;
    sim.addUser({ name: 'old', email: 'old@acme.test', deleted: true });
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await sim?.close();
    await t?.destroy();
  });

  it('finds a Slack user by email, whatever its case', async () => {
    expect(await webClientLookup(client()).lookupByEmail('Ann@Acme.test')).toBe(ann);
  });

  it('answers null for users_not_found and for a deactivated account', async () => {
    expect(await webClientLookup(client()).lookupByEmail('nobody@acme.test')).toBeNull();
    expect(await webClientLookup(client()).lookupByEmail('old@acme.test')).toBeNull();
  });

  it('reports any other Slack error as an error', async () => {
    const err = await webClientLookup(client('xoxb-not-the-token'))
      .lookupByEmail('ann@acme.test')
      .catch((e: unknown) => e);
    expect(isStewardError(err) && err.code).toBe('slack_lookup_failed');
    expect((err as Error).message).toMatch(/invalid_auth/);
  });

  it('caches answers, "not found" included, for the TTL, then asks again', async () => {
    let now = new Date('2026-06-15T12:00:00Z');
    const lookup = cachedSlackLookup({ db: t.db, lookup: webClientLookup(client()), ttlHours: 24, now: () => now });
    sim.calls.clear();
    expect(await lookup.lookupByEmail('ann@acme.test')).toBe(ann);
    expect(await lookup.lookupByEmail('ANN@acme.test')).toBe(ann);
    expect(await lookup.lookupByEmail('ghost@acme.test')).toBeNull();
    expect(await lookup.lookupByEmail('ghost@acme.test')).toBeNull();
    expect(sim.calls.count('users.lookupByEmail')).toBe(2);

    now = new Date('2026-06-16T12:00:01Z');
    expect(await lookup.lookupByEmail('ann@acme.test')).toBe(ann);
    expect(sim.calls.count('users.lookupByEmail')).toBe(3);

    const rows = await queryRows<{ email: string; slack_user_id: string | null }>(
      t.db,
      sql`select email, slack_user_id from slack_user_cache order by email`,
    );
    expect(rows).toEqual([
      { email: 'ann@acme.test', slack_user_id: ann },
      { email: 'ghost@acme.test', slack_user_id: null },
    ]);
  });

  it('does not cache errors', async () => {
    const failing = cachedSlackLookup({
      db: t.db,
      lookup: webClientLookup(client('xoxb-wrong')),
      ttlHours: 24,
      now: () => new Date('2026-03-01T00:00:00Z'),
    });
    await expect(failing.lookupByEmail('someone@acme.test')).rejects.toThrow(/invalid_auth/);
    const rows = await queryRows(t.db, sql`select 1 from slack_user_cache where email = 'someone@acme.test'`);
    expect(rows).toEqual([]);
  });
});
