// @ts-check
/**
 * Input blocks of modals (https://docs.slack.dev/reference/block-kit/blocks/input-block):
 * label, element, hint, "(optional)", and the error Slack shows under the input after a
 * `response_action: errors` (or when its own client refuses an entry). What the person typed
 * is kept in drafts, so a re-render never loses it.
 */
import { conversationOptionTags, optionTags, userOptionTags } from './elements.js';
import { escapeHtml } from './escape.js';
import { plainOf, renderTextObject } from './text.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */
/** @typedef {import('../types.js').BlockJson} BlockJson */
/** @typedef {string | string[] | null | undefined} Draft */

/**
 * What an element holds in Slack's `view.state.values` shape, as a list of values.
 * @param {BlockJson | undefined} entry
 * @returns {string[] | undefined}
 */
export function stateValues(entry) {
  if (!entry) return undefined;
  const single = entry.value ?? entry.selected_option?.value ?? entry.selected_user ?? entry.selected_date;
  const one = single ?? entry.selected_time ?? entry.selected_conversation ?? entry.selected_channel;
  if (one !== undefined && one !== null) return [String(one)];
  if (entry.selected_date_time != null) return [String(entry.selected_date_time)];
  const many =
    entry.selected_options?.map((/** @type {BlockJson} */ o) => o.value) ??
    entry.selected_users ??
    entry.selected_conversations ??
    entry.selected_channels;
  return Array.isArray(many) ? many.map(String) : [];
}

/**
 * The element's initial value(s), as the app set them.
 * @param {BlockJson} el
 * @returns {string[]}
 */
export function initialValues(el) {
  const one =
    el.initial_value ??
    el.initial_option?.value ??
    el.initial_user ??
    el.initial_date ??
    el.initial_time ??
    el.initial_conversation ??
    el.initial_channel ??
    (el.initial_date_time !== undefined ? String(el.initial_date_time) : undefined);
  if (typeof one === 'string') return [one];
  const many =
    el.initial_options?.map((/** @type {BlockJson} */ o) => o.value) ??
    el.initial_users ??
    el.initial_conversations ??
    el.initial_channels;
  return Array.isArray(many) ? many.map(String) : [];
}

/**
 * @param {BlockJson} el
 * @param {BlockJson | undefined} entry
 * @param {Draft} draft
 */
function current(el, entry, draft) {
  if (draft !== undefined) return draft === null ? [] : Array.isArray(draft) ? draft : [draft];
  return stateValues(entry) ?? initialValues(el);
}

/**
 * @param {BlockJson} block an input block
 * @param {RenderContext} ctx
 * @param {{ entry?: BlockJson; draft?: Draft; error?: string }} opts
 * @returns {string}
 */
export function renderInputBlock(block, ctx, opts) {
  const el = block.element ?? {};
  const blockId = String(block.block_id ?? '');
  const fieldId = `in-${blockId}-${el.action_id ?? ''}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const values = current(el, opts.entry, opts.draft);
  const label = `<label class="input-label" for="${escapeHtml(fieldId)}">${escapeHtml(plainOf(block.label))}${block.optional ? ' <span class="optional">(optional)</span>' : ''}</label>`;
  const hint = block.hint ? `<div class="input-hint">${renderTextObject(block.hint, ctx)}</div>` : '';
  const error = opts.error ? `<div class="input-error" role="alert">${escapeHtml(opts.error)}</div>` : '';
  return `<div class="b-input${opts.error ? ' has-error' : ''}" data-block-id="${escapeHtml(blockId)}">${label}${inputElement(el, blockId, fieldId, values, ctx)}${hint}${error}</div>`;
}

/**
 * @param {BlockJson} el
 * @param {string} blockId
 * @param {string} fieldId
 * @param {string[]} values
 * @param {RenderContext} ctx
 */
function inputElement(el, blockId, fieldId, values, ctx) {
  const attrs = `id="${escapeHtml(fieldId)}" data-input="${escapeHtml(el.type)}" data-block-id="${escapeHtml(blockId)}" data-action-id="${escapeHtml(el.action_id ?? '')}"`;
  const ph = el.placeholder ? ` placeholder="${escapeHtml(plainOf(el.placeholder))}"` : '';
  const first = values[0] ?? '';
  const has = (/** @type {string} */ v) => values.includes(v);
  const lengths = `${typeof el.min_length === 'number' ? ` minlength="${el.min_length}"` : ''}${typeof el.max_length === 'number' ? ` maxlength="${el.max_length}"` : ''}`;
  const empty = (/** @type {string} */ text) =>
    `<option value=""${values.length ? '' : ' selected'}>${escapeHtml(text)}</option>`;
  switch (el.type) {
    case 'plain_text_input':
    case 'rich_text_input':
      return el.multiline || el.type === 'rich_text_input'
        ? `<textarea class="in-text" rows="4" ${attrs}${ph}${lengths}>${escapeHtml(first)}</textarea>`
        : `<input type="text" class="in-text" ${attrs}${ph}${lengths} value="${escapeHtml(first)}">`;
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const type = el.type === 'email_text_input' ? 'email' : el.type === 'url_text_input' ? 'url' : 'text';
      return `<input type="${type}" class="in-text" ${attrs}${ph} value="${escapeHtml(first)}">`;
    }
    case 'static_select':
    case 'external_select':
      return `<select class="in-select" ${attrs}>${empty(plainOf(el.placeholder) || 'Select an option')}${optionTags(el, has)}</select>`;
    case 'multi_static_select':
    case 'multi_external_select':
      return `<select class="in-select" multiple ${attrs}>${optionTags(el, has)}</select>`;
    case 'users_select':
      return `<select class="in-select" ${attrs}>${empty(plainOf(el.placeholder) || 'Choose a person')}${userOptionTags(ctx, has)}</select>`;
    case 'multi_users_select':
      return `<select class="in-select" multiple ${attrs}>${userOptionTags(ctx, has)}</select>`;
    case 'conversations_select':
    case 'channels_select':
      return `<select class="in-select" ${attrs}>${empty(plainOf(el.placeholder) || 'Choose a channel')}${conversationOptionTags(ctx, has)}</select>`;
    case 'multi_conversations_select':
    case 'multi_channels_select':
      return `<select class="in-select" multiple ${attrs}>${conversationOptionTags(ctx, has)}</select>`;
    case 'radio_buttons':
    case 'checkboxes': {
      const kind = el.type === 'radio_buttons' ? 'radio' : 'checkbox';
      const options = (el.options ?? [])
        .map((/** @type {BlockJson} */ o, /** @type {number} */ i) => {
          const description = o.description
            ? `<div class="choice-description">${renderTextObject(o.description, ctx)}</div>`
            : '';
          return `<label class="choice"><input type="${kind}" name="${escapeHtml(fieldId)}" id="${escapeHtml(`${fieldId}-${i}`)}" value="${escapeHtml(o.value ?? '')}"${has(String(o.value ?? '')) ? ' checked' : ''}> <span>${renderTextObject(o.text, ctx)}${description}</span></label>`;
        })
        .join('');
      return `<fieldset class="in-choices" ${attrs}>${options}</fieldset>`;
    }
    case 'datepicker':
      return `<input type="date" class="in-text" ${attrs} value="${escapeHtml(first)}">`;
    case 'timepicker':
      return `<input type="time" class="in-text" ${attrs} value="${escapeHtml(first)}">`;
    case 'datetimepicker': {
      const seconds = Number(first);
      const local = first && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString().slice(0, 16) : '';
      return `<input type="datetime-local" class="in-text" ${attrs} value="${local}">`;
    }
    case 'file_input':
      return `<div class="unsupported" ${attrs}>File uploads are not available in the sandbox.</div>`;
    default:
      return `<div class="unsupported" ${attrs}>[${escapeHtml(el.type)}]</div>`;
  }
}
