import { describe, expect, it } from 'vitest';
import { statusMessage } from '../../../slack/blocks/admin.js';
import { helpBlocks } from '../../../slack/blocks/help.js';
import { homeView } from '../../../slack/blocks/home.js';
import { keepModal, notMineModal } from '../../../slack/blocks/modals.js';
import { reviewMessage } from '../../../slack/blocks/review.js';
import { makeSnapshot } from '../../../../test/support/steward-fixtures.js';
import type { BlockJson, RenderContext, UserJson, ViewJson } from '../types.js';
import { renderBlocks, renderConversation, renderHome, renderModal } from './index.js';

const NOW = new Date('2025-03-12T09:30:00Z');
const person = (id: string, real_name: string, extra: Partial<UserJson> = {}): UserJson => ({
  id,
  name: real_name.toLowerCase(),
  real_name,
  display_name: '',
  email: null,
  is_bot: false,
  is_admin: false,
  is_owner: false,
  deleted: false,
  tz_offset: 0,
  ...extra,
});
const ctx: RenderContext = {
  users: {
    UADA: person('UADA', 'Ada'),
    UBOB: person('UBOB', 'Bob'),
    UGONE: person('UGONE', 'Gone', { deleted: true }),
    UBOT: person('UBOT', 'Steward', { is_bot: true }),
  },
  channels: {},
  botUserId: 'UBOT',
  appName: 'Steward',
  now: NOW.getTime(),
  tzOffset: 0,
};
const asJson = (x: unknown) => JSON.parse(JSON.stringify(x)) as BlockJson[];
const keySnapshot = () =>
  makeSnapshot({
    kind: 'dormant_key',
    subject: { type: 'api_key', id: 'apikey_01Ci', label: 'ci-deploy' },
    assigneeSlackId: 'UADA',
    ownerEmail: 'ada@example.com',
    now: NOW,
  });
const view = (v: BlockJson, over: Partial<ViewJson> = {}): ViewJson => ({
  id: 'V1',
  type: 'modal',
  title: (v.title as ViewJson['title']) ?? null,
  submit: (v.submit as ViewJson['submit']) ?? null,
  close: (v.close as ViewJson['close']) ?? null,
  blocks: asJson(v.blocks),
  callback_id: '',
  hash: 'h1',
  state: { values: {} },
  errors: null,
  previous_view_id: null,
  ...over,
});

describe('Steward review message', () => {
  const html = renderBlocks(asJson(reviewMessage(keySnapshot(), NOW).blocks), ctx);

  it('shows the header, the intro mentioning the owner, fields and the sparkline context', () => {
    expect(html).toContain('<div class="b-header"');
    expect(html).toContain('Is this API key still needed?');
    expect(html).toContain('<span class="mention" data-user="UADA">@Ada</span>, Steward found access');
    expect(html).toContain('<strong>Last activity</strong><br>');
    expect(html).toContain('<div class="b-fields">');
    expect(html).toMatch(/class="b-context".*Last 12 weeks: <code>[▁-█]{12}<\/code>/);
  });

  it('renders Keep (primary), Revoke (danger, with its confirm dialog) and Not mine as clickable buttons', () => {
    const buttons = [
      ...html.matchAll(
        /<button type="button" class="btn([^"]*)" data-el="button" data-action-id="([^"]+)"[^>]*>([^<]+)</g,
      ),
    ];
    expect(buttons.map((b) => [b[1], b[2], b[3]])).toEqual([
      [' btn-primary', 'steward_keep', 'Keep'],
      [' btn-danger', 'steward_revoke', 'Revoke'],
      ['', 'steward_not_mine', 'Not mine'],
    ]);
    const confirm = /data-action-id="steward_revoke"[^>]*data-confirm="([^"]+)"/.exec(html)?.[1];
    const dialog = JSON.parse(confirm!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as BlockJson;
    expect(dialog.title.text).toBe('Revoke this access?');
    expect(dialog.style).toBe('danger');
  });

  it('shows a settled review without buttons, with who decided', () => {
    const kept = makeSnapshot({
      kind: 'dormant_key',
      subject: { type: 'api_key', id: 'apikey_01Ci', label: 'ci-deploy' },
      assigneeSlackId: 'UADA',
      ownerEmail: 'ada@example.com',
      now: NOW,
      status: 'decided',
      decision: 'keep',
      decidedBySlackId: 'UADA',
      reason: 'nightly export <job> & more',
    });
    const settled = renderBlocks(asJson(reviewMessage(kept, NOW).blocks), ctx);
    expect(settled).not.toContain('data-el="button"');
    expect(settled).toContain('<strong>Kept</strong> by <span class="mention" data-user="UADA">@Ada</span> on ');
    expect(settled).toContain('“nightly export &lt;job&gt; &amp; more”');
  });
});

describe('Steward modals', () => {
  it('Keep: multiline reason with its length limits, radio durations with the first chosen', () => {
    const html = renderModal(view(asJson([keepModal(keySnapshot(), [30, 90, 180], { itemId: 'x' })])[0]!), ctx);
    expect(html).toContain('<h2 id="modal-title-V1">Keep access</h2>');
    expect(html).toMatch(
      /<textarea class="in-text" rows="4" id="[^"]+" data-input="plain_text_input" data-block-id="keep_reason" data-action-id="reason" placeholder="e.g. nightly export job for the finance team" minlength="3" maxlength="500"><\/textarea>/,
    );
    const radios = [...html.matchAll(/<input type="radio" name="[^"]+" id="[^"]+" value="(\d+)"( checked)?>/g)];
    expect(radios.map((r) => [r[1], Boolean(r[2])])).toEqual([
      ['30', true],
      ['90', false],
      ['180', false],
    ]);
    expect(html).toContain('data-el="submit">Keep</button>');
    expect(html).toContain('data-el="close">Cancel</button>');
  });

  it('shows response_action errors and client refusals under their inputs, and keeps drafts', () => {
    const v = view(asJson([keepModal(keySnapshot(), [30, 90], { itemId: 'x' })])[0]!, {
      errors: { keep_reason: 'Say why in a few words.' },
    });
    const html = renderModal(v, ctx, {
      drafts: { keep_reason: { reason: 'ok <b>' } },
      refused: { keep_duration: 'Please complete this required field.' },
    });
    expect(html).toMatch(
      /<div class="b-input has-error" data-block-id="keep_reason">.*<div class="input-error" role="alert">Say why in a few words\.<\/div>/s,
    );
    expect(html).toContain('>ok &lt;b&gt;</textarea>');
    expect(html).toMatch(/data-block-id="keep_duration">.*Please complete this required field\./s);
  });

  it('Not mine: a users_select offering active people only', () => {
    const html = renderModal(view(asJson([notMineModal(keySnapshot(), { itemId: 'x' })])[0]!), ctx);
    const options = [...html.matchAll(/<option value="(U[A-Z]+)"/g)].map((m) => m[1]);
    expect(options).toEqual(['UADA', 'UBOB']);
    expect(html).toContain('Choose a person');
  });

  it('renders static_select (groups), datepicker, checkboxes, optional and hint', () => {
    const blocks: BlockJson[] = [
      {
        type: 'input',
        block_id: 'b1',
        optional: true,
        hint: { type: 'plain_text', text: 'Pick one' },
        label: { type: 'plain_text', text: 'Team' },
        element: {
          type: 'static_select',
          action_id: 'team',
          initial_option: { text: { type: 'plain_text', text: 'Infra' }, value: 'infra' },
          option_groups: [
            {
              label: { type: 'plain_text', text: 'Eng' },
              options: [{ text: { type: 'plain_text', text: 'Infra' }, value: 'infra' }],
            },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'b2',
        label: { type: 'plain_text', text: 'Until' },
        element: { type: 'datepicker', action_id: 'until', initial_date: '2025-04-01' },
      },
      {
        type: 'input',
        block_id: 'b3',
        label: { type: 'plain_text', text: 'Checks' },
        element: {
          type: 'checkboxes',
          action_id: 'c',
          options: [{ text: { type: 'mrkdwn', text: '*A*' }, value: 'a' }],
        },
      },
    ];
    const html = renderBlocks(blocks, ctx, {
      state: { b2: { until: { type: 'datepicker', selected_date: '2025-05-05' } } },
    });
    expect(html).toContain('Team <span class="optional">(optional)</span>');
    expect(html).toContain('<optgroup label="Eng"><option value="infra" selected>Infra</option></optgroup>');
    expect(html).toContain('type="date" class="in-text"');
    expect(html).toContain('value="2025-05-05"');
    expect(html).toContain('<div class="input-hint">Pick one</div>');
    expect(html).toContain('<input type="checkbox"');
    expect(html).toContain('<strong>A</strong>');
  });
});

describe('other surfaces', () => {
  it('App Home with the reviews and their buttons', () => {
    const home = asJson([homeView({ reviews: [keySnapshot()], status: null, now: NOW })])[0]!;
    const html = renderHome(view(home, { type: 'home' }), ctx);
    expect(html).toContain('Your access reviews');
    expect(html).toContain('data-action-id="steward_keep"');
    expect(html).toContain('<hr class="b-divider"');
    expect(renderHome(null, ctx)).toContain('has not published a Home tab');
  });

  it('status and help messages', () => {
    const status = statusMessage({
      open: 3,
      pending: 0,
      overdue: 1,
      escalated: 1,
      kept: 2,
      revoked: 1,
      acknowledged: 0,
      closed: 0,
      openFindings: 4,
      actions: { pending: 0, failed: 0, succeeded: 1, dryRun: 0 },
      oldestOpen: [],
    });
    expect(renderBlocks(asJson(status.blocks), ctx)).toContain(
      '<strong>Open reviews:</strong> 3 (1 overdue, 1 escalated)',
    );
    expect(renderBlocks(asJson(helpBlocks({ isAdmin: false }).blocks), ctx)).toContain('<code>/steward status</code>');
  });

  it('a conversation: day dividers, text fallback without blocks, ephemeral and thread replies', () => {
    const t = (s: string) => String(Date.parse(s) / 1000) + '.000100';
    const html = renderConversation(
      {
        id: 'D1',
        now: NOW.getTime(),
        messages: [
          { ts: t('2025-03-11T10:00:00Z'), text: 'hello *there*', user: 'UBOT', bot_id: 'B1' },
          {
            ts: t('2025-03-12T08:00:00Z'),
            text: 'fallback',
            bot_id: 'B1',
            user: 'UBOT',
            blocks: [{ type: 'divider', block_id: 'd' }],
            edited: { user: 'UBOT', ts: '1' },
            replies: [{ ts: t('2025-03-12T08:05:00Z'), text: 'a reply', user: 'UBOB' }],
          },
        ],
        ephemerals: [
          { ts: t('2025-03-12T09:00:00Z'), channel: 'D1', user: 'UADA', text: 'only you', source: 'response_url' },
        ],
      },
      ctx,
    );
    expect(html.indexOf('<span>Yesterday</span>')).toBeLessThan(html.indexOf('<span>Today</span>'));
    expect(html).toContain('<div class="msg-text">hello <strong>there</strong></div>');
    expect(html).not.toContain('>fallback<');
    expect(html).toContain('<span class="edited">(edited)</span>');
    expect(html).toMatch(
      /<div class="thread"><div class="thread-count">1 reply<\/div><div class="msg reply"[^>]*>.*@?Bob/s,
    );
    expect(html).toMatch(/<div class="msg ephemeral"[^>]*data-ephemeral="1">.*Only visible to you.*only you/s);
    expect(html).toContain('<span class="app-badge">APP</span>');
  });
});
