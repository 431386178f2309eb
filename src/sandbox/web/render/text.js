// @ts-check
/** Block Kit text objects (https://docs.slack.dev/reference/block-kit/composition-objects/text-object). */
import { emojify } from './emoji.js';
import { escapeHtml } from './escape.js';
import { renderMrkdwn } from './mrkdwn.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */

/**
 * `mrkdwn` is formatted; `plain_text` is shown as written, with emoji shortcodes replaced
 * unless `emoji: false`.
 * @param {{ type?: string; text?: string; emoji?: boolean } | null | undefined} obj
 * @param {RenderContext} ctx
 * @returns {string}
 */
export function renderTextObject(obj, ctx) {
  if (!obj || typeof obj.text !== 'string') return '';
  if (obj.type === 'mrkdwn') return renderMrkdwn(obj.text, ctx);
  const html = escapeHtml(obj.text).replace(/\n/g, '<br>');
  return obj.emoji === false ? html : emojify(html);
}

/**
 * The plain text of a text object (for attributes and option labels).
 * @param {{ text?: string } | null | undefined} obj
 * @returns {string}
 */
export function plainOf(obj) {
  return obj && typeof obj.text === 'string' ? obj.text : '';
}
