// @ts-check
/**
 * Block Kit layout blocks (https://docs.slack.dev/reference/block-kit/blocks) to HTML, for
 * messages, modals and the Home tab: header, section (text, fields, accessory), context,
 * divider, actions, input, image, rich_text; an unknown block shows its type, as a hint.
 */
import { renderElement } from './elements.js';
import { escapeHtml } from './escape.js';
import { renderInputBlock } from './inputs.js';
import { renderRichText } from './rich-text.js';
import { plainOf, renderTextObject } from './text.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */
/** @typedef {import('../types.js').BlockJson} BlockJson */
/** @typedef {import('../types.js').DraftValues} DraftValues */

/**
 * @typedef {object} BlockOptions
 * @property {Record<string, Record<string, BlockJson>>} [state] a view's `state.values`
 * @property {DraftValues} [drafts] what the person has typed since
 * @property {Record<string, string>} [errors] field errors by block_id
 */

/**
 * @param {unknown} blocks
 * @param {RenderContext} ctx
 * @param {BlockOptions} [opts]
 * @returns {string}
 */
export function renderBlocks(blocks, ctx, opts = {}) {
  if (!Array.isArray(blocks)) return '';
  return blocks.map((b) => renderBlock(b, ctx, opts)).join('');
}

/**
 * @param {BlockJson} block
 * @param {RenderContext} ctx
 * @param {BlockOptions} opts
 * @returns {string}
 */
export function renderBlock(block, ctx, opts) {
  if (!block || typeof block !== 'object') return '';
  const blockId = String(block.block_id ?? '');
  const idAttr = ` data-block-id="${escapeHtml(blockId)}"`;
  switch (block.type) {
    case 'header':
      return `<div class="b-header"${idAttr}>${renderTextObject({ ...block.text, type: 'plain_text' }, ctx)}</div>`;
    case 'section': {
      const text = block.text ? `<div class="b-section-text">${renderTextObject(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields)
        ? `<div class="b-fields">${block.fields.map((/** @type {BlockJson} */ f) => `<div class="b-field">${renderTextObject(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="b-accessory">${renderElement(block.accessory, blockId, ctx)}</div>`
        : '';
      return `<div class="b-section${accessory ? ' has-accessory' : ''}"${idAttr}><div class="b-section-main">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const items = (Array.isArray(block.elements) ? block.elements : [])
        .map((/** @type {BlockJson} */ el) =>
          el.type === 'image'
            ? `<img class="ctx-image" src="${escapeHtml(el.image_url ?? '')}" alt="${escapeHtml(el.alt_text ?? '')}">`
            : `<span class="ctx-text">${renderTextObject(el, ctx)}</span>`,
        )
        .join('');
      return `<div class="b-context"${idAttr}>${items}</div>`;
    }
    case 'divider':
      return `<hr class="b-divider"${idAttr}>`;
    case 'actions': {
      const els = (Array.isArray(block.elements) ? block.elements : [])
        .map((/** @type {BlockJson} */ el) => renderElement(el, blockId, ctx))
        .join('');
      return `<div class="b-actions"${idAttr}>${els}</div>`;
    }
    case 'input': {
      const actionId = String(block.element?.action_id ?? '');
      return renderInputBlock(block, ctx, {
        entry: opts.state?.[blockId]?.[actionId],
        draft: opts.drafts?.[blockId]?.[actionId],
        error: opts.errors?.[blockId],
      });
    }
    case 'image': {
      const title = block.title ? `<div class="b-image-title">${renderTextObject(block.title, ctx)}</div>` : '';
      return `<figure class="b-image"${idAttr}>${title}<img src="${escapeHtml(block.image_url ?? '')}" alt="${escapeHtml(block.alt_text ?? '')}"></figure>`;
    }
    case 'rich_text':
      return renderRichText(block, ctx);
    case 'markdown':
      return `<div class="b-markdown"${idAttr}>${escapeHtml(block.text ?? '').replace(/\n/g, '<br>')}</div>`;
    default:
      return `<div class="b-unknown"${idAttr}>Unsupported block: ${escapeHtml(block.type)}</div>`;
  }
}

/**
 * Legacy attachments: colour bar, pretext, title, text, fields, or the fallback.
 * @param {unknown} attachments
 * @param {RenderContext} ctx
 */
export function renderAttachments(attachments, ctx) {
  if (!Array.isArray(attachments)) return '';
  return attachments
    .map((/** @type {BlockJson} */ a) => {
      const colour = /^#?[0-9a-f]{6}$/i.test(String(a.color ?? '')) ? `#${String(a.color).replace('#', '')}` : '#ddd';
      const body = Array.isArray(a.blocks)
        ? renderBlocks(a.blocks, ctx)
        : [a.pretext, a.title, a.text ?? a.fallback]
            .filter((t) => typeof t === 'string' && t !== '')
            .map((t) => `<div>${renderTextObject({ type: 'mrkdwn', text: t }, ctx)}</div>`)
            .join('');
      const fields = Array.isArray(a.fields)
        ? `<div class="b-fields">${a.fields.map((/** @type {BlockJson} */ f) => `<div class="b-field"><strong>${escapeHtml(f.title ?? '')}</strong><br>${renderTextObject({ type: 'mrkdwn', text: String(f.value ?? '') }, ctx)}</div>`).join('')}</div>`
        : '';
      return `<div class="attachment" style="border-left-color:${colour}">${body}${fields}</div>`;
    })
    .join('');
}

export { plainOf };
