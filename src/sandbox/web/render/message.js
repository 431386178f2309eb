// @ts-check
/**
 * A conversation as a Slack client shows it to one person: messages in order with day
 * dividers, author and time, "(edited)", thread replies under their parent, and that
 * person's ephemeral messages ("Only visible to you") in place. A message with blocks shows
 * its blocks; one without shows its `text` as mrkdwn.
 */
import { renderAttachments, renderBlocks } from './blocks.js';
import { formatSlackDate } from './dates.js';
import { escapeHtml } from './escape.js';
import { renderMrkdwn } from './mrkdwn.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */
/** @typedef {import('../types.js').MessageJson} MessageJson */
/** @typedef {import('../types.js').EphemeralJson} EphemeralJson */
/** @typedef {import('../types.js').ConversationStateJson} ConversationStateJson */

const PALETTE = ['#4a154b', '#1264a3', '#2eb67d', '#e01e5a', '#ecb22e', '#36c5f0', '#7c3085', '#0b4c8c'];

/** @param {string} id */
function colourOf(id) {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/**
 * @param {{ user?: string; bot_id?: string }} m
 * @param {RenderContext} ctx
 */
function author(m, ctx) {
  const isApp = m.bot_id !== undefined || m.user === ctx.botUserId;
  if (isApp) return { id: ctx.botUserId, name: ctx.appName, isApp, initials: ctx.appName.slice(0, 1).toUpperCase() };
  const u = m.user ? ctx.users[m.user] : undefined;
  const name = u ? u.real_name || u.display_name || u.name : (m.user ?? 'unknown');
  const initials = name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return { id: m.user ?? '', name, isApp, initials };
}

/**
 * @param {string} ts
 * @param {string} format
 * @param {RenderContext} ctx
 */
const tsText = (ts, format, ctx) =>
  formatSlackDate({ epochSeconds: Math.floor(Number(ts)), format, now: ctx.now, tzOffset: ctx.tzOffset });

/** @param {string} s */
const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The content of a message: blocks when it has them, else its text.
 * @param {{ text?: string; blocks?: unknown; attachments?: unknown }} m
 * @param {RenderContext} ctx
 */
export function renderContent(m, ctx) {
  const body =
    Array.isArray(m.blocks) && m.blocks.length > 0
      ? `<div class="blocks">${renderBlocks(m.blocks, ctx)}</div>`
      : m.text
        ? `<div class="msg-text">${renderMrkdwn(m.text, ctx)}</div>`
        : '';
  return body + renderAttachments(m.attachments, ctx);
}

/**
 * @param {MessageJson | EphemeralJson} m
 * @param {string} channel
 * @param {RenderContext} ctx
 * @param {{ ephemeral?: boolean; reply?: boolean }} [opts]
 * @returns {string}
 */
export function renderMessage(m, channel, ctx, opts = {}) {
  const who = author(m, ctx);
  const badge = who.isApp ? '<span class="app-badge">APP</span>' : '';
  const edited = 'edited' in m && m.edited ? '<span class="edited">(edited)</span>' : '';
  const time = `<time class="msg-time" title="${escapeHtml(tsText(m.ts, '{date_long} at {time_secs}', ctx))}">${escapeHtml(tsText(m.ts, '{time}', ctx))}</time>`;
  const note = opts.ephemeral
    ? `<div class="eph-note"><span class="eph-eye">👁</span> Only visible to you <button type="button" class="link-btn" data-el="dismiss">Dismiss message</button></div>`
    : '';
  const replies =
    'replies' in m && Array.isArray(m.replies) && m.replies.length > 0
      ? `<div class="thread"><div class="thread-count">${m.replies.length} ${m.replies.length === 1 ? 'reply' : 'replies'}</div>${m.replies.map((r) => renderMessage(r, channel, ctx, { reply: true })).join('')}</div>`
      : '';
  const classes = ['msg', opts.ephemeral ? 'ephemeral' : '', opts.reply ? 'reply' : ''].filter(Boolean).join(' ');
  return (
    `<div class="${classes}" data-surface="message" data-channel="${escapeHtml(channel)}" data-ts="${escapeHtml(m.ts)}"${opts.ephemeral ? ' data-ephemeral="1"' : ''}>` +
    `<div class="avatar" style="background:${colourOf(who.id)}" aria-hidden="true">${escapeHtml(who.initials)}</div>` +
    `<div class="msg-body">${note}<div class="msg-meta"><span class="msg-author">${escapeHtml(who.name)}</span>${badge}${time}${edited}</div>` +
    `${renderContent(m, ctx)}${replies}</div></div>`
  );
}

/**
 * @param {ConversationStateJson} state
 * @param {RenderContext} ctx
 * @param {{ dismissed?: Set<string> }} [opts]
 * @returns {string}
 */
export function renderConversation(state, ctx, opts = {}) {
  /** @type {Array<{ ts: string; html: string }>} */
  const items = state.messages.map((m) => ({ ts: m.ts, html: renderMessage(m, state.id, ctx) }));
  for (const e of state.ephemerals) {
    if (opts.dismissed?.has(`${e.channel}/${e.ts}`)) continue;
    items.push({ ts: e.ts, html: renderMessage(e, state.id, ctx, { ephemeral: true }) });
  }
  items.sort((a, b) => Number(a.ts) - Number(b.ts));
  if (items.length === 0) return '<div class="empty">No messages yet.</div>';
  let lastDay = '';
  return items
    .map((item) => {
      const day = tsText(item.ts, '{date_num}', ctx);
      const divider =
        day === lastDay
          ? ''
          : `<div class="day-divider"><span>${escapeHtml(capitalise(tsText(item.ts, '{day_divider_pretty}', ctx)))}</span></div>`;
      lastDay = day;
      return divider + item.html;
    })
    .join('');
}
