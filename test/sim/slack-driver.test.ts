import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient, type Logger } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signSlackRequest, SlackClientRefusal, startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  /** Our own verdict on the signature, computed independently of the sim's code. */
  signatureValid: boolean;
  ageSeconds: number;
}

type Reply = { status?: number; body?: unknown; delayMs?: number };

/** A bare node:http "app" that checks Slack's signature itself and answers as told. */
class FakeApp {
  received: Received[] = [];
  reply: (r: Received) => Reply = () => ({});
  private server: Server;
  url = '';

  constructor(private readonly signingSecret: string) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
        const sig = String(req.headers['x-slack-signature'] ?? '');
        const mine = `v0=${createHmac('sha256', this.signingSecret).update(`v0:${ts}:${raw}`).digest('hex')}`;
        const signatureValid = sig.length === mine.length && timingSafeEqual(Buffer.from(sig), Buffer.from(mine));
        const r: Received = {
          headers: req.headers,
          raw,
          signatureValid,
          ageSeconds: Math.floor(Date.now() / 1000) - Number(ts),
        };
        this.received.push(r);
        const {
          status = 200,
          body,
          delayMs = 0,
        } = r.signatureValid && r.ageSeconds < 300 ? this.reply(r) : { status: 401 };
        setTimeout(() => {
          if (body === undefined) {
            res.writeHead(status);
            res.end();
          } else if (typeof body === 'string') {
            res.writeHead(status, { 'content-type': 'text/plain' });
            res.end(body);
          } else {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body));
          }
        }, delayMs);
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slack/events`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  last(): Received {
    return this.received[this.received.length - 1]!;
  }

  lastForm(): URLSearchParams {
    return new URLSearchParams(this.last().raw);
  }

  lastPayload(): Record<string, any> {
    return JSON.parse(this.lastForm().get('payload')!) as Record<string, any>;
  }
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

describe('slack sim: platform driver towards a bare HTTP app', () => {
  let sim: SlackSim;
  let app: FakeApp;
  let client: WebClient;
  let ada: ReturnType<SlackSim['addUser']>;
  let security: ReturnType<SlackSim['addChannel']>;

  beforeAll(async () => {
    sim = await startSlackSim({ responseUrlTtlMs: 60_000 });
    app = new FakeApp(sim.signingSecret);
    await app.start();
    sim.setRequestUrl(app.url);
    // Several reviews go to one channel within a second: like Steward's client, this one waits
    // out chat.postMessage's per-channel Retry-After (the sim enforces Slack's limits).
    client = new WebClient(sim.botToken, {
      slackApiUrl: sim.apiUrl,
      logger: quiet,
      retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 10 },
    });
    ada = sim.addUser({ name: 'ada', email: 'ada@example.com' });
    security = sim.addChannel({ name: 'security', members: [ada.id] });
  });
  afterAll(async () => {
    await app.stop();
    await sim.close();
  });
  beforeEach(() => {
    app.reply = () => ({});
  });

  it('signSlackRequest matches an independent HMAC', () => {
    const h = signSlackRequest('secret', 'a=b', 1_700_000_000);
    expect(h['x-slack-request-timestamp']).toBe('1700000000');
    expect(h['x-slack-signature']).toBe(
      `v0=${createHmac('sha256', 'secret').update('v0:1700000000:a=b').digest('hex')}`,
    );
  });

  it('slash command: signed form body with every field Slack sends, in its order', async () => {
    const res = await sim.driver.slashCommand({
      userId: ada.id,
      text: 'review ada@example.com',
      channelId: security.id,
    });
    expect(res.status).toBe(200);
    const r = app.last();
    expect(r.signatureValid).toBe(true);
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = app.lastForm();
    expect([...form.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(Object.fromEntries(form)).toMatchObject({
      token: sim.verificationToken,
      team_id: sim.state.team.id,
      channel_id: security.id,
      channel_name: 'security',
      user_id: ada.id,
      user_name: 'ada',
      command: '/steward',
      text: 'review ada@example.com',
      api_app_id: sim.state.appId,
      is_enterprise_install: 'false',
      response_url: res.responseUrl,
      trigger_id: res.triggerId,
    });
    expect(res.triggerId).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
  });

  it('slash command from a DM names the channel "directmessage"; its trigger opens a modal', async () => {
    const res = await sim.driver.slashCommand({ userId: ada.id, text: 'help' });
    expect(app.lastForm().get('channel_name')).toBe('directmessage');
    expect(app.lastForm().get('channel_id')).toBe(sim.state.dmWith(ada.id)!.id);
    const opened = await client.views.open({
      trigger_id: res.triggerId,
      view: { type: 'modal', title: plain('Hi'), blocks: [] },
    });
    expect(sim.state.modalStack(ada.id)[0]!.id).toBe(opened.view!.id);
  });

  it('slash command replies: the ack body and response_url posts are stored and shown', async () => {
    app.reply = () => ({ body: { text: 'Working on it…' } });
    const res = await sim.driver.slashCommand({ userId: ada.id, text: 'status', channelId: security.id });
    expect(sim.state.ephemeralsFor(ada.id, security.id).map((e) => [e.text, e.source])).toContainEqual([
      'Working on it…',
      'command_ack',
    ]);
    const post = await fetch(res.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '3 open reviews' }),
    });
    expect(post.status).toBe(200);
    const inChannel = await fetch(res.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', text: 'for all' }),
    });
    expect(inChannel.status).toBe(200);
    expect(res.responses().map((p) => p.outcome)).toEqual(['ephemeral', 'ephemeral', 'in_channel']);
    expect(sim.state.history(security.id).at(-1)).toMatchObject({ text: 'for all', bot_id: sim.state.botId });
    const replace = await fetch(res.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'edited' }),
    });
    expect(replace.status).toBe(200);
    expect(sim.state.history(security.id).at(-1)?.text).toBe('edited');
  });

  it('a response_url takes five posts, then used_url', async () => {
    const res = await sim.driver.slashCommand({ userId: ada.id, text: 'x' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await fetch(res.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `n${i}` }),
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(res.responses().at(-1)).toMatchObject({ outcome: 'rejected', error: 'used_url' });
  });

  async function postReview(): Promise<string> {
    const posted = await client.chat.postMessage({
      channel: security.id,
      text: 'Review: API key sk-…abcd',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Key* `sk-…abcd`' } },
        {
          type: 'actions',
          block_id: 'review-1',
          elements: [
            { type: 'button', action_id: 'keep', text: plain('Keep'), value: 'review-1', style: 'primary' },
            { type: 'button', action_id: 'revoke', text: plain('Revoke'), value: 'review-1', style: 'danger' },
          ],
        },
      ],
    });
    return posted.ts!;
  }

  it('button click: block_actions payload built from the stored message', async () => {
    const ts = await postReview();
    const res = await sim.driver.clickButton({ userId: ada.id, channel: security.id, ts, actionId: 'revoke' });
    expect(res.status).toBe(200);
    expect(app.last().signatureValid).toBe(true);
    expect(app.last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...app.lastForm().keys()]).toEqual(['payload']);
    const p = app.lastPayload();
    expect(p).toMatchObject({
      type: 'block_actions',
      user: { id: ada.id, username: 'ada', name: 'ada', team_id: sim.state.team.id },
      api_app_id: sim.state.appId,
      token: sim.verificationToken,
      container: { type: 'message', message_ts: ts, channel_id: security.id, is_ephemeral: false },
      trigger_id: res.triggerId,
      team: { id: sim.state.team.id, domain: 'steward-sim' },
      channel: { id: security.id, name: 'security' },
      response_url: res.responseUrl,
      state: { values: {} },
    });
    expect(p.message).toEqual(
      JSON.parse(JSON.stringify({ ...sim.state.message(security.id, ts), channel: undefined })),
    );
    expect(p.actions).toEqual([
      {
        action_id: 'revoke',
        block_id: 'review-1',
        type: 'button',
        action_ts: expect.stringMatching(/^\d+\.\d+$/),
        text: plain('Revoke'),
        value: 'review-1',
        style: 'danger',
      },
    ]);
  });

  it('clicks must hit a real element of a message the user can see, unless forced', async () => {
    const ts = await postReview();
    const outsider = sim.addUser({});
    await expect(
      sim.driver.clickButton({ userId: ada.id, channel: security.id, ts, actionId: 'approve-all' }),
    ).rejects.toThrow(/no element/);
    await expect(
      sim.driver.clickButton({ userId: outsider.id, channel: security.id, ts, actionId: 'keep' }),
    ).rejects.toThrow(/not in/);
    await expect(
      sim.driver.clickButton({ userId: ada.id, channel: security.id, ts, actionId: 'keep', value: 'review-999' }),
    ).rejects.toThrow(/carries value/);
    const forged = await sim.driver.clickButton({
      userId: outsider.id,
      channel: security.id,
      ts,
      actionId: 'keep',
      value: 'review-999',
      force: true,
    });
    expect(forged.payload.actions).toMatchObject([{ action_id: 'keep', value: 'review-999' }]);
  });

  it('response_url replace_original and delete_original act on the clicked message', async () => {
    const ts = await postReview();
    const click = await sim.driver.clickButton({ userId: ada.id, channel: security.id, ts, actionId: 'keep' });
    const r1 = await fetch(click.responseUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Kept by ada' }),
    });
    expect(r1.status).toBe(200);
    const msg = sim.state.message(security.id, ts)!;
    expect(msg.text).toBe('Kept by ada');
    expect(msg.blocks).toBeUndefined();
    const bad = await fetch(click.responseUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, blocks: [{ type: 'header', text: plain('x'.repeat(151)) }] }),
    });
    expect(bad.status).toBe(400);
    const del = await fetch(click.responseUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ delete_original: true }),
    });
    expect(del.status).toBe(200);
    expect(sim.state.message(security.id, ts)).toBeUndefined();
    expect(click.responses().map((p) => p.outcome)).toEqual(['replaced', 'rejected', 'deleted']);
  });

  it('clicks in ephemeral messages: no message in the payload; replace_original swaps the ephemeral', async () => {
    const eph = await client.chat.postEphemeral({
      channel: security.id,
      user: ada.id,
      text: 'Claim?',
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'claim', text: plain('Claim') }] }],
    });
    const click = await sim.driver.clickButton({
      userId: ada.id,
      channel: security.id,
      ts: eph.message_ts!,
      actionId: 'claim',
    });
    const p = app.lastPayload();
    expect(p.container).toMatchObject({ is_ephemeral: true });
    expect(p.message).toBeUndefined();
    await fetch(click.responseUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Claimed' }),
    });
    expect(
      sim.state
        .ephemeralsFor(ada.id, security.id)
        .filter((e) => e.message_ts === eph.message_ts)
        .map((e) => e.text),
    ).toEqual(['Claimed']);
  });

  const keepModal = {
    type: 'modal' as const,
    callback_id: 'keep_modal',
    private_metadata: JSON.stringify({ review: 'review-1' }),
    title: plain('Keep access'),
    submit: plain('Keep'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: plain('Reason'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 500 },
      },
      {
        type: 'input',
        block_id: 'duration',
        label: plain('Keep for'),
        element: {
          type: 'static_select',
          action_id: 'days',
          options: [30, 90, 180].map((d) => ({ text: plain(`${d} days`), value: String(d) })),
          initial_option: { text: plain('90 days'), value: '90' },
        },
      },
      {
        type: 'input',
        block_id: 'owner',
        optional: true,
        label: plain('Owner'),
        element: { type: 'users_select', action_id: 'user' },
      },
      {
        type: 'input',
        block_id: 'scope',
        optional: true,
        label: plain('Scope'),
        element: {
          type: 'checkboxes',
          action_id: 'parts',
          options: [
            { text: plain('Seat'), value: 'seat' },
            { text: plain('Keys'), value: 'keys' },
          ],
        },
      },
      {
        type: 'actions',
        block_id: 'more',
        elements: [{ type: 'button', action_id: 'details', text: plain('Details') }],
      },
    ],
  };

  async function openKeepModal(): Promise<string> {
    const ts = await postReview();
    const click = await sim.driver.clickButton({ userId: ada.id, channel: security.id, ts, actionId: 'keep' });
    const opened = await client.views.open({ trigger_id: click.triggerId, view: keepModal });
    return opened.view!.id!;
  }

  it('view submission: state.values typed per element, callback_id, private_metadata, hash', async () => {
    const viewId = await openKeepModal();
    const res = await sim.driver.submitView({
      userId: ada.id,
      viewId,
      values: { reason: { value: 'still used by CI' }, owner: { user: ada.id }, parts: ['keys'] },
    });
    expect(res.status).toBe(200);
    const p = app.lastPayload();
    expect(p).toMatchObject({
      type: 'view_submission',
      team: { id: sim.state.team.id },
      user: { id: ada.id },
      api_app_id: sim.state.appId,
      trigger_id: res.triggerId,
      response_urls: [],
      view: {
        id: viewId,
        type: 'modal',
        callback_id: 'keep_modal',
        private_metadata: '{"review":"review-1"}',
        hash: expect.any(String),
        root_view_id: viewId,
      },
    });
    expect(p.view.state.values).toEqual({
      reason: { value: { type: 'plain_text_input', value: 'still used by CI' } },
      duration: { days: { type: 'static_select', selected_option: { text: plain('90 days'), value: '90' } } },
      owner: { user: { type: 'users_select', selected_user: ada.id } },
      scope: { parts: { type: 'checkboxes', selected_options: [{ text: plain('Keys'), value: 'keys' }] } },
    });
    // An empty 200 closes the modal.
    expect(res.responseAction).toBeUndefined();
    expect(res.view).toBeUndefined();
    expect(sim.state.views.get(viewId)!.open).toBe(false);
  });

  it('the Slack client refuses a submission missing a required input (nothing is sent)', async () => {
    const viewId = await openKeepModal();
    const before = app.received.length;
    const err = await sim.driver.submitView({ userId: ada.id, viewId, values: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackClientRefusal);
    expect((err as SlackClientRefusal).fields).toHaveProperty('reason');
    await expect(sim.driver.submitView({ userId: ada.id, viewId, values: { days: '45', value: 'x' } })).rejects.toThrow(
      SlackClientRefusal,
    );
    expect(app.received.length).toBe(before);
  });

  it('response_action errors keeps the view open and surfaces the errors; update, push and clear apply', async () => {
    const viewId = await openKeepModal();
    app.reply = () => ({ body: { response_action: 'errors', errors: { reason: 'Say why' } } });
    const withErrors = await sim.driver.submitView({ userId: ada.id, viewId, values: { value: ' ' } });
    expect(withErrors.responseAction).toBe('errors');
    expect(withErrors.errors).toEqual({ reason: 'Say why' });
    expect(withErrors.view?.id).toBe(viewId);
    expect(sim.state.views.get(viewId)!.errors).toEqual({ reason: 'Say why' });

    app.reply = () => ({ body: { response_action: 'update', view: { ...keepModal, title: plain('Almost done') } } });
    const updated = await sim.driver.submitView({ userId: ada.id, viewId, values: { value: 'ok' } });
    expect(updated.responseAction).toBe('update');
    expect(updated.view).toMatchObject({ id: viewId, title: { text: 'Almost done' } });

    app.reply = () => ({
      body: {
        response_action: 'push',
        view: { type: 'modal', title: plain('Confirm'), submit: plain('Yes'), blocks: [] },
      },
    });
    const pushed = await sim.driver.submitView({ userId: ada.id, viewId, values: { value: 'ok' } });
    expect(pushed.view).toMatchObject({ title: { text: 'Confirm' }, previous_view_id: viewId });
    expect(sim.state.modalStack(ada.id)).toHaveLength(2);

    app.reply = () => ({ body: { response_action: 'clear' } });
    const cleared = await sim.driver.submitView({ userId: ada.id, viewId: pushed.view!.id });
    expect(cleared.responseAction).toBe('clear');
    expect(sim.state.modalStack(ada.id)).toHaveLength(0);
  });

  it('dismissing a modal sends view_closed only when the view asked for it', async () => {
    const t = sim.state.issueTrigger(ada.id);
    const opened = await client.views.open({
      trigger_id: t.id,
      view: { type: 'modal', title: plain('Bye'), notify_on_close: true, callback_id: 'bye', blocks: [] },
    });
    const res = await sim.driver.closeView({ userId: ada.id, viewId: opened.view!.id! });
    expect(res?.status).toBe(200);
    expect(app.lastPayload()).toMatchObject({
      type: 'view_closed',
      is_cleared: false,
      user: { id: ada.id },
      view: { id: opened.view!.id, callback_id: 'bye' },
    });
    expect(sim.state.modalStack(ada.id)).toHaveLength(0);
    const quietOne = await client.views.open({
      trigger_id: sim.state.issueTrigger(ada.id).id,
      view: { type: 'modal', title: plain('Quiet'), blocks: [] },
    });
    expect(await sim.driver.closeView({ userId: ada.id, viewId: quietOne.view!.id! })).toBeUndefined();
  });

  it('a response_action with an invalid view is rejected as Slack would', async () => {
    const viewId = await openKeepModal();
    app.reply = () => ({ body: { response_action: 'update', view: { ...keepModal, title: plain('x'.repeat(30)) } } });
    const res = await sim.driver.submitView({ userId: ada.id, viewId, values: { value: 'ok' } });
    expect(res.rejected).toMatch(/invalid_arguments/);
    expect(sim.state.views.get(viewId)!.title).toMatchObject({ text: 'Keep access' });
  });

  it('clicks inside a modal and a home tab carry the view container', async () => {
    const viewId = await openKeepModal();
    const res = await sim.driver.clickButton({
      userId: ada.id,
      viewId,
      actionId: 'details',
      values: { reason: { value: 'half-typed' } },
    });
    const p = app.lastPayload();
    expect(p).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: viewId },
      view: { id: viewId, callback_id: 'keep_modal' },
      actions: [{ action_id: 'details', block_id: 'more' }],
    });
    expect(p.view.state.values.reason).toEqual({ value: { type: 'plain_text_input', value: 'half-typed' } });
    expect(p.response_url).toBeUndefined();
    // The trigger from inside the modal can push onto it.
    await client.views.push({
      trigger_id: res.triggerId,
      view: { type: 'modal', title: plain('Details'), blocks: [] },
    });
    expect(sim.state.modalStack(ada.id)).toHaveLength(2);

    const home = await client.views.publish({
      user_id: ada.id,
      view: {
        type: 'home',
        blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'refresh', text: plain('Refresh') }] }],
      },
    });
    await sim.driver.clickButton({ userId: ada.id, viewId: home.view!.id!, actionId: 'refresh' });
    expect(app.lastPayload()).toMatchObject({
      container: { type: 'view', view_id: home.view!.id },
      view: { type: 'home' },
    });
  });

  it('events: event_callback envelope as JSON; url_verification', async () => {
    const res = await sim.driver.appHomeOpened(ada.id);
    expect(res.status).toBe(200);
    expect(app.last().headers['content-type']).toBe('application/json');
    const body = JSON.parse(app.last().raw) as Record<string, any>;
    expect(body).toMatchObject({
      token: sim.verificationToken,
      team_id: sim.state.team.id,
      api_app_id: sim.state.appId,
      type: 'event_callback',
      event_id: res.eventId,
      event_time: expect.any(Number),
      authorizations: [{ team_id: sim.state.team.id, user_id: sim.state.botUserId, is_bot: true }],
      event: {
        type: 'app_home_opened',
        user: ada.id,
        channel: sim.state.dmWith(ada.id)!.id,
        tab: 'home',
        event_ts: expect.any(String),
      },
    });
    app.reply = (r) => ({ body: { challenge: (JSON.parse(r.raw) as { challenge: string }).challenge } });
    const v = await sim.driver.urlVerification('abc123');
    expect(v.body).toEqual({ challenge: 'abc123' });
    expect(JSON.parse(app.last().raw)).toEqual({
      token: sim.verificationToken,
      challenge: 'abc123',
      type: 'url_verification',
    });
  });

  it('retries carry x-slack-retry-num/-reason and the same body', async () => {
    const first = await sim.driver.event({ type: 'app_mention', user: ada.id, text: 'hi', channel: security.id });
    const again = await sim.driver.resend(first.request, { retryNum: 2, retryReason: 'http_error' });
    expect(again.status).toBe(200);
    expect(app.last().raw).toBe(first.request.rawBody);
    expect(app.last().headers['x-slack-retry-num']).toBe('2');
    expect(app.last().headers['x-slack-retry-reason']).toBe('http_error');
    expect(app.last().signatureValid).toBe(true);
  });

  it('security options: bad, missing, foreign-secret and stale signatures', async () => {
    const send = (opts: Parameters<SlackSim['driver']['event']>[1]) =>
      sim.driver.event({ type: 'app_mention', user: ada.id, text: 'hi' }, opts);
    expect((await send({ signature: 'invalid' })).status).toBe(401);
    expect(app.last().signatureValid).toBe(false);
    expect((await send({ signature: 'missing' })).status).toBe(401);
    expect(app.last().headers['x-slack-signature']).toBeUndefined();
    expect((await send({ signingSecret: 'attacker' })).status).toBe(401);
    const stale = await send({ staleBySeconds: 600 });
    expect(stale.status).toBe(401);
    expect(app.last().signatureValid).toBe(true);
    expect(app.last().ageSeconds).toBeGreaterThanOrEqual(600);
  });
});

describe('slack sim: the 3-second acknowledgement window', () => {
  let sim: SlackSim;
  let app: FakeApp;

  beforeAll(async () => {
    sim = await startSlackSim({ ackDeadlineMs: 100 });
    app = new FakeApp(sim.signingSecret);
    await app.start();
    sim.setRequestUrl(app.url);
  });
  afterAll(async () => {
    await app.stop();
    await sim.close();
  });

  it('a late answer is flagged and its response_action ignored, as Slack ignores it', async () => {
    const u = sim.addUser({});
    const t = sim.state.issueTrigger(u.id);
    sim.state.exchangeTrigger(t.id);
    const view = sim.state.openModal(u.id, { type: 'modal', title: plain('Slow'), submit: plain('Go'), blocks: [] });
    app.reply = () => ({ delayMs: 200, body: { response_action: 'clear' } });
    const res = await sim.driver.submitView({ userId: u.id, viewId: view.id });
    expect(res.late).toBe(true);
    expect(res.elapsedMs).toBeGreaterThan(100);
    expect(res.rejected).toMatch(/after/);
    expect(sim.state.modalStack(u.id)).toHaveLength(1);
  });

  it('trigger ids expire with the configured lifetime', async () => {
    const expiring = await startSlackSim({ triggerTtlMs: 20 });
    const t = expiring.state.issueTrigger(expiring.addUser({}).id);
    await new Promise((r) => setTimeout(r, 40));
    expect(() => expiring.state.exchangeTrigger(t.id)).toThrow('expired_trigger_id');
    await expiring.close();
  });
});
