import { LogLevel, WebAPIPlatformError, WebClient, type Logger } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSim, validateBlocks, validateView, type SlackSim } from '../../src/sim/slack/index.js';

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: actionId,
  text: plain('Keep'),
  ...extra,
});
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const confirm = (over: Record<string, unknown> = {}) => ({
  title: plain('Sure?'),
  text: mrkdwn('Really revoke?'),
  confirm: plain('Revoke'),
  deny: plain('Cancel'),
  style: 'danger',
  ...over,
});
const x = (n: number) => 'x'.repeat(n);

/** Each limit: a payload exactly at the limit (accepted) and one past it (refused, at `pointer`). */
const MESSAGE_CASES: Array<{ name: string; ok: unknown[]; bad: unknown[]; pointer: string }> = [
  {
    name: '50 blocks per message',
    ok: Array.from({ length: 50 }, () => ({ type: 'divider' })),
    bad: Array.from({ length: 51 }, () => ({ type: 'divider' })),
    pointer: '/blocks',
  },
  { name: 'section text ≤ 3000', ok: [section(x(3000))], bad: [section(x(3001))], pointer: '/blocks/0/text/text' },
  {
    name: 'section fields ≤ 10',
    ok: [{ type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn('f')) }],
    bad: [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }],
    pointer: '/blocks/0/fields',
  },
  {
    name: 'section field text ≤ 2000',
    ok: [{ type: 'section', fields: [mrkdwn(x(2000))] }],
    bad: [{ type: 'section', fields: [mrkdwn(x(2001))] }],
    pointer: '/blocks/0/fields/0/text',
  },
  {
    name: 'header ≤ 150',
    ok: [{ type: 'header', text: plain(x(150)) }],
    bad: [{ type: 'header', text: plain(x(151)) }],
    pointer: '/blocks/0/text/text',
  },
  {
    name: 'header is plain_text only',
    ok: [{ type: 'header', text: plain('h') }],
    bad: [{ type: 'header', text: mrkdwn('h') }],
    pointer: '/blocks/0/text/type',
  },
  {
    name: 'button text ≤ 75',
    ok: [{ type: 'actions', elements: [button('a', { text: plain(x(75)) })] }],
    bad: [{ type: 'actions', elements: [button('a', { text: plain(x(76)) })] }],
    pointer: '/blocks/0/elements/0/text/text',
  },
  {
    name: 'action_id ≤ 255',
    ok: [{ type: 'actions', elements: [button(x(255))] }],
    bad: [{ type: 'actions', elements: [button(x(256))] }],
    pointer: '/blocks/0/elements/0/action_id',
  },
  {
    name: 'action_id unique in a block',
    ok: [{ type: 'actions', elements: [button('a'), button('b')] }],
    bad: [{ type: 'actions', elements: [button('a'), button('a')] }],
    pointer: '/blocks/0/elements/1/action_id',
  },
  {
    name: 'button value ≤ 2000',
    ok: [{ type: 'actions', elements: [button('a', { value: x(2000) })] }],
    bad: [{ type: 'actions', elements: [button('a', { value: x(2001) })] }],
    pointer: '/blocks/0/elements/0/value',
  },
  {
    name: 'button url ≤ 3000',
    ok: [{ type: 'actions', elements: [button('a', { url: `https://e.com/${x(2986)}` })] }],
    bad: [{ type: 'actions', elements: [button('a', { url: `https://e.com/${x(2987)}` })] }],
    pointer: '/blocks/0/elements/0/url',
  },
  {
    name: 'button style primary|danger',
    ok: [{ type: 'actions', elements: [button('a', { style: 'danger' })] }],
    bad: [{ type: 'actions', elements: [button('a', { style: 'red' })] }],
    pointer: '/blocks/0/elements/0/style',
  },
  {
    name: 'actions ≤ 25 elements',
    ok: [{ type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button(`b${i}`)) }],
    bad: [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`b${i}`)) }],
    pointer: '/blocks/0/elements',
  },
  {
    name: 'context ≤ 10 elements',
    ok: [{ type: 'context', elements: Array.from({ length: 10 }, () => mrkdwn('c')) }],
    bad: [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }],
    pointer: '/blocks/0/elements',
  },
  {
    name: 'block_id ≤ 255',
    ok: [{ ...section('s'), block_id: x(255) }],
    bad: [{ ...section('s'), block_id: x(256) }],
    pointer: '/blocks/0/block_id',
  },
  {
    name: 'block_id unique',
    ok: [
      { ...section('s'), block_id: 'a' },
      { ...section('t'), block_id: 'b' },
    ],
    bad: [
      { ...section('s'), block_id: 'a' },
      { ...section('t'), block_id: 'a' },
    ],
    pointer: '/blocks/1/block_id',
  },
  {
    name: 'input blocks only in modals',
    ok: [section('no input')],
    bad: [{ type: 'input', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'r' } }],
    pointer: '/blocks/0',
  },
  {
    name: 'confirm title ≤ 100',
    ok: [{ type: 'actions', elements: [button('a', { confirm: confirm({ title: plain(x(100)) }) })] }],
    bad: [{ type: 'actions', elements: [button('a', { confirm: confirm({ title: plain(x(101)) }) })] }],
    pointer: '/blocks/0/elements/0/confirm/title/text',
  },
  {
    name: 'confirm text ≤ 300',
    ok: [{ type: 'actions', elements: [button('a', { confirm: confirm({ text: mrkdwn(x(300)) }) })] }],
    bad: [{ type: 'actions', elements: [button('a', { confirm: confirm({ text: mrkdwn(x(301)) }) })] }],
    pointer: '/blocks/0/elements/0/confirm/text/text',
  },
  {
    name: 'confirm needs deny',
    ok: [{ type: 'actions', elements: [button('a', { confirm: confirm() })] }],
    bad: [{ type: 'actions', elements: [button('a', { confirm: { ...confirm(), deny: undefined } })] }],
    pointer: '/blocks/0/elements/0/confirm/deny',
  },
  {
    name: 'confirm style primary|danger',
    ok: [{ type: 'actions', elements: [button('a', { confirm: confirm({ style: 'primary' }) })] }],
    bad: [{ type: 'actions', elements: [button('a', { confirm: confirm({ style: 'green' }) })] }],
    pointer: '/blocks/0/elements/0/confirm/style',
  },
  { name: 'empty text', ok: [section('s')], bad: [section('')], pointer: '/blocks/0/text/text' },
  { name: 'unknown block type', ok: [{ type: 'divider' }], bad: [{ type: 'carousel' }], pointer: '/blocks/0/type' },
];

describe('slack sim: Block Kit limits through chat.postMessage', () => {
  let sim: SlackSim;
  let client: WebClient;
  let channel: string;

  beforeAll(async () => {
    sim = await startSlackSim();
    client = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, logger: quiet, retryConfig: { retries: 0 } });
    channel = sim.addChannel({ name: 'limits' }).id;
  });
  afterAll(async () => {
    await sim.close();
  });

  for (const c of MESSAGE_CASES) {
    it(`${c.name}`, async () => {
      // A channel per case: two posts per case stay within chat.postMessage's per-channel burst.
      const channel = sim.addChannel({ name: `limits-${MESSAGE_CASES.indexOf(c)}` }).id;
      await expect(
        client.chat.postMessage({ channel, text: 'fallback', blocks: c.ok as never }),
      ).resolves.toMatchObject({ ok: true });
      const err = await client.chat
        .postMessage({ channel, text: 'fallback', blocks: c.bad as never })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebAPIPlatformError);
      const data = (err as WebAPIPlatformError).data as unknown as {
        error: string;
        errors: string[];
        response_metadata: { messages: string[] };
      };
      expect(data.error).toBe('invalid_blocks');
      expect(data.errors.some((e) => e.endsWith(`[json-pointer:${c.pointer}]`))).toBe(true);
      expect(data.response_metadata.messages.every((m) => m.startsWith('[ERROR] '))).toBe(true);
    });
  }

  it('chat.update validates blocks the same way', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'v1' });
    const err = await client.chat
      .update({ channel, ts: posted.ts!, text: 'v2', blocks: [section(x(3001))] as never })
      .catch((e: unknown) => e);
    expect((err as WebAPIPlatformError).data.error).toBe('invalid_blocks');
  });
});

describe('slack sim: view limits', () => {
  const modal = (over: Record<string, unknown> = {}) => ({
    type: 'modal',
    title: plain('Keep'),
    submit: plain('Save'),
    blocks: [section('body')],
    ...over,
  });

  const cases: Array<{ name: string; ok: unknown; bad: unknown; pointer: string }> = [
    {
      name: 'title ≤ 24',
      ok: modal({ title: plain(x(24)) }),
      bad: modal({ title: plain(x(25)) }),
      pointer: '/view/title/text',
    },
    {
      name: 'submit ≤ 24',
      ok: modal({ submit: plain(x(24)) }),
      bad: modal({ submit: plain(x(25)) }),
      pointer: '/view/submit/text',
    },
    {
      name: 'close ≤ 24',
      ok: modal({ close: plain(x(24)) }),
      bad: modal({ close: plain(x(25)) }),
      pointer: '/view/close/text',
    },
    {
      name: 'private_metadata ≤ 3000',
      ok: modal({ private_metadata: x(3000) }),
      bad: modal({ private_metadata: x(3001) }),
      pointer: '/view/private_metadata',
    },
    {
      name: 'callback_id ≤ 255',
      ok: modal({ callback_id: x(255) }),
      bad: modal({ callback_id: x(256) }),
      pointer: '/view/callback_id',
    },
    {
      name: '100 blocks per modal',
      ok: modal({ blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) }),
      bad: modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }),
      pointer: '/view/blocks',
    },
    {
      name: 'submit required with input blocks',
      ok: modal({
        blocks: [{ type: 'input', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'r' } }],
      }),
      bad: modal({
        submit: undefined,
        blocks: [{ type: 'input', label: plain('Reason'), element: { type: 'plain_text_input', action_id: 'r' } }],
      }),
      pointer: '/view/submit',
    },
    {
      name: 'input label ≤ 2000',
      ok: modal({
        blocks: [{ type: 'input', label: plain(x(2000)), element: { type: 'plain_text_input', action_id: 'r' } }],
      }),
      bad: modal({
        blocks: [{ type: 'input', label: plain(x(2001)), element: { type: 'plain_text_input', action_id: 'r' } }],
      }),
      pointer: '/view/blocks/0/label/text',
    },
    {
      name: 'static_select options ≤ 100, option value ≤ 150',
      ok: modal({
        blocks: [
          {
            type: 'input',
            label: plain('Days'),
            element: { type: 'static_select', action_id: 'd', options: [{ text: plain('30'), value: x(150) }] },
          },
        ],
      }),
      bad: modal({
        blocks: [
          {
            type: 'input',
            label: plain('Days'),
            element: { type: 'static_select', action_id: 'd', options: [{ text: plain('30'), value: x(151) }] },
          },
        ],
      }),
      pointer: '/view/blocks/0/element/options/0/value',
    },
  ];

  for (const c of cases) {
    it(`${c.name}`, () => {
      expect(validateView(c.ok)).toEqual([]);
      expect(validateView(c.bad).map((i) => i.pointer)).toContain(c.pointer);
    });
  }

  it('home tabs take 100 blocks; input blocks are for modals and home tabs, not messages', () => {
    const home = (blocks: unknown[]) => ({ type: 'home', blocks });
    expect(validateView(home(Array.from({ length: 100 }, () => ({ type: 'divider' }))))).toEqual([]);
    expect(validateView(home(Array.from({ length: 101 }, () => ({ type: 'divider' })))).map((i) => i.pointer)).toEqual([
      '/view/blocks',
    ]);
    const input = [{ type: 'input', label: plain('x'), element: { type: 'plain_text_input', action_id: 'r' } }];
    expect(validateBlocks(input, 'home')).toEqual([]);
    expect(validateBlocks(input, 'message').map((i) => i.message)).toEqual([
      'input blocks are not allowed in messages',
    ]);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateBlocks([{ type: 'header', text: plain('🔑'.repeat(150)) }], 'message')).toEqual([]);
  });
});
