import { App, LogLevel, SocketModeReceiver, type Logger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text });

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/**
 * The real Bolt app in Socket Mode against the sim. Bolt's App copies its `clientOptions`
 * into `installerOptions.clientOptions`, which SocketModeReceiver hands to its
 * SocketModeClient; that client's WebClient calls apps.connections.open at `slackApiUrl`
 * and connects to whatever URL the answer names. So `clientOptions.slackApiUrl` is all it
 * takes for both the bot's calls and the socket.
 */
describe('slack sim socket mode: driving a real Bolt app over the WebSocket', () => {
  let sim: SlackSim;
  let app: App;
  const seen: Array<{ kind: string; data: unknown }> = [];

  beforeAll(async () => {
    sim = await startSlackSim({ socketMode: true });
    app = new App({
      socketMode: true,
      appToken: sim.appToken,
      token: sim.botToken,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } },
    });

    app.command('/steward', async ({ ack, command, client }) => {
      seen.push({ kind: 'command', data: command });
      if (command.text === 'keep') {
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'keep_modal',
            title: plain('Keep access'),
            submit: plain('Keep'),
            blocks: [
              {
                type: 'input',
                block_id: 'reason',
                label: plain('Reason'),
                element: { type: 'plain_text_input', action_id: 'value' },
              },
            ],
          },
        });
        return;
      }
      await ack({ text: `Working on: ${command.text}` });
    });

    app.action('revoke', async ({ ack, body, respond }) => {
      await ack();
      seen.push({ kind: 'action', data: body });
      await respond({ replace_original: true, text: `Revoked by <@${body.user.id}>` });
    });

    app.view('keep_modal', async ({ ack, view }) => {
      const reason = view.state.values.reason?.value?.value ?? '';
      seen.push({ kind: 'view', data: reason });
      if (reason.trim().length < 3) {
        await ack({ response_action: 'errors', errors: { reason: 'Give a reason' } });
        return;
      }
      await ack();
    });

    app.event('app_home_opened', async ({ event, client, context }) => {
      seen.push({
        kind: 'home',
        data: { user: event.user, retryNum: context.retryNum, retryReason: context.retryReason },
      });
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your reviews' } }] },
      });
    });

    // Resolves once the sim's socket has said hello.
    await app.start();
  });

  afterAll(async () => {
    await app.stop();
    await sim.close();
  });

  it('start() opened the socket through apps.connections.open with the app token, and Slack said hello', () => {
    const opens = sim.calls.list('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ ok: true, auth: 'bearer' });
    expect(sim.socket.connected).toBe(true);
    expect(sim.socket.connections).toHaveLength(1);
    expect(sim.socket.connections[0]!.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f-]{36}&app_id=A/);
    const hello = sim.socket.frames.find((f) => f.direction === 'sent')?.data;
    expect(hello).toMatchObject({
      type: 'hello',
      num_connections: 1,
      debug_info: { host: expect.any(String), approximate_connection_time: 18060 },
      connection_info: { app_id: sim.state.appId },
    });
  });

  it('a slash command reaches app.command and the text it acks with is shown to the user', async () => {
    const ada = sim.addUser({ name: 'ada' });
    const res = await sim.driver.slashCommand({ userId: ada.id, text: 'status' });
    expect(res.status).toBe(200);
    expect(res.late).toBe(false);
    expect(res.body).toEqual({ text: 'Working on: status' });
    expect(res.responses()).toMatchObject([{ outcome: 'ephemeral', body: { text: 'Working on: status' } }]);
    expect(sim.state.ephemeralsFor(ada.id).map((e) => e.text)).toContain('Working on: status');
    expect(seen.find((s) => s.kind === 'command')?.data).toMatchObject({
      command: '/steward',
      text: 'status',
      user_id: ada.id,
    });

    // On the wire: a slash_commands envelope acked with the reply as its payload.
    const envelope = JSON.parse(res.request.rawBody) as Record<string, unknown>;
    expect(Object.keys(envelope)).toEqual(['envelope_id', 'payload', 'type', 'accepts_response_payload']);
    expect(envelope).toMatchObject({
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { command: '/steward', text: 'status', user_id: ada.id },
    });
    expect(res.socket?.ack).toEqual({ envelope_id: envelope.envelope_id, payload: { text: 'Working on: status' } });
  });

  it('a button click reaches app.action (interactive envelope) and respond() edits the message', async () => {
    const grace = sim.addUser({ name: 'grace' });
    const channel = sim.addChannel({ name: 'security', members: [grace.id] });
    const posted = await app.client.chat.postMessage({
      channel: channel.id,
      text: 'Unowned key',
      blocks: [
        { type: 'actions', elements: [{ type: 'button', action_id: 'revoke', text: plain('Revoke'), value: 'key-1' }] },
      ],
    });
    const res = await sim.driver.clickButton({
      userId: grace.id,
      channel: channel.id,
      ts: posted.ts!,
      actionId: 'revoke',
    });
    expect(res.status).toBe(200);
    expect(res.body).toBeUndefined(); // a bare ack() is `payload: {}` on the wire, nothing to apply
    expect(JSON.parse(res.request.rawBody)).toMatchObject({
      type: 'interactive',
      accepts_response_payload: false,
      payload: { type: 'block_actions' },
    });
    await vi.waitFor(() => expect(sim.state.message(channel.id, posted.ts!)?.text).toBe(`Revoked by <@${grace.id}>`));
    const body = seen.find((s) => s.kind === 'action')?.data as { actions: Array<{ value: string }> };
    expect(body.actions[0]!.value).toBe('key-1');
  });

  it('a view submission acked with response_action: errors keeps the modal open with the errors; a good one closes it', async () => {
    const lin = sim.addUser({ name: 'lin' });
    await sim.driver.slashCommand({ userId: lin.id, text: 'keep' });
    await vi.waitFor(() => expect(sim.state.modalStack(lin.id)).toHaveLength(1));
    const view = sim.state.modalStack(lin.id)[0]!;

    const rejected = await sim.driver.submitView({
      userId: lin.id,
      viewId: view.id,
      values: { reason: { value: 'no' } },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.responseAction).toBe('errors');
    expect(rejected.errors).toEqual({ reason: 'Give a reason' });
    expect(rejected.rejected).toBeUndefined();
    expect(sim.state.modalStack(lin.id)).toHaveLength(1);
    expect(JSON.parse(rejected.request.rawBody)).toMatchObject({
      type: 'interactive',
      accepts_response_payload: true,
      payload: { type: 'view_submission' },
    });

    const accepted = await sim.driver.submitView({
      userId: lin.id,
      viewId: view.id,
      values: { reason: { value: 'used nightly by CI' } },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.view).toBeUndefined();
    expect(sim.state.modalStack(lin.id)).toHaveLength(0);
  });

  it('app_home_opened reaches app.event; a resent envelope carries retry_attempt 1 and Bolt sees it', async () => {
    const mo = sim.addUser({ name: 'mo' });
    const res = await sim.driver.appHomeOpened(mo.id);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.request.rawBody)).toMatchObject({
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
      payload: { type: 'event_callback', event: { type: 'app_home_opened', user: mo.id } },
    });
    await vi.waitFor(() => expect(sim.state.homeView(mo.id)?.blocks).toHaveLength(1));

    const retry = await sim.driver.resend(res.request);
    expect(retry.status).toBe(200);
    const frame = JSON.parse(retry.request.rawBody) as Record<string, unknown>;
    expect(frame).toMatchObject({
      type: 'events_api',
      retry_attempt: 1,
      retry_reason: 'timeout',
      payload: { event_id: res.eventId },
    });
    expect(frame.envelope_id).not.toBe(JSON.parse(res.request.rawBody).envelope_id);
    await vi.waitFor(() => expect(seen.filter((s) => s.kind === 'home')).toHaveLength(2));
    expect(seen.filter((s) => s.kind === 'home').map((s) => s.data)).toContainEqual({
      user: mo.id,
      retryNum: 1,
      retryReason: 'timeout',
    });
  });

  it('a refresh_requested disconnect makes the client reconnect through apps.connections.open, and delivery goes on', async () => {
    const before = sim.calls.count('apps.connections.open');
    const old = sim.socket.connections[sim.socket.connections.length - 1]!;
    const result = await sim.socket.disconnect('refresh_requested');
    expect(result.notified).toEqual([old.id]);
    expect(result.reconnected).toBe(true);
    expect(result.newConnection).not.toBe(old.id);
    expect(sim.calls.count('apps.connections.open')).toBe(before + 1);
    expect(old.open).toBe(false);
    expect(old.closeCode).toBe(1000); // the client closed politely on its own
    expect(
      sim.socket.frames.some((f) => f.connection === old.id && (f.data as { type?: string }).type === 'disconnect'),
    ).toBe(true);

    const kim = sim.addUser({ name: 'kim' });
    const res = await sim.driver.slashCommand({ userId: kim.id, text: 'after refresh' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ text: 'Working on: after refresh' });
    expect(res.socket?.connection).toBe(result.newConnection);
  }, 30_000);
});

describe('slack sim socket mode: app tokens', () => {
  let sim: SlackSim;
  beforeAll(async () => {
    sim = await startSlackSim({ socketMode: true, appToken: 'xapp-1-A0TEST-1-abc' });
  });
  afterAll(() => sim.close());

  it('a wrong app token fails Bolt start() with invalid_auth (the client does not retry it)', async () => {
    const app = new App({
      socketMode: true,
      appToken: 'xapp-1-A0TEST-1-wrong',
      token: sim.botToken,
      logger: quiet,
      clientOptions: { slackApiUrl: sim.apiUrl },
    });
    await expect(app.start()).rejects.toThrow(/invalid_auth/);
    expect(sim.calls.list('apps.connections.open').map((c) => c.error)).toEqual(['invalid_auth']);
    expect(sim.socket.connections).toHaveLength(0);
    await app.stop();
  });

  it('apps.connections.open: no token is not_authed, the bot token is not_allowed_token_type; the app token works nowhere else', async () => {
    const anon = new WebClient(undefined, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
    await expect(anon.apps.connections.open({})).rejects.toMatchObject({ data: { error: 'not_authed' } });
    const bot = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
    await expect(bot.apps.connections.open({})).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    const appLevel = new WebClient(sim.appToken, { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } });
    await expect(appLevel.auth.test()).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    const ok = await appLevel.apps.connections.open({});
    expect(ok.url).toMatch(/^ws:\/\//);
    // The token never lands in the call log.
    expect(JSON.stringify(sim.calls.list())).not.toContain(sim.appToken);
  });

  it('Steward-style wiring (an explicit SocketModeReceiver with installerOptions.clientOptions) connects too', async () => {
    const receiver = new SocketModeReceiver({
      appToken: sim.appToken,
      logger: quiet,
      installerOptions: { clientOptions: { slackApiUrl: sim.apiUrl } },
    });
    const app = new App({ token: sim.botToken, receiver, logger: quiet, clientOptions: { slackApiUrl: sim.apiUrl } });
    app.command('/steward', async ({ ack }) => ack('ok'));
    await app.start();
    try {
      const res = await sim.driver.slashCommand({ userId: sim.addUser({}).id });
      expect(res.body).toEqual({ text: 'ok' }); // SocketModeClient wraps a string ack as { text }
    } finally {
      await app.stop();
    }
  });
});

/** A bare `ws` client speaking the protocol by hand, for what Bolt cannot show: timing, tickets, closes. */
class RawApp {
  received: Array<Record<string, unknown>> = [];
  onEnvelope: (e: Record<string, unknown>, ws: WebSocket) => void = () => {};
  ws!: WebSocket;

  static async connect(sim: SlackSim): Promise<RawApp> {
    const raw = new RawApp();
    const { url } = (await new WebClient(sim.appToken, { slackApiUrl: sim.apiUrl }).apps.connections.open({})) as {
      url: string;
    };
    raw.ws = new WebSocket(url);
    const hello = new Promise<void>((resolve) => {
      raw.ws.on('message', (data) => {
        const msg = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
        raw.received.push(msg);
        if (msg.type === 'hello') resolve();
        else if (typeof msg.envelope_id === 'string') raw.onEnvelope(msg, raw.ws);
      });
    });
    await hello;
    return raw;
  }

  close(): void {
    this.ws.close();
  }
}

describe('slack sim socket mode: the protocol by hand', () => {
  let sim: SlackSim;
  let raw: RawApp | undefined;
  beforeAll(async () => {
    sim = await startSlackSim({ socketMode: true, ackDeadlineMs: 200 });
  });
  afterEach(() => raw?.close());
  afterAll(() => sim.close());

  it('with no connection open the driver says so instead of falling back to HTTP', async () => {
    const user = sim.addUser({}).id;
    await expect(sim.driver.slashCommand({ userId: user })).rejects.toThrow(/no app connection is open/);
  });

  it('an ack after the deadline is late (the submission is rejected); no ack at all is status 0', async () => {
    raw = await RawApp.connect(sim);
    raw.onEnvelope = (e, ws) =>
      setTimeout(
        () => ws.send(JSON.stringify({ envelope_id: e.envelope_id, payload: { response_action: 'clear' } })),
        300,
      );
    const user = sim.addUser({}).id;
    const opened = sim.state.openModal(user, { type: 'modal', title: plain('T'), submit: plain('Go'), blocks: [] });
    const late = await sim.driver.submitView({ userId: user, viewId: opened.id });
    expect(late.status).toBe(200);
    expect(late.late).toBe(true);
    expect(late.rejected).toMatch(/after \d+ ms/);
    expect(sim.state.modalStack(user)).toHaveLength(1);

    raw.onEnvelope = () => {};
    const silent = await sim.driver.event({ type: 'app_home_opened', user, tab: 'home' }, { timeoutMs: 150 });
    expect(silent.status).toBe(0);
    expect(silent.late).toBe(true);
    expect(silent.socket?.ack).toBeUndefined();
  });

  it('an envelope in flight when the app drops the socket resolves unacked, without waiting for its timeout', async () => {
    raw = await RawApp.connect(sim);
    raw.onEnvelope = (_e, ws) => ws.terminate();
    // A delivery timeout of a day: the only way this call can return within the test is the
    // socket closing under the envelope.
    const res = await sim.driver.event(
      { type: 'app_home_opened', user: sim.addUser({}).id, tab: 'home' },
      { timeoutMs: 24 * 3_600_000 },
    );
    expect(res.status).toBe(0);
    expect(res.socket?.ack).toBeUndefined();
    await vi.waitFor(() => expect(sim.socket.connected).toBe(false));
  });

  it('tickets are single use, and transport: http still reaches the Request URL in socket mode', async () => {
    const { url } = (await new WebClient(sim.appToken, { slackApiUrl: sim.apiUrl }).apps.connections.open({})) as {
      url: string;
    };
    const first = new WebSocket(url);
    await new Promise((resolve) => first.once('open', resolve));
    const second = new WebSocket(url);
    second.on('error', () => {});
    const status = await new Promise<number>((resolve) =>
      second.once('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      }),
    );
    expect(status).toBe(401);
    first.close();

    const http = await sim.driver.event(
      { type: 'app_home_opened', user: sim.addUser({}).id, tab: 'home' },
      { transport: 'http', url: `${sim.baseUrl}/nowhere` },
    );
    expect(http.status).toBe(404);
    expect(http.socket).toBeUndefined();
  });

  it('a warning disconnect goes to the named connection only; the sim closes it if the app lingers', async () => {
    raw = await RawApp.connect(sim);
    const conn = sim.socket.connections[sim.socket.connections.length - 1]!;
    const result = await sim.socket.disconnect('warning', {
      connection: conn.id,
      awaitReconnect: false,
      closeAfterMs: 50,
    });
    expect(result).toMatchObject({ notified: [conn.id], reconnected: false });
    await vi.waitFor(() =>
      expect(raw!.received.some((m) => m.type === 'disconnect' && m.reason === 'warning')).toBe(true),
    );
    await vi.waitFor(() => expect(conn.open).toBe(false));
    expect(conn.closeCode).toBe(1001);
  });
});
