// @ts-check
/** Reading what a person entered in a modal, and Block Kit's confirmation dialog. */
import { queryEl } from './dom.js';
import { escapeHtml, renderTextObject, plainOf } from './render/index.js';

/** @typedef {import('./types.js').DraftValues} DraftValues */
/** @typedef {import('./types.js').RenderContext} RenderContext */

/**
 * One input's value in the form the simulator's driver takes (string, list, or null).
 * @param {HTMLElement} el an element carrying data-input
 * @returns {string | string[] | null}
 */
export function inputValue(el) {
  if (el instanceof HTMLFieldSetElement) {
    const checked = [...el.querySelectorAll('input:checked')].map((i) => /** @type {HTMLInputElement} */ (i).value);
    return el.dataset.input === 'checkboxes' ? checked : (checked[0] ?? null);
  }
  if (el instanceof HTMLSelectElement) {
    if (el.multiple) return [...el.selectedOptions].map((o) => o.value);
    return el.value === '' ? null : el.value;
  }
  if (el instanceof HTMLInputElement && el.type === 'datetime-local') {
    const ms = Date.parse(`${el.value}:00Z`);
    return Number.isNaN(ms) ? null : String(Math.floor(ms / 1000));
  }
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el.value;
  return null;
}

/**
 * Everything entered in a form: block_id → action_id → value.
 * @param {ParentNode} root
 * @returns {DraftValues}
 */
export function collectValues(root) {
  /** @type {DraftValues} */
  const out = {};
  for (const node of root.querySelectorAll('[data-input]')) {
    const el = /** @type {HTMLElement} */ (node);
    const blockId = el.dataset.blockId ?? '';
    const actionId = el.dataset.actionId ?? '';
    if (el.dataset.input === 'file_input') continue;
    (out[blockId] ??= {})[actionId] = inputValue(el);
  }
  return out;
}

/**
 * Shows a confirmation dialog object (https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object);
 * resolves true when the person confirms.
 * @param {HTMLElement} root
 * @param {any} confirm
 * @param {RenderContext} ctx
 * @returns {Promise<boolean>}
 */
export function askConfirmation(root, confirm, ctx) {
  const style = confirm.style === 'danger' ? 'btn-danger' : 'btn-primary';
  root.innerHTML =
    `<div class="overlay"><div class="confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title">` +
    `<h2 id="confirm-title">${escapeHtml(plainOf(confirm.title) || 'Are you sure?')}</h2>` +
    `<div class="confirm-text">${renderTextObject(confirm.text, ctx)}</div>` +
    `<footer class="modal-footer"><button type="button" class="btn" data-confirm-answer="no">${escapeHtml(plainOf(confirm.deny) || 'Cancel')}</button>` +
    `<button type="button" class="btn ${style}" data-confirm-answer="yes">${escapeHtml(plainOf(confirm.confirm) || 'Yes')}</button></footer></div></div>`;
  return new Promise((resolve) => {
    const done = (/** @type {boolean} */ yes) => {
      root.innerHTML = '';
      document.removeEventListener('keydown', onKey);
      resolve(yes);
    };
    const onKey = (/** @type {KeyboardEvent} */ e) => {
      if (e.key === 'Escape') done(false);
    };
    document.addEventListener('keydown', onKey);
    root
      .querySelectorAll('[data-confirm-answer]')
      .forEach((b) =>
        b.addEventListener('click', () => done(/** @type {HTMLElement} */ (b).dataset.confirmAnswer === 'yes')),
      );
    queryEl(root, '[data-confirm-answer="yes"]')?.focus();
  });
}
