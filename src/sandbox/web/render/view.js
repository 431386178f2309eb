// @ts-check
/**
 * Surfaces built from views (https://docs.slack.dev/surfaces/modals, .../surfaces/app-home):
 * the modal on top of a person's stack, with title, close (×), blocks, Cancel and Submit, and
 * field errors under their inputs; and the App Home tab.
 */
import { renderBlocks } from './blocks.js';
import { escapeHtml } from './escape.js';
import { plainOf } from './text.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */
/** @typedef {import('../types.js').ViewJson} ViewJson */
/** @typedef {import('../types.js').DraftValues} DraftValues */

/**
 * @param {ViewJson} view
 * @param {RenderContext} ctx
 * @param {{ drafts?: DraftValues; refused?: Record<string, string>; busy?: boolean; depth?: number; notice?: string }} [opts]
 *   `refused`: errors the Slack client itself shows (required field, too short) before sending anything.
 * @returns {string}
 */
export function renderModal(view, ctx, opts = {}) {
  const errors = { ...view.errors, ...opts.refused };
  const body = renderBlocks(view.blocks, ctx, { state: view.state?.values, drafts: opts.drafts, errors });
  const back = (opts.depth ?? 1) > 1 ? '<span class="modal-back" aria-hidden="true">‹</span>' : '';
  const submit = view.submit
    ? `<button type="submit" class="btn btn-primary" data-el="submit"${opts.busy ? ' disabled' : ''}>${escapeHtml(plainOf(view.submit))}</button>`
    : '';
  const close = `<button type="button" class="btn" data-el="close">${escapeHtml(plainOf(view.close) || (view.submit ? 'Cancel' : 'Close'))}</button>`;
  const notice = opts.notice ? `<div class="modal-notice" role="alert">${escapeHtml(opts.notice)}</div>` : '';
  return (
    `<form class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title-${escapeHtml(view.id)}" data-surface="view" data-view-id="${escapeHtml(view.id)}" data-hash="${escapeHtml(view.hash)}" novalidate>` +
    `<header class="modal-header">${back}<h2 id="modal-title-${escapeHtml(view.id)}">${escapeHtml(plainOf(view.title))}</h2>` +
    `<button type="button" class="modal-x" data-el="close" aria-label="Close">×</button></header>` +
    `<div class="modal-body">${body}</div>${notice}<footer class="modal-footer">${close}${submit}</footer></form>`
  );
}

/**
 * @param {ViewJson | null} view
 * @param {RenderContext} ctx
 * @returns {string}
 */
export function renderHome(view, ctx) {
  if (!view)
    return `<div class="empty">${escapeHtml(ctx.appName)} has not published a Home tab for this person yet.</div>`;
  return `<div class="home" data-surface="view" data-view-id="${escapeHtml(view.id)}">${renderBlocks(view.blocks, ctx, { state: view.state?.values })}</div>`;
}
