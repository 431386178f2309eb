/**
 * The page server without a browser: what it reads from the Slack simulator, what it pushes
 * on its event stream, and the clear refusal every bad request gets (nothing is delivered to
 * the app and nothing changes in the workspace).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxPage, type SandboxPage } from '../../src/sandbox/page/index.js';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { eventually } from '../helpers/eventually.js';
import { simClient } from '../helpers/slack-client.js';
import { startStandInApp, type StandInApp } from './stand-in-app.js';

describe('sandbox page server', { timeout: 30_000 }, () => {
  let app: StandInApp;
  let sim: SlackSim;
  let page: SandboxPage;
  let ada: string;
  let bob: string;
  let gone: string;
  let security: string;
  let adaDm: string;

  const api = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(path, page.url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      json: text.startsWith('{') ? (JSON.parse(text) as Record<string, any>) : null,
    };
  };
  /** A raw path, not normalised by a URL parser. */
  const rawGet = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const u = new URL(page.url);
      const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    app = await startStandInApp(() => sim.signingSecret);
    // Rate limits are off (the default): these tests are about the page, not Slack's tiers.
    sim = await startSlackSim({ requestUrl: app.url, ackDeadlineMs: 300 });
    ada = sim.addUser({ name: 'ada', real_name: 'Ada Lovelace' }).id;
    bob = sim.addUser({ name: 'bob', real_name: 'Bob Martin' }).id;
    gone = sim.addUser({ name: 'gone', real_name: 'Gone Person', deleted: true }).id;
    security = sim.addChannel({ name: 'security', members: [ada] }).id;
    adaDm = sim.state.openDm(ada).id;
    page = await startSandboxPage({ sim, homeChannel: 'security' });
  });
  afterAll(async () => {
    await page?.close();
    await sim?.close();
    await app?.close();
  });

  it('serves the workspace, threads under their parent, and each person only their own ephemerals', async () => {
    const web = simClient(sim);
    const parent = (await web.chat.postMessage({ channel: security, text: 'parent' })).ts!;
    await web.chat.postMessage({ channel: security, text: 'a reply', thread_ts: parent });
    await web.chat.postEphemeral({ channel: security, user: ada, text: 'for ada only' });
    const ws = await api('/api/workspace');
    expect(ws.json!.homeChannel).toBe(security);
    expect(ws.json!.features).toEqual({ org: false, time: false });
    expect(ws.json!.users.map((u: { id: string }) => u.id)).toEqual(
      expect.arrayContaining([ada, bob, sim.state.botUserId]),
    );
    const asAda = (await api(`/api/conversations/${security}?as=${ada}`)).json!;
    expect(asAda.messages).toHaveLength(1);
    expect(asAda.messages[0].replies.map((r: { text: string }) => r.text)).toEqual(['a reply']);
    expect(asAda.ephemerals.map((e: { text: string }) => e.text)).toEqual(['for ada only']);
    expect((await api(`/api/conversations/${security}?as=${bob}`)).json!.ephemerals).toEqual([]);
    expect((await api('/api/conversations/C404?as=x')).status).toBe(404);
  });

  it('pushes each workspace change on the event stream', async () => {
    const res = await fetch(new URL('/api/events', page.url));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const seen: string[] = [];
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        seen.push(new TextDecoder().decode(value));
      }
    })();
    const ts = (await simClient(sim).chat.postMessage({ channel: adaDm, text: 'hello' })).ts!;
    await eventually(() => seen.join('').includes(`"kind":"message.posted","channel":"${adaDm}","ts":"${ts}"`), {
      what: 'the message.posted event',
    });
    await reader.cancel();
    await reading;
  });

  it('refuses who nobody can act as, naming the field', async () => {
    const click = { actionId: 'a', channel: security, ts: '1.000100' };
    expect((await api('/api/click', { ...click, as: 'U404' })).json).toMatchObject({
      error: 'unknown_user',
      message: expect.stringContaining('"as"'),
    });
    expect((await api('/api/click', { ...click, as: sim.state.botUserId })).status).toBe(400);
    expect((await api('/api/click', { ...click, as: gone })).json).toMatchObject({ error: 'user_deactivated' });
    expect((await api('/api/click', { ...click })).json).toMatchObject({
      error: 'invalid_field',
      message: '"as" must be a non-empty string',
    });
    expect((await api('/api/submit', { as: ada, viewId: 'V1', values: { b: { a: 3 } } })).json).toMatchObject({
      error: 'invalid_values',
    });
    expect((await api('/api/click', 'not json')).json).toMatchObject({ error: 'invalid_json' });
    expect((await api('/api/click', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect(app.received).toHaveLength(0);
  });

  it('refuses what no Slack client could do, and reports an app that answers late or not at all', async () => {
    expect((await api('/api/click', { as: ada, actionId: 'a', channel: security, ts: '1.000100' })).json).toMatchObject(
      {
        error: 'not_possible',
      },
    );
    expect((await api('/api/message', { as: ada, channel: adaDm, text: 'hi' })).json).toMatchObject({
      error: 'messages_tab_read_only',
    });
    expect((await api('/api/message', { as: bob, channel: security, text: 'hi' })).json).toMatchObject({
      error: 'not_in_channel',
    });
    expect((await api('/api/command', { as: ada, text: '/deploy prod' })).json).toMatchObject({
      error: 'unknown_command',
    });
    expect((await api('/api/command', { as: ada, text: 'steward status' })).json).toMatchObject({
      error: 'not_a_command',
    });
    expect(app.received).toHaveLength(0);

    const posted = await api('/api/message', { as: ada, channel: security, text: 'a <b>&' });
    expect(posted.status).toBe(200);
    expect(sim.state.message(security, posted.json!.ts as string)!.text).toBe('a &lt;b&gt;&amp;');

    app.answer = () => ({ status: 500 });
    expect((await api('/api/command', { as: ada, text: '/steward status' })).json).toMatchObject({
      ok: true,
      failure: 'Steward answered HTTP 500',
    });
    // This sim waits 300 ms for an acknowledgement (Slack: 3 s).
    app.answer = () => ({ delayMs: 600 });
    expect((await api('/api/command', { as: ada, text: '/steward status' })).json).toMatchObject({
      ok: true,
      late: true,
      failure: expect.stringMatching(/^Steward answered after \d+ ms; Slack gives up after 3 seconds$/),
    });
    app.answer = () => undefined;
    const original = app.url;
    sim.setRequestUrl('http://127.0.0.1:9/slack/events');
    try {
      expect((await api('/api/command', { as: ada, text: '/steward help' })).json).toMatchObject({
        error: 'app_unreachable',
      });
    } finally {
      sim.setRequestUrl(original);
    }
  });

  it('refuses a clock or panel it was not given, and bad days', async () => {
    expect((await api('/api/time/advance', { days: 1 })).json).toMatchObject({ error: 'time_not_configured' });
    expect((await api('/api/org')).json).toMatchObject({ error: 'org_not_configured' });
    expect((await api('/org/decisions.csv')).status).toBe(404);
    const withClock = await startSandboxPage({
      sim,
      time: { now: () => new Date(0), advance: async (days) => ({ now: new Date(days * 86_400_000), ran: [] }) },
    });
    try {
      for (const days of [0, 1.5, '7', 32])
        expect(
          (
            await fetch(new URL('/api/time/advance', withClock.url), {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ days }),
            })
          ).status,
        ).toBe(400);
      const ok = await fetch(new URL('/api/time/advance', withClock.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ days: 7 }),
      });
      expect(await ok.json()).toEqual({ ok: true, now: new Date(7 * 86_400_000).toISOString(), ran: [] });
    } finally {
      await withClock.close();
    }
  });

  it('serves the page files with a content security policy, and nothing else from disk', async () => {
    const index = await api('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await api('/render/mrkdwn.js')).headers.get('content-type')).toContain('text/javascript');
    for (const path of [
      '/render/mrkdwn.test.ts',
      '/types.d.ts',
      '/tsconfig.json',
      '/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/../../../package.json',
      '/..%2f..%2f..%2fpackage.json',
    ])
      expect([path, await rawGet(path)]).toEqual([path, 404]);
  });
});
