import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { simClient, slackErrorOf } from '../helpers/slack-client.js';

type Member = {
  id: string;
  deleted: boolean;
  is_bot: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  profile: { email?: string };
};
type UsersPage = { members: Member[]; response_metadata?: { next_cursor?: string } };

describe('slack sim: users.list at scale, deactivated users, guests and bots, through WebClient', () => {
  let sim: SlackSim;
  let client: WebClient;
  const people: string[] = [];

  beforeAll(async () => {
    sim = await startSlackSim();
    client = simClient(sim);
    for (let i = 0; i < 1_150; i++) people.push(sim.addUser({ email: `person${i}@example.com` }).id);
  });
  afterAll(async () => {
    await sim.close();
  });

  async function allPages(limit?: number): Promise<{ pages: number; members: Member[] }> {
    const members: Member[] = [];
    let pages = 0;
    for await (const page of client.paginate('users.list', limit === undefined ? {} : { limit })) {
      pages += 1;
      members.push(...(page as unknown as UsersPage).members);
    }
    return { pages, members };
  }

  it('pages of at most 1000 (a larger limit is cut to it), every user once, in a stable order', async () => {
    const everyone = sim.state.listUsers().map((u) => u.id);
    const big = await allPages(5_000);
    expect(big.pages).toBe(2);
    expect(big.members.map((m) => m.id)).toEqual(everyone);
    const first = (await client.users.list({ limit: 5_000 })) as unknown as UsersPage;
    expect(first.members).toHaveLength(1_000);

    const small = await allPages(400);
    expect(small.pages).toBe(Math.ceil(everyone.length / 400));
    expect(small.members.map((m) => m.id)).toEqual(everyone);
    // No limit: "Slack attempting to deliver you the entire result set".
    const whole = (await client.users.list({})) as unknown as UsersPage;
    expect(whole.members).toHaveLength(everyone.length);
    expect(whole.response_metadata?.next_cursor).toBe('');
    expect((await slackErrorOf(client.users.list({ limit: 10, cursor: 'dXNlcjpVTk9QRQ==' }))).error).toBe(
      'invalid_cursor',
    );
  });

  it('lists bots (Slackbot is_bot false), guests, people without an email and deactivated people', async () => {
    const guest = sim.addUser({ email: 'contractor@example.com', guest: 'multi' });
    const single = sim.addUser({ email: 'auditor@example.com', guest: 'single' });
    const noEmail = sim.addUser({ name: 'no-email' });
    const bot = sim.addUser({ name: 'deploy-bot', is_bot: true });
    const leaver = sim.addUser({ email: 'leaver@example.com' });
    sim.deactivateUser(leaver.id);
    const { members } = await allPages(1_000);
    const byId = new Map(members.map((m) => [m.id, m]));
    expect(byId.get(guest.id)).toMatchObject({ is_restricted: true, is_ultra_restricted: false });
    expect(byId.get(single.id)).toMatchObject({ is_restricted: true, is_ultra_restricted: true });
    expect(byId.get(people[0]!)).toMatchObject({ is_restricted: false, is_ultra_restricted: false, is_bot: false });
    expect(byId.get(noEmail.id)!.profile).not.toHaveProperty('email');
    expect(byId.get(bot.id)).toMatchObject({ is_bot: true });
    expect(byId.get(bot.id)!.profile).not.toHaveProperty('email');
    expect(byId.get(sim.state.botUserId)).toMatchObject({ is_bot: true });
    expect(byId.get('USLACKBOT')).toMatchObject({ is_bot: false });
    expect(byId.get(leaver.id)).toMatchObject({ deleted: true, profile: { email: 'leaver@example.com' } });
  });

  it('a deactivated user: users.info deleted, lookupByEmail users_not_found, conversations.open user_disabled, their DM archived', async () => {
    const u = sim.addUser({ email: 'gone@example.com' });
    const before = await client.chat.postMessage({ channel: u.id, text: 'before they left' });
    expect((await client.users.lookupByEmail({ email: 'gone@example.com' })).user?.id).toBe(u.id);
    sim.deactivateUser(u.id);

    expect((await client.users.info({ user: u.id })).user).toMatchObject({ id: u.id, deleted: true });
    expect((await slackErrorOf(client.users.lookupByEmail({ email: 'gone@example.com' }))).error).toBe(
      'users_not_found',
    );
    expect((await slackErrorOf(client.conversations.open({ users: u.id }))).error).toBe('user_disabled');
    // Posting to them, by user id or by their DM's id, meets the archived DM.
    expect((await slackErrorOf(client.chat.postMessage({ channel: u.id, text: 'x' }))).error).toBe('is_archived');
    expect((await slackErrorOf(client.chat.postMessage({ channel: before.channel!, text: 'x' }))).error).toBe(
      'is_archived',
    );
    const info = await client.conversations.info({ channel: before.channel! });
    expect(info.channel).toMatchObject({ is_im: true, is_archived: true, is_user_deleted: true, user: u.id });

    // Someone deactivated before the app ever wrote to them: the same answer, and no DM is made.
    const never = sim.addUser({ email: 'never-dmed@example.com' });
    sim.deactivateUser(never.id);
    expect((await slackErrorOf(client.chat.postMessage({ channel: never.id, text: 'x' }))).error).toBe('is_archived');
    expect(sim.state.dmWith(never.id)).toBeUndefined();
  });

  it('a post to a user id that Slack refuses (no_text, invalid metadata) opens no DM', async () => {
    const u = sim.addUser({ email: 'not-yet@example.com' });
    expect((await slackErrorOf(client.chat.postMessage({ channel: u.id, text: '' }))).error).toBe('no_text');
    expect(sim.state.dmWith(u.id)).toBeUndefined();
    await client.chat.postMessage({ channel: u.id, text: 'now' });
    expect(sim.state.dmWith(u.id)).toBeDefined();
  });

  it('chat.postMessage with a user id opens the DM and answers its D… id; later posts reuse it; no conversations.open needed', async () => {
    const u = sim.addUser({ email: 'owner@example.com' });
    sim.calls.clear();
    const first = await client.chat.postMessage({ channel: u.id, text: 'Review 1' });
    expect(first.channel).toMatch(/^D/);
    expect(first.channel).not.toBe(u.id);
    const second = await client.chat.postMessage({ channel: u.id, text: 'Review 2' });
    const third = await client.chat.postMessage({ channel: first.channel!, text: 'Review 3' });
    expect([second.channel, third.channel]).toEqual([first.channel, first.channel]);
    expect(sim.state.history(first.channel!).map((m) => m.text)).toEqual(['Review 1', 'Review 2', 'Review 3']);
    expect(sim.calls.list().map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.postMessage']);
    // The same conversation conversations.open would have given.
    expect((await client.conversations.open({ users: u.id })).channel?.id).toBe(first.channel);
  });

  it('chat.postMessage to a user id the app cannot DM: channel_not_found (unknown user, a bot, the app itself); conversations.open refuses a bot', async () => {
    const bot = sim.addUser({ name: 'other-bot', is_bot: true });
    for (const channel of ['UNOPE00000', bot.id, sim.state.botUserId]) {
      expect((await slackErrorOf(client.chat.postMessage({ channel, text: 'x' }))).error).toBe('channel_not_found');
    }
    expect(sim.state.dmWith(bot.id)).toBeUndefined();
    expect((await slackErrorOf(client.conversations.open({ users: bot.id }))).error).toBe('cannot_dm_bot');
  });

  it('conversations.list pages 100 by default and refuses a limit that is not a number', async () => {
    for (let i = 0; i < 120; i++) sim.addChannel({ name: `team-${i}` });
    const first = await client.conversations.list({});
    expect(first.channels).toHaveLength(100);
    expect(first.response_metadata?.next_cursor).not.toBe('');
    expect((await slackErrorOf(client.conversations.list({ limit: 'many' as never }))).error).toBe('invalid_limit');
  });
});
