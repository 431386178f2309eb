// @ts-check
/**
 * The rich_text block (https://docs.slack.dev/reference/block-kit/blocks/rich-text-block):
 * sections, lists, preformatted text and quotes, with styled text, links, mentions, emoji
 * and dates. Slack stores what people type in this form.
 */
import { formatSlackDate } from './dates.js';
import { EMOJI } from './emoji.js';
import { escapeHtml, isSafeUrl } from './escape.js';
import { userMention } from './mrkdwn.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */
/** @typedef {import('../types.js').BlockJson} BlockJson */

/**
 * @param {string} html
 * @param {BlockJson | undefined} style
 */
function styled(html, style) {
  let out = html;
  if (style?.code) out = `<code>${out}</code>`;
  if (style?.bold) out = `<strong>${out}</strong>`;
  if (style?.italic) out = `<em>${out}</em>`;
  if (style?.strike) out = `<del>${out}</del>`;
  return out;
}

/**
 * @param {BlockJson} el
 * @param {RenderContext} ctx
 * @returns {string}
 */
function leaf(el, ctx) {
  switch (el.type) {
    case 'text':
      return styled(escapeHtml(el.text ?? '').replace(/\n/g, '<br>'), el.style);
    case 'link': {
      const text = escapeHtml(el.text ?? el.url ?? '');
      return isSafeUrl(String(el.url ?? ''))
        ? styled(`<a href="${escapeHtml(el.url)}" target="_blank" rel="noopener noreferrer">${text}</a>`, el.style)
        : text;
    }
    case 'user':
      return userMention(String(el.user_id ?? ''), null, ctx);
    case 'channel': {
      const id = String(el.channel_id ?? '');
      return `<span class="channel-ref">#${escapeHtml(ctx.channels[id]?.name || id)}</span>`;
    }
    case 'usergroup':
      return `<span class="mention">@${escapeHtml(el.usergroup_id ?? 'group')}</span>`;
    case 'broadcast':
      return `<span class="mention broadcast">@${escapeHtml(el.range ?? 'here')}</span>`;
    case 'emoji':
      return el.unicode
        ? String.fromCodePoint(
            ...String(el.unicode)
              .split('-')
              .map((h) => parseInt(h, 16)),
          )
        : escapeHtml(EMOJI[el.name] ?? `:${el.name}:`);
    case 'date':
      return escapeHtml(
        Number.isFinite(Number(el.timestamp))
          ? formatSlackDate({
              epochSeconds: Number(el.timestamp),
              format: String(el.format ?? '{date}'),
              now: ctx.now,
              tzOffset: ctx.tzOffset,
            })
          : (el.fallback ?? ''),
      );
    default:
      return '';
  }
}

/**
 * @param {BlockJson} el
 * @param {RenderContext} ctx
 */
const children = (el, ctx) =>
  Array.isArray(el.elements) ? el.elements.map((/** @type {BlockJson} */ c) => leaf(c, ctx)).join('') : '';

/**
 * @param {BlockJson} block
 * @param {RenderContext} ctx
 * @returns {string}
 */
export function renderRichText(block, ctx) {
  const parts = (Array.isArray(block.elements) ? block.elements : []).map((/** @type {BlockJson} */ el) => {
    switch (el.type) {
      case 'rich_text_section':
        return `<div class="rt-section">${children(el, ctx)}</div>`;
      case 'rich_text_preformatted':
        return `<pre class="mrkdwn-pre">${children(el, ctx)}</pre>`;
      case 'rich_text_quote':
        return `<blockquote class="mrkdwn-quote">${children(el, ctx)}</blockquote>`;
      case 'rich_text_list': {
        const tag = el.style === 'ordered' ? 'ol' : 'ul';
        const items = (el.elements ?? []).map((/** @type {BlockJson} */ s) => `<li>${children(s, ctx)}</li>`).join('');
        return `<${tag} class="rt-list" style="margin-left:${Number(el.indent ?? 0) * 1.5}em">${items}</${tag}>`;
      }
      default:
        return '';
    }
  });
  return `<div class="b-rich-text">${parts.join('')}</div>`;
}
