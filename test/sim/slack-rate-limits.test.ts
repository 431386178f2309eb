import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  METHOD_TIERS,
  POST_MESSAGE_PER_MINUTE,
  SLACK_TIERS,
  startSlackSim,
  type SlackSim,
} from '../../src/sim/slack/index.js';
import { simClient } from '../helpers/slack-client.js';

/**
 * The sim's default limits are Slack's published ones (https://docs.slack.dev/apis/web-api/rate-limits
 * and each method's page). These tests hold the sim's clock still, so a bucket refills only
 * when a test moves it.
 */
describe('slack sim: Slack’s published rate limits are the default', () => {
  let sim: SlackSim | undefined;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  async function start(opts: Parameters<typeof startSlackSim>[0] = {}): Promise<{ sim: SlackSim; client: WebClient }> {
    sim = await startSlackSim({ now: () => clock, ...opts });
    return { sim, client: simClient(sim, { rejectRateLimitedCalls: true }) };
  }

  /** Calls until the first 429 and says how many were allowed (stopping well past the tier). */
  async function allowedBefore429(call: () => Promise<unknown>, max = 400): Promise<number> {
    for (let i = 0; i < max; i++) {
      try {
        await call();
      } catch (err) {
        if (err instanceof WebAPIRateLimitedError) return i;
        throw err;
      }
    }
    return max;
  }

  it('every method the sim speaks has its documented tier', () => {
    expect(METHOD_TIERS).toMatchObject({
      'chat.postMessage': 'special',
      'chat.postEphemeral': 4,
      'chat.update': 3,
      'chat.delete': 3,
      'chat.getPermalink': 'special',
      'conversations.open': 3,
      'conversations.info': 3,
      'conversations.list': 2,
      'conversations.history': 3,
      'users.list': 2,
      'users.info': 4,
      'users.lookupByEmail': 3,
      'views.open': 4,
      'views.update': 4,
      'views.push': 4,
      'views.publish': 4,
      'files.getUploadURLExternal': 4,
      'files.completeUploadExternal': 4,
      'auth.test': 'special',
      'apps.connections.open': 3,
    });
    expect(SLACK_TIERS).toEqual({ 1: 1, 2: 20, 3: 50, 4: 100 });
  });

  it('a Tier 3 method (conversations.open): a minute’s allowance, then 429 + Retry-After + ratelimited, then the published rate', async () => {
    const { sim, client } = await start();
    const users = Array.from({ length: 60 }, () => sim.addUser({}).id);
    let i = 0;
    const allowed = await allowedBefore429(() => client.conversations.open({ users: users[i++ % users.length]! }));
    expect(allowed).toBe(SLACK_TIERS[3]);

    // On the wire: HTTP 429, a Retry-After in whole seconds, {"ok":false,"error":"ratelimited"}.
    const res = await fetch(`${sim.apiUrl}conversations.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.botToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ users: users[0]! }).toString(),
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });

    // Another method is not restricted ("Calls to other methods ... are not restricted").
    await client.users.info({ user: users[0]! });
    // After Retry-After seconds, the method answers again; at 50/min, about one call per 1.2 s.
    clock += retryAfter * 1000;
    await client.conversations.open({ users: users[1]! });
    await expect(client.conversations.open({ users: users[2]! })).rejects.toBeInstanceOf(WebAPIRateLimitedError);
    clock += 60_000;
    expect(await allowedBefore429(() => client.conversations.open({ users: users[i++ % users.length]! }))).toBe(50);
  });

  it('Tier 2 (users.list) takes 20 a minute, Tier 4 (users.info) 100', async () => {
    const { sim, client } = await start();
    const u = sim.addUser({}).id;
    expect(await allowedBefore429(() => client.users.list({ limit: 200 }))).toBe(SLACK_TIERS[2]);
    expect(await allowedBefore429(() => client.users.info({ user: u }))).toBe(SLACK_TIERS[4]);
  });

  it('chat.postMessage: a short burst per channel then 1 per second, under a workspace-wide "several hundred per minute"', async () => {
    const { sim, client } = await start();
    const channel = sim.addChannel({ name: 'one-channel' }).id;
    const perChannel = await allowedBefore429(() => client.chat.postMessage({ channel, text: 'x' }));
    expect(perChannel).toBe(3);
    clock += 1000;
    await client.chat.postMessage({ channel, text: 'a second later' });

    // Distinct DMs are distinct channels: only the workspace-wide limit applies.
    clock += 60_000;
    const people = Array.from({ length: POST_MESSAGE_PER_MINUTE + 20 }, () => sim.addUser({}).id);
    let i = 0;
    const fanOut = await allowedBefore429(
      () => client.chat.postMessage({ channel: people[i++]!, text: 'review' }),
      400,
    );
    expect(fanOut).toBe(POST_MESSAGE_PER_MINUTE);
  });

  it('rateLimits: "none" turns every limit off (a reset keeps the sim as it started); replace() sets exactly the rules given', async () => {
    const { sim, client } = await start({ rateLimits: 'none' });
    const u = sim.addUser({}).id;
    expect(await allowedBefore429(() => client.users.list({ limit: 200 }), 60)).toBe(60);
    sim.rateLimits.reset();
    expect(sim.rateLimits.rulesFor('users.list')).toEqual([]);
    sim.rateLimits.replace({ 'users.info': { limit: 2, windowMs: 60_000 } });
    expect(await allowedBefore429(() => client.users.info({ user: u }))).toBe(2);
  });

  it('the default survives a reset after a test narrowed one method', async () => {
    const { sim } = await start();
    sim.rateLimits.set('chat.postMessage', { limit: 1, windowMs: 1000, burst: 1 });
    sim.rateLimits.clear();
    expect(sim.rateLimits.rulesFor('conversations.open')).toEqual([]);
    sim.rateLimits.reset();
    expect(sim.rateLimits.rulesFor('conversations.open')).toEqual([{ limit: 50, windowMs: 60_000, burst: 50 }]);
    expect(sim.rateLimits.rulesFor('chat.postMessage')).toHaveLength(2);
  });
});
