import {
  LogLevel,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type Logger,
  type WebAPICallResult,
} from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** The real WebClient pointed at the sim, failing fast unless a test asks for retries. */
function clientFor(sim: SlackSim, opts: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, logger: quiet, retryConfig: { retries: 0 }, ...opts });
}

/** Runs a call that must fail and returns Slack's error body. */
async function slackError(p: Promise<unknown>): Promise<WebAPICallResult & { error?: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WebAPIPlatformError) return err.data;
    throw err;
  }
  throw new Error('expected the call to fail');
}

async function rawCall(
  sim: SlackSim,
  method: string,
  body: string,
  headers: Record<string, string>,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.apiUrl}${method}`, { method: 'POST', body, headers });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('slack sim: Web API over the real WebClient', () => {
  let sim: SlackSim;
  let client: WebClient;
  let clock = Date.now();

  beforeAll(async () => {
    sim = await startSlackSim({ now: () => clock });
    client = clientFor(sim);
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => {
    sim.faults.clear();
  });

  describe('auth', () => {
    it('auth.test answers with the bot identity', async () => {
      const res = await client.auth.test();
      expect(res.ok).toBe(true);
      expect(res.user_id).toBe(sim.state.botUserId);
      expect(res.bot_id).toBe(sim.state.botId);
      expect(res.team_id).toBe(sim.state.team.id);
      expect(res.response_metadata?.scopes).toContain('chat:write');
    });

    it('refuses a missing token with not_authed and a wrong one with invalid_auth', async () => {
      expect(
        (
          await slackError(
            new WebClient(undefined, {
              slackApiUrl: sim.apiUrl,
              logger: quiet,
              retryConfig: { retries: 0 },
            }).auth.test(),
          )
        ).error,
      ).toBe('not_authed');
      expect(
        (
          await slackError(
            new WebClient('xoxb-wrong', {
              slackApiUrl: sim.apiUrl,
              logger: quiet,
              retryConfig: { retries: 0 },
            }).auth.test(),
          )
        ).error,
      ).toBe('invalid_auth');
    });

    it('takes the token from a form field, but never from a JSON body', async () => {
      const form = await rawCall(sim, 'auth.test', new URLSearchParams({ token: sim.botToken }).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(form.ok).toBe(true);
      const json = await rawCall(sim, 'auth.test', JSON.stringify({ token: sim.botToken }), {
        'content-type': 'application/json; charset=utf-8',
      });
      expect(json).toMatchObject({ ok: false, error: 'not_authed' });
    });

    it('warns missing_charset on JSON without a charset, and answers unknown_method for other names', async () => {
      const json = await rawCall(sim, 'auth.test', '{}', {
        'content-type': 'application/json',
        authorization: `Bearer ${sim.botToken}`,
      });
      expect(json).toMatchObject({
        ok: true,
        warning: 'missing_charset',
        response_metadata: { warnings: ['missing_charset'] },
      });
      const form = await rawCall(sim, 'auth.test', '', {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        authorization: `Bearer ${sim.botToken}`,
      });
      expect(form).toMatchObject({ ok: true, warning: 'superfluous_charset' });
      const unknown = await slackError(client.apiCall('admin.users.remove', {}));
      expect(unknown.error).toBe('unknown_method');
    });

    it('records calls with decoded arguments and never the token', async () => {
      sim.calls.clear();
      await client.chat.postMessage({
        channel: sim.addChannel({ name: 'rec' }).id,
        text: `token is ${sim.botToken}`,
        blocks: [{ type: 'divider' }],
      });
      const call = sim.calls.last('chat.postMessage')!;
      expect(call).toMatchObject({
        method: 'chat.postMessage',
        ok: true,
        status: 200,
        auth: 'bearer',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(call.args.blocks).toEqual([{ type: 'divider' }]);
      expect(JSON.stringify(sim.calls.list())).not.toContain(sim.botToken);
    });
  });

  describe('users', () => {
    it('looks users up by email, case-insensitively; unknown and deactivated → users_not_found', async () => {
      const ada = sim.addUser({ email: 'ada@example.com', real_name: 'Ada Lovelace', tz: 'Europe/London' });
      const gone = sim.addUser({ email: 'gone@example.com' });
      sim.state.deactivateUser(gone.id);
      const res = await client.users.lookupByEmail({ email: 'ADA@example.com' });
      expect(res.user).toMatchObject({
        id: ada.id,
        real_name: 'Ada Lovelace',
        deleted: false,
        is_bot: false,
        tz: 'Europe/London',
        profile: { email: 'ada@example.com' },
      });
      expect((await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).error).toBe(
        'users_not_found',
      );
      expect((await slackError(client.users.lookupByEmail({ email: 'gone@example.com' }))).error).toBe(
        'users_not_found',
      );
    });

    it('users.info returns the user or user_not_found', async () => {
      const u = sim.addUser({ name: 'grace', email: 'grace@example.com' });
      expect((await client.users.info({ user: u.id })).user?.name).toBe('grace');
      expect((await slackError(client.users.info({ user: 'UNOPE00000' }))).error).toBe('user_not_found');
    });

    it('users.list paginates with cursors through client.paginate', async () => {
      for (let i = 0; i < 7; i++) sim.addUser({ email: `page${i}@example.com` });
      sim.calls.clear();
      const ids: string[] = [];
      for await (const page of client.paginate('users.list', { limit: 3 })) {
        for (const m of (page as unknown as { members: Array<{ id: string }> }).members) ids.push(m.id);
      }
      expect(ids).toEqual([...sim.state.users.keys()]);
      expect(ids).toContain('USLACKBOT');
      expect(sim.calls.count('users.list')).toBe(Math.ceil(ids.length / 3));
      expect((await slackError(client.users.list({ cursor: 'bm90LWEtY3Vyc29y' }))).error).toBe('invalid_cursor');
    });
  });

  describe('conversations', () => {
    it('conversations.open gives each user one stable DM; deactivated and unknown users are refused', async () => {
      const u = sim.addUser({ email: 'dm@example.com' });
      const first = await client.conversations.open({ users: u.id });
      const again = await client.conversations.open({ users: u.id });
      expect(first.channel?.id).toMatch(/^D/);
      expect(again.channel?.id).toBe(first.channel?.id);
      expect(again).toMatchObject({ already_open: true });
      const full = await client.conversations.open({ users: u.id, return_im: true });
      expect(full.channel).toMatchObject({ id: first.channel?.id, is_im: true, user: u.id });
      const gone = sim.addUser({ email: 'gone2@example.com', deleted: true });
      expect((await slackError(client.conversations.open({ users: gone.id }))).error).toBe('user_disabled');
      expect((await slackError(client.conversations.open({ users: 'UNOPE00000' }))).error).toBe('user_not_found');
      expect((await slackError(client.conversations.open({} as never))).error).toBe('users_list_not_supplied');
    });

    it('conversations.info and conversations.list (paginated, private only when the bot is in)', async () => {
      const pub = sim.addChannel({ name: 'security' });
      const secret = sim.addChannel({ name: 'hidden', is_private: true, botMember: false });
      const mine = sim.addChannel({ name: 'mine', is_private: true });
      expect((await client.conversations.info({ channel: pub.id })).channel).toMatchObject({
        id: pub.id,
        name: 'security',
        is_member: true,
      });
      expect((await slackError(client.conversations.info({ channel: secret.id }))).error).toBe('channel_not_found');
      expect((await slackError(client.conversations.info({ channel: 'CNOPE00000' }))).error).toBe('channel_not_found');
      const ids: string[] = [];
      for await (const page of client.paginate('conversations.list', {
        types: 'public_channel,private_channel',
        limit: 2,
      })) {
        for (const c of (page as unknown as { channels: Array<{ id: string }> }).channels) ids.push(c.id);
      }
      expect(ids).toContain(pub.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(secret.id);
    });
  });

  describe('chat', () => {
    it('chat.postMessage to a channel returns ts and the stored message', async () => {
      const c = sim.addChannel({ name: 'alerts' });
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }];
      const res = await client.chat.postMessage({ channel: c.id, text: 'hello', blocks });
      expect(res.channel).toBe(c.id);
      expect(res.ts).toMatch(/^\d+\.\d{6}$/);
      expect(res.message).toMatchObject({
        text: 'hello',
        user: sim.state.botUserId,
        bot_id: sim.state.botId,
        ts: res.ts,
      });
      const stored = sim.state.message(c.id, res.ts!)!;
      expect(stored.blocks?.[0]).toMatchObject({ type: 'section', block_id: expect.any(String) });
    });

    it('chat.postMessage to a user id lands in the DM that conversations.open returns', async () => {
      const u = sim.addUser({ email: 'owner@example.com' });
      const posted = await client.chat.postMessage({ channel: u.id, text: 'review please' });
      const dm = await client.conversations.open({ users: u.id });
      expect(posted.channel).toBe(dm.channel?.id);
      expect(sim.state.history(dm.channel!.id!).map((m) => m.text)).toEqual(['review please']);
    });

    it('thread replies carry thread_ts and count on the parent', async () => {
      const c = sim.addChannel({ name: 'threads' });
      const parent = await client.chat.postMessage({ channel: c.id, text: 'parent' });
      const reply = await client.chat.postMessage({ channel: c.id, text: 'reply', thread_ts: parent.ts! });
      expect(reply.message?.thread_ts).toBe(parent.ts);
      expect(sim.state.message(c.id, parent.ts!)).toMatchObject({ reply_count: 1, latest_reply: reply.ts });
      expect(sim.state.replies(c.id, parent.ts!).map((m) => m.text)).toEqual(['reply']);
    });

    it('chat.postMessage errors: channel_not_found, not_in_channel, is_archived, no_text, msg_too_long, invalid_blocks_format', async () => {
      const outside = sim.addChannel({ name: 'outside', botMember: false });
      const archived = sim.addChannel({ name: 'old', is_archived: true });
      const ok = sim.addChannel({ name: 'ok' });
      expect((await slackError(client.chat.postMessage({ channel: 'CNOPE00000', text: 'x' }))).error).toBe(
        'channel_not_found',
      );
      expect((await slackError(client.chat.postMessage({ channel: outside.id, text: 'x' }))).error).toBe(
        'not_in_channel',
      );
      expect((await slackError(client.chat.postMessage({ channel: archived.id, text: 'x' }))).error).toBe(
        'is_archived',
      );
      // Refused calls count against chat.postMessage's one-per-second-per-channel limit too:
      // the sim's clock moves a second between calls to the same channel.
      expect((await slackError(client.chat.postMessage({ channel: ok.id, text: '' }))).error).toBe('no_text');
      clock += 1000;
      expect((await slackError(client.chat.postMessage({ channel: ok.id, text: 'x'.repeat(40_001) }))).error).toBe(
        'msg_too_long',
      );
      clock += 1000;
      await client.chat.postMessage({ channel: ok.id, text: 'x'.repeat(40_000) });
      clock += 1000;
      const raw = await rawCall(
        sim,
        'chat.postMessage',
        new URLSearchParams({ channel: ok.id, blocks: '[{oops' }).toString(),
        {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Bearer ${sim.botToken}`,
        },
      );
      expect(raw.error).toBe('invalid_blocks_format');
    });

    it('invalid_blocks explains itself in errors and response_metadata.messages', async () => {
      const c = sim.addChannel({ name: 'blocks' });
      const err = await slackError(
        client.chat.postMessage({
          channel: c.id,
          text: 'x',
          blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
        }),
      );
      expect(err.error).toBe('invalid_blocks');
      expect(err.response_metadata?.messages).toEqual([
        '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]',
      ]);
      expect((err as { errors?: string[] }).errors).toEqual([
        'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
      ]);
    });

    it("chat.update edits the app's own message only", async () => {
      const c = sim.addChannel({ name: 'edits', members: [] });
      const posted = await client.chat.postMessage({
        channel: c.id,
        text: 'v1',
        blocks: [
          {
            type: 'actions',
            elements: [{ type: 'button', action_id: 'keep', text: { type: 'plain_text', text: 'Keep' } }],
          },
        ],
      });
      const updated = await client.chat.update({ channel: c.id, ts: posted.ts!, text: 'v2', blocks: [] });
      expect(updated).toMatchObject({ channel: c.id, ts: posted.ts, text: 'v2' });
      const stored = sim.state.message(c.id, posted.ts!)!;
      expect(stored.text).toBe('v2');
      expect(stored.blocks).toBeUndefined();
      expect(stored.edited?.user).toBe(sim.state.botUserId);
      const human = sim.addUser({});
      const theirs = sim.state.postAsUser(c.id, human.id, 'mine');
      expect((await slackError(client.chat.update({ channel: c.id, ts: theirs.ts, text: 'hacked' }))).error).toBe(
        'cant_update_message',
      );
      expect((await slackError(client.chat.update({ channel: c.id, ts: '1.000001', text: 'x' }))).error).toBe(
        'message_not_found',
      );
    });

    it('chat.delete and chat.getPermalink', async () => {
      const c = sim.addChannel({ name: 'perma' });
      const posted = await client.chat.postMessage({ channel: c.id, text: 'bye' });
      const link = await client.chat.getPermalink({ channel: c.id, message_ts: posted.ts! });
      expect(link.permalink).toBe(`https://steward-sim.slack.com/archives/${c.id}/p${posted.ts!.replace('.', '')}`);
      await client.chat.delete({ channel: c.id, ts: posted.ts! });
      expect(sim.state.message(c.id, posted.ts!)).toBeUndefined();
      expect(sim.state.deletedMessages.some((m) => m.ts === posted.ts)).toBe(true);
      expect((await slackError(client.chat.delete({ channel: c.id, ts: posted.ts! }))).error).toBe('message_not_found');
      expect((await slackError(client.chat.getPermalink({ channel: c.id, message_ts: posted.ts! }))).error).toBe(
        'message_not_found',
      );
    });

    it('chat.postEphemeral is stored apart from history, per user; outsiders → user_not_in_channel', async () => {
      const member = sim.addUser({});
      const stranger = sim.addUser({});
      const c = sim.addChannel({ name: 'eph', members: [member.id] });
      const res = await client.chat.postEphemeral({ channel: c.id, user: member.id, text: 'only you' });
      expect(res.message_ts).toMatch(/^\d+\.\d+$/);
      expect(sim.state.history(c.id)).toHaveLength(0);
      expect(sim.state.ephemeralsFor(member.id, c.id)).toMatchObject([
        { text: 'only you', source: 'chat.postEphemeral', message_ts: res.message_ts },
      ]);
      expect((await slackError(client.chat.postEphemeral({ channel: c.id, user: stranger.id, text: 'x' }))).error).toBe(
        'user_not_in_channel',
      );
    });
  });

  describe('views', () => {
    const modal = (title = 'Keep access', extra: Record<string, unknown> = {}) => ({
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
      ...extra,
    });

    it('views.open accepts a fresh trigger once; expired, unknown and spent triggers are refused', async () => {
      const u = sim.addUser({});
      const t = sim.state.issueTrigger(u.id);
      const opened = await client.views.open({ trigger_id: t.id, view: modal() });
      expect(opened.view).toMatchObject({
        id: expect.stringMatching(/^V/),
        type: 'modal',
        hash: expect.any(String),
        title: { text: 'Keep access' },
      });
      expect(sim.state.modalStack(u.id).map((v) => v.id)).toEqual([opened.view!.id]);
      expect((await slackError(client.views.open({ trigger_id: t.id, view: modal() }))).error).toBe(
        'exchanged_trigger_id',
      );
      const stale = sim.state.issueTrigger(u.id);
      clock += 3001;
      expect((await slackError(client.views.open({ trigger_id: stale.id, view: modal() }))).error).toBe(
        'expired_trigger_id',
      );
      expect((await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal() }))).error).toBe(
        'invalid_trigger_id',
      );
    });

    it('a malformed view is refused with invalid_arguments and a pointer', async () => {
      const u = sim.addUser({});
      const err = await slackError(
        client.views.open({ trigger_id: sim.state.issueTrigger(u.id).id, view: modal('A title that is far too long') }),
      );
      expect(err.error).toBe('invalid_arguments');
      expect(err.response_metadata?.messages).toEqual([
        '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      ]);
    });

    it('views.update by view_id or external_id, guarded by hash', async () => {
      const u = sim.addUser({});
      const opened = await client.views.open({
        trigger_id: sim.state.issueTrigger(u.id).id,
        view: modal('One', { external_id: 'ext-1' }),
      });
      const v1 = opened.view!;
      const byId = await client.views.update({
        view_id: v1.id!,
        hash: v1.hash!,
        view: modal('Two', { external_id: 'ext-1' }),
      });
      expect(byId.view?.title?.text).toBe('Two');
      expect(byId.view?.hash).not.toBe(v1.hash);
      expect(
        (await slackError(client.views.update({ view_id: v1.id!, hash: v1.hash!, view: modal('Three') }))).error,
      ).toBe('hash_conflict');
      const byExt = await client.views.update({ external_id: 'ext-1', view: modal('Four', { external_id: 'ext-1' }) });
      expect(byExt.view?.id).toBe(v1.id);
      expect((await slackError(client.views.update({ view_id: 'VNOPE00000', view: modal() }))).error).toBe('not_found');
    });

    it('views.push stacks up to three views', async () => {
      const u = sim.addUser({});
      const root = await client.views.open({ trigger_id: sim.state.issueTrigger(u.id).id, view: modal('Root') });
      const pushed = await client.views.push({
        trigger_id: sim.state.issueTrigger(u.id, root.view!.id).id,
        view: modal('Second'),
      });
      expect(pushed.view).toMatchObject({ root_view_id: root.view!.id, previous_view_id: root.view!.id });
      await client.views.push({ trigger_id: sim.state.issueTrigger(u.id).id, view: modal('Third') });
      expect(
        (await slackError(client.views.push({ trigger_id: sim.state.issueTrigger(u.id).id, view: modal('Fourth') })))
          .error,
      ).toBe('push_limit_reached');
      const lonely = sim.addUser({});
      expect(
        (await slackError(client.views.push({ trigger_id: sim.state.issueTrigger(lonely.id).id, view: modal() })))
          .error,
      ).toBe('not_found');
    });

    it('views.publish keeps one home tab per user', async () => {
      const a = sim.addUser({});
      const b = sim.addUser({});
      const home = (text: string) => ({
        type: 'home' as const,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
      });
      const first = await client.views.publish({ user_id: a.id, view: home('a1') });
      const second = await client.views.publish({ user_id: a.id, view: home('a2'), hash: first.view!.hash! });
      await client.views.publish({ user_id: b.id, view: home('b1') });
      expect(second.view?.id).toBe(first.view?.id);
      expect(sim.state.homeView(a.id)?.blocks[0]).toMatchObject({ text: { text: 'a2' } });
      expect(sim.state.homeView(b.id)?.blocks[0]).toMatchObject({ text: { text: 'b1' } });
      expect(
        (await slackError(client.views.publish({ user_id: a.id, view: home('a3'), hash: first.view!.hash! }))).error,
      ).toBe('hash_conflict');
      expect((await slackError(client.views.publish({ user_id: a.id, view: modal() }))).error).toBe(
        'invalid_arguments',
      );
    });
  });

  describe('files', () => {
    it('filesUploadV2 works unchanged: upload URL, bytes, completion shared with a comment', async () => {
      const c = sim.addChannel({ name: 'exports' });
      const content = 'decision,user\nkeep,U1\n';
      const res = await client.filesUploadV2({
        channel_id: c.id,
        filename: 'evidence.csv',
        content,
        initial_comment: 'Evidence export',
        title: 'Evidence',
      });
      expect(res.ok).toBe(true);
      const file = [...sim.state.files.values()].find((f) => f.name === 'evidence.csv')!;
      expect(file.bytes?.toString()).toBe(content);
      expect(file).toMatchObject({
        completed: true,
        channels: [c.id],
        initial_comment: 'Evidence export',
        title: 'Evidence',
      });
      const shared = sim.state.history(c.id).at(-1)!;
      expect(shared.text).toBe('Evidence export');
      expect(shared.files?.[0]).toMatchObject({ id: file.id, name: 'evidence.csv', mimetype: 'text/csv' });
      const download = await fetch(shared.files![0]!.url_private as string, {
        headers: { authorization: `Bearer ${sim.botToken}` },
      });
      expect(await download.text()).toBe(content);
      expect(sim.calls.list().map((x) => x.method)).toEqual(
        expect.arrayContaining(['files.getUploadURLExternal', 'files.completeUploadExternal']),
      );
    });

    it('completing a file whose bytes never arrived fails with file_not_found', async () => {
      const url = await client.files.getUploadURLExternal({ filename: 'x.txt', length: 3 });
      expect(url.upload_url).toContain(`${sim.baseUrl}/upload/v1/`);
      expect((await slackError(client.files.completeUploadExternal({ files: [{ id: url.file_id! }] }))).error).toBe(
        'file_not_found',
      );
    });
  });
});

describe('slack sim: rate limits and faults', () => {
  let sim: SlackSim;

  beforeAll(async () => {
    sim = await startSlackSim();
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(() => {
    sim.faults.clear();
    // Back to Slack's published limits, the sim's default.
    sim.rateLimits.reset();
  });

  it('a 429 with Retry-After is honoured by WebClient, which then succeeds', async () => {
    const c = sim.addChannel({ name: 'r429' });
    sim.faults.add('chat.postMessage', { kind: 'rate_limit', retryAfter: 1, times: 1 });
    const client = clientFor(sim, { retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 10 } });
    const res = await client.chat.postMessage({ channel: c.id, text: 'after the wait' });
    expect(res.ok).toBe(true);
    const calls = sim.calls.list('chat.postMessage').slice(-2);
    expect(calls.map((x) => [x.status, x.rateLimited])).toEqual([
      [429, true],
      [200, false],
    ]);
  });

  it('per-channel limits answer 429 with Retry-After (WebAPIRateLimitedError when not retrying)', async () => {
    const a = sim.addChannel({ name: 'rl-a' });
    const b = sim.addChannel({ name: 'rl-b' });
    sim.rateLimits.replace({ 'chat.postMessage': { limit: 1, windowMs: 1000, burst: 1, scope: 'channel' } });
    const client = clientFor(sim, { rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: a.id, text: '1' });
    const err = await client.chat.postMessage({ channel: a.id, text: '2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(1);
    await client.chat.postMessage({ channel: b.id, text: 'another channel is fine' });
    // A user id and the DM it resolves to are one conversation, so one limit.
    const u = sim.addUser({});
    const dm = await client.conversations.open({ users: u.id });
    await client.chat.postMessage({ channel: u.id, text: 'first' });
    expect(
      await client.chat.postMessage({ channel: dm.channel!.id!, text: 'second' }).catch((e: unknown) => e),
    ).toBeInstanceOf(WebAPIRateLimitedError);
  });

  it('the Slack-like preset allows a short burst per channel, then ~1/s', async () => {
    sim.rateLimits.configure((await import('../../src/sim/slack/index.js')).slackLikeRateLimits());
    const c = sim.addChannel({ name: 'burst' });
    const client = clientFor(sim, { rejectRateLimitedCalls: true });
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5].map((i) => client.chat.postMessage({ channel: c.id, text: String(i) })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
  });

  it('DM fan-out under the preset: distinct DMs are not throttled, a workspace-wide cap is', async () => {
    const users = Array.from({ length: 8 }, () => sim.addUser({}));
    sim.rateLimits.configure((await import('../../src/sim/slack/index.js')).slackLikeRateLimits());
    const client = clientFor(sim, { rejectRateLimitedCalls: true });
    const fanOut = await Promise.allSettled(
      users.map((u) => client.chat.postMessage({ channel: u.id, text: 'review' })),
    );
    expect(fanOut.every((r) => r.status === 'fulfilled')).toBe(true);
    sim.rateLimits.configure(
      (await import('../../src/sim/slack/index.js')).slackLikeRateLimits({ postMessagePerMinute: 20 }),
    );
    const capped = await Promise.allSettled(
      users.concat(users, users).map((u) => client.chat.postMessage({ channel: u.id, text: 'again' })),
    );
    // A 20/min workspace bucket takes 20 at once; everything past it waits.
    expect(capped.filter((r) => r.status === 'fulfilled').length).toBeLessThan(capped.length);
  });

  it('server_error is retried by WebClient; without retries it surfaces as HTTP 500', async () => {
    sim.faults.add('auth.test', { kind: 'server_error', times: 1 });
    const retrying = clientFor(sim, { retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 } });
    expect((await retrying.auth.test()).ok).toBe(true);
    sim.faults.add('auth.test', { kind: 'server_error', times: 1 });
    const err = await clientFor(sim)
      .auth.test()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
  });

  it('malformed and error faults, with after and times', async () => {
    const client = clientFor(sim);
    sim.faults.add('users.info', { kind: 'error', error: 'token_revoked', after: 1, times: 1 });
    const u = sim.addUser({});
    expect((await client.users.info({ user: u.id })).ok).toBe(true);
    expect((await slackError(client.users.info({ user: u.id }))).error).toBe('token_revoked');
    expect((await client.users.info({ user: u.id })).ok).toBe(true);
    sim.faults.add('users.info', { kind: 'malformed', times: 1 });
    const bad = await slackError(client.users.info({ user: u.id }));
    expect(String(bad.error)).toContain('<html>');
    expect(sim.calls.last('users.info')?.fault).toBe('malformed');
  });

  it('hang never answers: the client times out, and close() still returns', async () => {
    const hangSim = await startSlackSim();
    hangSim.faults.add('auth.test', { kind: 'hang' });
    const client = clientFor(hangSim, { timeout: 200 });
    const err = await client.auth.test().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'slack_webapi_request_error' });
    const pending = new WebClient(hangSim.botToken, {
      slackApiUrl: hangSim.apiUrl,
      logger: quiet,
      retryConfig: { retries: 0 },
    }).auth
      .test()
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await hangSim.close();
    expect(await pending).toMatchObject({ code: 'slack_webapi_request_error' });
  });
});
