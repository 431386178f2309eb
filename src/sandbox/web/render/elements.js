// @ts-check
/**
 * Interactive Block Kit elements (https://docs.slack.dev/reference/block-kit/block-elements)
 * as they appear in messages, the Home tab and `actions` blocks of modals. Each carries
 * data-* attributes the page's click handler turns into a block_actions request; rendering
 * stays a pure function of the data.
 */
import { escapeHtml } from './escape.js';
import { plainOf, renderTextObject } from './text.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */
/** @typedef {import('../types.js').BlockJson} BlockJson */

/**
 * The data-* attributes that identify an element to the click handler.
 * @param {string} kind
 * @param {BlockJson} el
 * @param {string} blockId
 */
function ids(kind, el, blockId) {
  let attrs = ` data-el="${kind}" data-action-id="${escapeHtml(el.action_id ?? '')}" data-block-id="${escapeHtml(blockId)}"`;
  if (el.confirm) attrs += ` data-confirm="${escapeHtml(JSON.stringify(el.confirm))}"`;
  return attrs;
}

/**
 * Options and option groups of a select.
 * @param {BlockJson} el
 * @param {(value: string) => boolean} isSelected
 */
export function optionTags(el, isSelected) {
  const one = (/** @type {BlockJson} */ o) =>
    `<option value="${escapeHtml(o.value ?? '')}"${isSelected(String(o.value ?? '')) ? ' selected' : ''}>${escapeHtml(plainOf(o.text))}</option>`;
  if (Array.isArray(el.option_groups)) {
    return el.option_groups
      .map(
        (/** @type {BlockJson} */ g) =>
          `<optgroup label="${escapeHtml(plainOf(g.label))}">${(g.options ?? []).map(one).join('')}</optgroup>`,
      )
      .join('');
  }
  return (Array.isArray(el.options) ? el.options : []).map(one).join('');
}

/**
 * The people a users_select offers: active humans, by name (Slackbot and bots excluded).
 * @param {RenderContext} ctx
 */
export function selectableUsers(ctx) {
  return Object.values(ctx.users)
    .filter((u) => !u.is_bot && !u.deleted && u.id !== 'USLACKBOT')
    .sort((a, b) => (a.real_name || a.name).localeCompare(b.real_name || b.name));
}

/**
 * @param {RenderContext} ctx
 * @param {(value: string) => boolean} isSelected
 */
export function userOptionTags(ctx, isSelected) {
  return selectableUsers(ctx)
    .map(
      (u) =>
        `<option value="${escapeHtml(u.id)}"${isSelected(u.id) ? ' selected' : ''}>${escapeHtml(u.real_name || u.name)}</option>`,
    )
    .join('');
}

/**
 * @param {RenderContext} ctx
 * @param {(value: string) => boolean} isSelected
 */
export function conversationOptionTags(ctx, isSelected) {
  return Object.values(ctx.channels)
    .filter((c) => c.kind !== 'im')
    .map(
      (c) =>
        `<option value="${escapeHtml(c.id)}"${isSelected(c.id) ? ' selected' : ''}>#${escapeHtml(c.name)}</option>`,
    )
    .join('');
}

/** @param {BlockJson} el */
const placeholder = (el) => escapeHtml(plainOf(el.placeholder) || 'Select an item');

/**
 * One element outside an input block (a click or pick sends block_actions at once).
 * @param {BlockJson} el
 * @param {string} blockId
 * @param {RenderContext} ctx
 * @returns {string}
 */
export function renderElement(el, blockId, ctx) {
  switch (el.type) {
    case 'button': {
      const style = el.style === 'primary' || el.style === 'danger' ? ` btn-${el.style}` : '';
      const value = el.value === undefined ? '' : ` data-value="${escapeHtml(el.value)}"`;
      const url = typeof el.url === 'string' ? ` data-url="${escapeHtml(el.url)}"` : '';
      return `<button type="button" class="btn${style}"${ids('button', el, blockId)}${value}${url}>${renderTextObject(el.text, ctx)}</button>`;
    }
    case 'static_select':
    case 'external_select': {
      const initial = el.initial_option?.value;
      return `<select class="el-select"${ids('select', el, blockId)}><option value="" disabled${initial === undefined ? ' selected' : ''}>${placeholder(el)}</option>${optionTags(el, (v) => v === initial)}</select>`;
    }
    case 'users_select':
      return `<select class="el-select"${ids('select', el, blockId)}><option value="" disabled${el.initial_user ? '' : ' selected'}>${placeholder(el)}</option>${userOptionTags(ctx, (v) => v === el.initial_user)}</select>`;
    case 'conversations_select':
    case 'channels_select': {
      const initial = el.initial_conversation ?? el.initial_channel;
      return `<select class="el-select"${ids('select', el, blockId)}><option value="" disabled${initial ? '' : ' selected'}>${placeholder(el)}</option>${conversationOptionTags(ctx, (v) => v === initial)}</select>`;
    }
    case 'overflow':
      return `<select class="el-overflow" aria-label="More actions"${ids('select', el, blockId)}><option value="" selected disabled>⋯</option>${optionTags(el, () => false)}</select>`;
    case 'datepicker':
      return `<input type="date" class="el-date"${ids('select', el, blockId)} value="${escapeHtml(el.initial_date ?? '')}">`;
    case 'timepicker':
      return `<input type="time" class="el-date"${ids('select', el, blockId)} value="${escapeHtml(el.initial_time ?? '')}">`;
    case 'radio_buttons':
    case 'checkboxes': {
      const kind = el.type === 'radio_buttons' ? 'radio' : 'checkbox';
      const initial = new Set(
        (el.initial_options ?? (el.initial_option ? [el.initial_option] : [])).map(
          (/** @type {BlockJson} */ o) => o.value,
        ),
      );
      const name = `${blockId}/${el.action_id ?? ''}`;
      const items = (el.options ?? [])
        .map(
          (/** @type {BlockJson} */ o) =>
            `<label class="choice"><input type="${kind}" name="${escapeHtml(name)}" value="${escapeHtml(o.value ?? '')}"${initial.has(o.value) ? ' checked' : ''}> ${renderTextObject(o.text, ctx)}</label>`,
        )
        .join('');
      return `<fieldset class="el-choices"${ids('choice', el, blockId)}>${items}</fieldset>`;
    }
    case 'image':
      return `<img class="el-image" src="${escapeHtml(el.image_url ?? '')}" alt="${escapeHtml(el.alt_text ?? '')}" title="${escapeHtml(el.alt_text ?? '')}">`;
    case 'mrkdwn':
    case 'plain_text':
      return `<span class="el-text">${renderTextObject(el, ctx)}</span>`;
    default:
      return `<span class="unsupported">[${escapeHtml(el.type)}]</span>`;
  }
}
