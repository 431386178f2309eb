import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackSim, type SimChange, type SlackSim } from '../../src/sim/slack/index.js';
import { simClient } from '../helpers/slack-client.js';

const modal = (title: string) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [
    {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Reason' },
      element: { type: 'plain_text_input', action_id: 'value' },
    },
  ],
});

const home = (text: string) => ({
  type: 'home' as const,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

describe('slack sim: the change feed a live page follows (onChange) and the state it reads', () => {
  let sim: SlackSim;
  let client: WebClient;
  let changes: SimChange[];
  let unsubscribe: () => void;

  beforeAll(async () => {
    sim = await startSlackSim();
    client = simClient(sim);
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    unsubscribe?.();
    changes = [];
    unsubscribe = sim.onChange((c) => changes.push(c));
  });

  it('messages: posted, thread reply (its parent updated), edited, deleted — each seen with the state already changed', async () => {
    const channel = sim.addChannel({ name: 'feed' }).id;
    expect(changes).toEqual([{ kind: 'channel.changed', channel }]);
    // A listener reads the state it is told about, and finds it already there.
    const seenText: string[] = [];
    const stop = sim.onChange((c) => {
      if (c.kind === 'message.posted' || c.kind === 'message.updated')
        seenText.push(sim.state.message(c.channel, c.ts)!.text);
    });
    changes = [];
    const parent = (await client.chat.postMessage({ channel, text: 'parent' })).ts!;
    const reply = (await client.chat.postMessage({ channel, text: 'reply', thread_ts: parent })).ts!;
    await client.chat.update({ channel, ts: parent, text: 'parent, edited' });
    await client.chat.delete({ channel, ts: reply });
    stop();
    expect(changes).toEqual([
      { kind: 'message.posted', channel, ts: parent },
      { kind: 'message.posted', channel, ts: reply },
      { kind: 'message.updated', channel, ts: parent },
      { kind: 'message.updated', channel, ts: parent },
      { kind: 'message.deleted', channel, ts: reply },
    ]);
    expect(seenText).toEqual(['parent', 'reply', 'parent', 'parent, edited']);
    // The page reads messages in order, edits applied, replies alongside their parent.
    await client.chat.postMessage({ channel, text: 'second reply', thread_ts: parent });
    expect(sim.state.history(channel).map((m) => [m.text, m.thread_ts === parent && m.ts !== parent])).toEqual([
      ['parent, edited', false],
      ['second reply', true],
    ]);
    expect(sim.state.history(channel)[0]).toMatchObject({ edited: { user: sim.state.botUserId }, reply_count: 2 });
  });

  it('a first DM to a user id creates the conversation (channel.changed) before the message', async () => {
    const u = sim.addUser({ email: 'first-dm@example.com' });
    changes = [];
    const posted = await client.chat.postMessage({ channel: u.id, text: 'review please' });
    expect(changes).toEqual([
      { kind: 'channel.changed', channel: posted.channel },
      { kind: 'message.posted', channel: posted.channel, ts: posted.ts },
    ]);
    expect(sim.state.conversationsFor(u.id).map((c) => c.id)).toEqual([posted.channel]);
    expect([...sim.state.channel(posted.channel!)!.members].sort()).toEqual([sim.state.botUserId, u.id].sort());
  });

  it('ephemeral messages: posted for one user in one channel, and read per user and channel', async () => {
    const u = sim.addUser({ email: 'eph@example.com' });
    const other = sim.addUser({ email: 'other@example.com' });
    const channel = sim.addChannel({ name: 'eph', members: [u.id, other.id] }).id;
    changes = [];
    const res = await client.chat.postEphemeral({ channel, user: u.id, text: 'only you' });
    expect(changes).toEqual([{ kind: 'ephemeral.posted', channel, user: u.id, ts: res.message_ts }]);
    expect(sim.state.ephemeralsFor(u.id, channel).map((e) => e.text)).toEqual(['only you']);
    expect(sim.state.ephemeralsFor(other.id, channel)).toEqual([]);
  });

  it('modals: opened, updated, pushed, closed; the open stack per user', async () => {
    const u = sim.addUser({ email: 'modal@example.com' });
    changes = [];
    const opened = (await client.views.open({ trigger_id: sim.state.issueTrigger(u.id).id, view: modal('One') })).view!;
    await client.views.update({ view_id: opened.id!, view: modal('One, updated') });
    const pushed = (await client.views.push({ trigger_id: sim.state.issueTrigger(u.id).id, view: modal('Two') })).view!;
    expect(sim.state.modalStack(u.id).map((v) => v.title?.text)).toEqual(['One, updated', 'Two']);
    sim.state.popModal(u.id);
    sim.state.closeModal(u.id);
    expect(changes).toEqual([
      { kind: 'view.opened', viewId: opened.id, user: u.id },
      { kind: 'view.updated', viewId: opened.id, user: u.id },
      { kind: 'view.pushed', viewId: pushed.id, user: u.id },
      { kind: 'view.closed', viewId: pushed.id, user: u.id },
      { kind: 'view.closed', viewId: opened.id, user: u.id },
    ]);
    expect(sim.state.modalStack(u.id)).toEqual([]);
  });

  it('App Home: published on first views.publish and on every republish; read per user', async () => {
    const u = sim.addUser({ email: 'home@example.com' });
    changes = [];
    await client.views.publish({ user_id: u.id, view: home('*Your reviews*: 2') });
    await client.views.publish({ user_id: u.id, view: home('*Your reviews*: 1') });
    expect(changes).toEqual([
      { kind: 'home.published', user: u.id },
      { kind: 'home.published', user: u.id },
    ]);
    expect(JSON.stringify(sim.state.homeView(u.id)?.blocks)).toContain('*Your reviews*: 1');
  });

  it('users: added, changed, deactivated (their DM archived); listUsers lists everyone', async () => {
    const u = sim.addUser({ email: 'leaver@example.com', real_name: 'Lee Leaver' });
    const dm = sim.state.openDm(u.id).id;
    sim.state.updateUser(u.id, { real_name: 'Lee L.' });
    sim.state.deactivateUser(u.id);
    expect(changes).toEqual([
      { kind: 'user.changed', user: u.id },
      { kind: 'channel.changed', channel: dm },
      { kind: 'user.changed', user: u.id },
      { kind: 'user.changed', user: u.id },
      { kind: 'channel.changed', channel: dm },
    ]);
    expect(sim.state.channel(dm)?.is_archived).toBe(true);
    expect(sim.state.listUsers().find((x) => x.id === u.id)).toMatchObject({ real_name: 'Lee L.', deleted: true });
    expect(sim.state.listUsers().map((x) => x.id)).toEqual([...sim.state.users.keys()]);
  });

  it('conversations: membership and archiving are changes; conversationsFor is a person’s sidebar', async () => {
    const u = sim.addUser({ email: 'member@example.com' });
    const channel = sim.addChannel({ name: 'joiners' }).id;
    changes = [];
    sim.state.joinChannel(channel, u.id);
    expect(sim.state.conversationsFor(u.id).map((c) => c.id)).toEqual([channel]);
    sim.state.leaveChannel(channel, u.id);
    sim.state.archiveChannel(channel);
    expect(changes).toEqual([
      { kind: 'channel.changed', channel },
      { kind: 'channel.changed', channel },
      { kind: 'channel.changed', channel },
    ]);
    expect(sim.state.conversationsFor(u.id)).toEqual([]);
    expect(sim.state.conversations().find((c) => c.id === channel)?.is_archived).toBe(true);
  });

  describe('what posts to a response_url show', () => {
    async function postTo(url: string, body: unknown): Promise<void> {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }

    it('a command reply: ephemeral by default, in_channel as a message, replace_original replaces the last one', async () => {
      const u = sim.addUser({ email: 'cmd@example.com' });
      const channel = sim.addChannel({ name: 'cmd', members: [u.id] }).id;
      const record = sim.state.issueResponseUrl({ kind: 'command', user: u.id, channel });
      changes = [];
      await postTo(record.url, { text: 'Working on it' });
      const eph = sim.state.ephemeralsFor(u.id, channel);
      expect(eph.map((e) => [e.text, e.source])).toEqual([['Working on it', 'response_url']]);
      await postTo(record.url, { text: 'Replaced', replace_original: true });
      expect(sim.state.ephemeralsFor(u.id, channel).map((e) => [e.text, e.message_ts])).toEqual([
        ['Replaced', eph[0]!.message_ts],
      ]);
      await postTo(record.url, { text: 'For everyone', response_type: 'in_channel' });
      const shared = sim.state.history(channel).at(-1)!;
      expect(shared.text).toBe('For everyone');
      expect(changes).toEqual([
        { kind: 'ephemeral.posted', channel, user: u.id, ts: eph[0]!.message_ts },
        { kind: 'ephemeral.posted', channel, user: u.id, ts: eph[0]!.message_ts },
        { kind: 'message.posted', channel, ts: shared.ts },
      ]);
      expect(record.posts.map((p) => p.outcome)).toEqual(['ephemeral', 'replaced', 'in_channel']);
    });

    it('a click reply: replace_original updates the clicked message; delete_original removes it', async () => {
      const u = sim.addUser({ email: 'click@example.com' });
      const dm = sim.state.openDm(u.id).id;
      const msg = sim.state.postAsBot(dm, { text: 'Keep or revoke?' });
      const record = sim.state.issueResponseUrl({ kind: 'action', user: u.id, channel: dm, messageTs: msg.ts });
      changes = [];
      await postTo(record.url, { text: 'Kept', replace_original: true });
      expect(sim.state.message(dm, msg.ts)?.text).toBe('Kept');
      await postTo(record.url, { delete_original: true });
      expect(sim.state.message(dm, msg.ts)).toBeUndefined();
      expect(changes).toEqual([
        { kind: 'message.updated', channel: dm, ts: msg.ts },
        { kind: 'message.deleted', channel: dm, ts: msg.ts },
      ]);
    });

    it('deleting an ephemeral original is a message.deleted with the ephemeral’s ts', async () => {
      const u = sim.addUser({ email: 'eph-click@example.com' });
      const channel = sim.addChannel({ name: 'eph-click', members: [u.id] }).id;
      const eph = sim.state.addEphemeral({ channel, user: u.id, text: 'Pick one', source: 'chat.postEphemeral' });
      const record = sim.state.issueResponseUrl({
        kind: 'action',
        user: u.id,
        channel,
        messageTs: eph.message_ts,
        messageIsEphemeral: true,
      });
      changes = [];
      await postTo(record.url, { delete_original: true });
      expect(changes).toEqual([{ kind: 'message.deleted', channel, ts: eph.message_ts }]);
      expect(sim.state.ephemeralsFor(u.id, channel)).toEqual([]);
    });
  });

  it('unsubscribing stops the feed, and a throwing listener does not fail the Web API call', async () => {
    const channel = sim.addChannel({ name: 'quiet' }).id;
    unsubscribe();
    changes = [];
    const stop = sim.onChange(() => {
      throw new Error('page went away');
    });
    const res = await client.chat.postMessage({ channel, text: 'still posted' });
    stop();
    expect(res.ok).toBe(true);
    expect(changes).toEqual([]);
    expect(sim.state.message(channel, res.ts!)?.text).toBe('still posted');
  });
});
