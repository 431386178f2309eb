import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/**
 * The real Bolt app behind its real HTTP receiver, talking to the sim both ways: Bolt's
 * WebClient calls the sim's Web API, and the sim's driver delivers signed requests to Bolt.
 */
describe('slack sim: driving a real Bolt app', () => {
  let sim: SlackSim;
  let app: App;
  let server: Server;
  const seen: Array<{ kind: string; data: unknown }> = [];

  beforeAll(async () => {
    sim = await startSlackSim();
    app = new App({
      token: sim.botToken,
      signingSecret: sim.signingSecret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } },
    });

    app.command('/steward', async ({ ack, command, client, respond }) => {
      await ack();
      seen.push({ kind: 'command', data: command });
      if (command.text === 'keep') {
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
      } else {
        await respond({ text: `You said: ${command.text}` });
      }
    });

    app.action('revoke', async ({ ack, body, respond }) => {
      await ack();
      seen.push({ kind: 'action', data: body });
      await respond({ replace_original: true, text: 'Revoked by <@' + body.user.id + '>' });
    });

    app.view('keep_modal', async ({ ack, view, body }) => {
      const reason = view.state.values.reason?.value?.value ?? '';
      seen.push({ kind: 'view', data: { reason, user: body.user.id } });
      if (reason.trim().length < 3) {
        await ack({ response_action: 'errors', errors: { reason: 'Give a reason' } });
        return;
      }
      await ack();
    });

    app.event('app_home_opened', async ({ event, client, context }) => {
      seen.push({ kind: 'home', data: { user: event.user, retryNum: context.retryNum } });
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your reviews' } }] },
      });
    });

    server = await app.start({ port: 0, host: '127.0.0.1' });
    sim.setRequestUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
  });

  afterAll(async () => {
    await app.stop();
    await sim.close();
  });

  it('a slash command reaches app.command and respond() lands as an ephemeral reply', async () => {
    const ada = sim.addUser({ name: 'ada' });
    const res = await sim.driver.slashCommand({ userId: ada.id, text: 'status' });
    expect(res.status).toBe(200);
    expect(res.late).toBe(false);
    await vi.waitFor(() => expect(res.responses()).toHaveLength(1));
    expect(res.responses()[0]).toMatchObject({ outcome: 'ephemeral', body: { text: 'You said: status' } });
    expect(sim.state.ephemeralsFor(ada.id).map((e) => e.text)).toContain('You said: status');
    expect(seen.find((s) => s.kind === 'command')?.data).toMatchObject({
      command: '/steward',
      text: 'status',
      user_id: ada.id,
    });
  });

  it('a button click reaches app.action and replace_original edits the message', async () => {
    const grace = sim.addUser({ name: 'grace' });
    const channel = sim.addChannel({ name: 'security', members: [grace.id] });
    const posted = await app.client.chat.postMessage({
      channel: channel.id,
      text: 'Unowned key',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'revoke', text: plain('Revoke'), style: 'danger', value: 'key-1' }],
        },
      ],
    });
    const res = await sim.driver.clickButton({
      userId: grace.id,
      channel: channel.id,
      ts: posted.ts!,
      actionId: 'revoke',
    });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(sim.state.message(channel.id, posted.ts!)?.text).toBe(`Revoked by <@${grace.id}>`));
    expect(sim.state.message(channel.id, posted.ts!)?.blocks).toBeUndefined();
    const body = seen.find((s) => s.kind === 'action')?.data as {
      actions: Array<{ value: string }>;
      message: { ts: string };
    };
    expect(body.actions[0]!.value).toBe('key-1');
    expect(body.message.ts).toBe(posted.ts);
  });

  it('a modal opened from a command is submitted to app.view; errors come back, then it closes', async () => {
    const lin = sim.addUser({ name: 'lin' });
    await sim.driver.slashCommand({ userId: lin.id, text: 'keep' });
    await vi.waitFor(() => expect(sim.state.modalStack(lin.id)).toHaveLength(1));
    const view = sim.state.modalStack(lin.id)[0]!;
    const rejected = await sim.driver.submitView({
      userId: lin.id,
      viewId: view.id,
      values: { reason: { value: 'no' } },
    });
    expect(rejected.responseAction).toBe('errors');
    expect(rejected.errors).toEqual({ reason: 'Give a reason' });
    expect(sim.state.modalStack(lin.id)).toHaveLength(1);
    const accepted = await sim.driver.submitView({
      userId: lin.id,
      viewId: view.id,
      values: { reason: { value: 'used nightly by CI' } },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.view).toBeUndefined();
    expect(sim.state.modalStack(lin.id)).toHaveLength(0);
    expect(seen.filter((s) => s.kind === 'view').map((s) => s.data)).toEqual([
      { reason: 'no', user: lin.id },
      { reason: 'used nightly by CI', user: lin.id },
    ]);
  });

  it('app_home_opened reaches app.event, which publishes the home tab; retries are visible to the app', async () => {
    const mo = sim.addUser({ name: 'mo' });
    const res = await sim.driver.appHomeOpened(mo.id);
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(sim.state.homeView(mo.id)?.blocks).toHaveLength(1));
    await sim.driver.resend(res.request, { retryNum: 1, retryReason: 'http_timeout' });
    await vi.waitFor(() =>
      expect(seen.filter((s) => s.kind === 'home' && (s.data as { user: string }).user === mo.id)).toHaveLength(2),
    );
    expect(seen.filter((s) => s.kind === 'home').map((s) => (s.data as { retryNum?: number }).retryNum)).toContain(1);
  });

  it('Bolt answers url_verification with the challenge', async () => {
    const res = await sim.driver.urlVerification('c-123');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: 'c-123' });
  });

  it('Bolt refuses bad, missing and stale signatures with 401', async () => {
    const before = seen.length;
    const user = sim.addUser({}).id;
    expect((await sim.driver.slashCommand({ userId: user, text: 'x' }, { signature: 'invalid' })).status).toBe(401);
    expect(
      (await sim.driver.event({ type: 'app_home_opened', user, tab: 'home' }, { signingSecret: 'not-the-secret' }))
        .status,
    ).toBe(401);
    expect(
      (await sim.driver.event({ type: 'app_home_opened', user, tab: 'home' }, { staleBySeconds: 360 })).status,
    ).toBe(401);
    const missing = await sim.driver.event({ type: 'app_home_opened', user, tab: 'home' }, { signature: 'missing' });
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(seen.length).toBe(before);
  });

  it('Bolt authorised itself with auth.test against the sim (lazily, on its first request)', () => {
    expect(sim.calls.list('auth.test').some((c) => c.ok && c.auth === 'bearer')).toBe(true);
  });
});
