import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { simClient, slackErrorOf } from '../helpers/slack-client.js';

type Msg = { ts: string; text: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } };
type History = { messages: Msg[]; has_more: boolean; latest?: string; response_metadata?: { next_cursor?: string } };

/** Seconds for the ts of the n-th message the sim posts (its clock moves one second per post). */
const T0 = 1_700_000_000;

describe('slack sim: conversations.history and message metadata, through WebClient', () => {
  let sim: SlackSim;
  let client: WebClient;
  let clock = T0 * 1000;
  let security: string;

  beforeAll(async () => {
    sim = await startSlackSim({ now: () => clock });
    client = simClient(sim);
    security = sim.addChannel({ name: 'security' }).id;
  });
  afterAll(async () => {
    await sim.close();
  });

  async function post(channel: string, text: string, extra: Record<string, unknown> = {}): Promise<string> {
    clock += 1000;
    const res = await client.chat.postMessage({ channel, text, ...extra });
    return res.ts!;
  }

  it('posts metadata as Slack documents it and reads it back whole with include_all_metadata', async () => {
    const metadata = { event_type: 'audit_chain_head', event_payload: { seq: 42, hash: 'ab12cd' } };
    const ts = await post(security, 'Audit chain head: #42', { metadata });
    // Sent the way WebClient sends it (a JSON-encoded form field), stored as an object.
    expect(sim.calls.last('chat.postMessage')?.args.metadata).toEqual(metadata);

    const full = (await client.conversations.history({
      channel: security,
      include_all_metadata: true,
    })) as unknown as History;
    expect(full.messages.find((m) => m.ts === ts)?.metadata).toEqual(metadata);

    // "If you do not pass include_all_metadata=true, you will receive the event_type field only."
    const bare = (await client.conversations.history({ channel: security })) as unknown as History;
    expect(bare.messages.find((m) => m.ts === ts)?.metadata).toEqual({ event_type: 'audit_chain_head' });
  });

  it('refuses metadata that is not JSON (invalid_metadata_format) or lacks event_type/event_payload (invalid_metadata_schema)', async () => {
    const channel = sim.addChannel({ name: 'meta-errors' }).id;
    const raw = async (metadata: string) => {
      const res = await fetch(`${sim.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.botToken}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channel, text: 'x', metadata }).toString(),
      });
      return (await res.json()) as { ok: boolean; error?: string };
    };
    expect(await raw('{not json')).toMatchObject({ ok: false, error: 'invalid_metadata_format' });
    expect(await raw('[1,2]')).toMatchObject({ ok: false, error: 'invalid_metadata_format' });
    expect(await raw('{"event_type":"x"}')).toMatchObject({ ok: false, error: 'invalid_metadata_schema' });
    expect(await raw('{"event_payload":{}}')).toMatchObject({ ok: false, error: 'invalid_metadata_schema' });
    expect(await raw('{"event_type":"x","event_payload":"flat"}')).toMatchObject({
      ok: false,
      error: 'invalid_metadata_schema',
    });
    // Nothing was posted by the refused calls.
    expect(sim.state.history(channel)).toEqual([]);
  });

  it('chat.update keeps metadata it is not given and removes it for an empty object', async () => {
    const channel = sim.addChannel({ name: 'meta-update' }).id;
    const metadata = { event_type: 'kept', event_payload: { n: 1 } };
    const ts = await post(channel, 'one', { metadata });
    await client.chat.update({ channel, ts, text: 'edited' });
    expect(sim.state.message(channel, ts)?.metadata).toEqual(metadata);
    await client.chat.update({ channel, ts, text: 'edited again', metadata: {} as never });
    expect(sim.state.message(channel, ts)?.metadata).toBeUndefined();
  });

  it('returns newest first, pages with cursors (limit, has_more, next_cursor) and reads every message once', async () => {
    const channel = sim.addChannel({ name: 'paged' }).id;
    const posted: string[] = [];
    for (let i = 0; i < 7; i++) posted.push(await post(channel, `m${i}`));
    const first = (await client.conversations.history({ channel, limit: 3 })) as unknown as History;
    expect(first.messages.map((m) => m.text)).toEqual(['m6', 'm5', 'm4']);
    expect(first.has_more).toBe(true);
    expect(first.response_metadata?.next_cursor).toMatch(/=*$/);

    const seen: string[] = [];
    let pages = 0;
    for await (const page of client.paginate('conversations.history', { channel, limit: 3 })) {
      pages += 1;
      for (const m of (page as unknown as History).messages) seen.push(m.ts);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...posted].reverse());
    const last = (await client.conversations.history({
      channel,
      limit: 3,
      cursor: first.response_metadata!.next_cursor!,
    })) as unknown as History;
    expect(last.messages.map((m) => m.text)).toEqual(['m3', 'm2', 'm1']);
  });

  it('oldest/latest bound the range, exclusive unless inclusive=true; the documented single-message read', async () => {
    const channel = sim.addChannel({ name: 'ranged' }).id;
    const ts: string[] = [];
    for (let i = 0; i < 5; i++) ts.push(await post(channel, `r${i}`));
    const texts = async (args: Record<string, unknown>) =>
      ((await client.conversations.history({ channel, ...args })) as unknown as History).messages.map((m) => m.text);
    expect(await texts({ oldest: ts[1], latest: ts[3] })).toEqual(['r2']);
    expect(await texts({ oldest: ts[1], latest: ts[3], inclusive: true })).toEqual(['r3', 'r2', 'r1']);
    // Whole seconds work as bounds too (r3 was posted at exactly that second).
    expect(await texts({ oldest: ts[3]!.split('.')[0] })).toEqual(['r4']);
    // "Set oldest to the ts, set inclusive to true, set limit to 1."
    expect(await texts({ oldest: ts[2], inclusive: true, limit: 1 })).toEqual(['r4']);
    const single = (await client.conversations.history({
      channel,
      latest: ts[2],
      inclusive: true,
      limit: 1,
    })) as unknown as History;
    expect(single.messages.map((m) => m.text)).toEqual(['r2']);
    expect(single.latest).toBe(ts[2]);
  });

  it('leaves thread replies to their thread and shows edits', async () => {
    const channel = sim.addChannel({ name: 'threaded' }).id;
    const parent = await post(channel, 'parent');
    await post(channel, 'reply', { thread_ts: parent });
    await client.chat.update({ channel, ts: parent, text: 'parent (edited)' });
    const res = (await client.conversations.history({ channel })) as unknown as History & {
      messages: Array<Msg & { reply_count?: number; edited?: unknown }>;
    };
    expect(res.messages.map((m) => m.text)).toEqual(['parent (edited)']);
    expect(res.messages[0]).toMatchObject({ reply_count: 1, edited: { user: sim.state.botUserId } });
  });

  it('reads the DM a chat.postMessage to a user id opened', async () => {
    const u = sim.addUser({ email: 'dm-history@example.com' });
    const posted = await client.chat.postMessage({ channel: u.id, text: 'hello' });
    const res = (await client.conversations.history({ channel: posted.channel! })) as unknown as History;
    expect(res.messages.map((m) => m.text)).toEqual(['hello']);
  });

  it('documented errors: channel_not_found, not_in_channel, invalid_cursor, invalid_ts_oldest, invalid_ts_latest', async () => {
    const outside = sim.addChannel({ name: 'outside', botMember: false }).id;
    const hidden = sim.addChannel({ name: 'hidden', is_private: true, botMember: false }).id;
    const error = async (args: Record<string, unknown>) =>
      (await slackErrorOf(client.conversations.history(args as never))).error;
    expect(await error({ channel: 'CNOPE00000' })).toBe('channel_not_found');
    expect(await error({ channel: hidden })).toBe('channel_not_found');
    expect(await error({ channel: outside })).toBe('not_in_channel');
    expect(await error({ channel: security, cursor: 'bm90LWEtY3Vyc29y' })).toBe('invalid_cursor');
    expect(await error({ channel: security, oldest: 'yesterday' })).toBe('invalid_ts_oldest');
    expect(await error({ channel: security, latest: '12:00' })).toBe('invalid_ts_latest');
  });
});
