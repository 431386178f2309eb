// @ts-check
/**
 * What a person does on the page, sent to the server (which plays it to Steward through the
 * Slack simulator's driver): clicks and picks in messages, the Home tab and modals (after
 * the element's confirmation dialog, if any), modal submit and close, slash commands and
 * messages from the composer, the acting-person picker and the clock.
 */
import * as api from './api.js';
import { closestEl } from './dom.js';
import { askConfirmation, collectValues, inputValue } from './forms.js';

/** @typedef {import('./types.js').RenderContext} RenderContext */
/** @typedef {import('./types.js').DraftValues} DraftValues */
/** @typedef {import('./types.js').EphemeralJson} EphemeralJson */

/**
 * @typedef {object} AppState
 * @property {string} acting
 * @property {string} current
 * @property {Record<string, DraftValues>} drafts
 * @property {Record<string, Record<string, string>>} refused
 * @property {Record<string, string>} notices
 * @property {string} busyView
 * @property {Set<string>} dismissed
 * @property {EphemeralJson[]} localNotices
 * @property {number} now
 */

/**
 * @typedef {object} Page
 * @property {(target: string) => Promise<void>} open
 * @property {(userId: string) => Promise<void>} actAs
 * @property {() => Promise<void>} loadViews
 * @property {() => Promise<void>} loadConversation
 * @property {() => Promise<void>} loadTime
 * @property {() => void} renderMain
 * @property {() => void} renderModalLayer
 * @property {(text: string, kind?: 'info' | 'error') => void} toast
 * @property {() => RenderContext} context
 */

/**
 * Slack's permalink form, https://{workspace}.slack.com/archives/{channel}/p{ts without the dot}.
 * @param {string} href
 * @returns {{ channel: string; ts: string } | null}
 */
export function messageLink(href) {
  const m = /^https:\/\/(?:[\w-]+\.)?slack\.com\/archives\/([A-Z0-9]+)\/p(\d{7,})$/.exec(href);
  return m && m[1] && m[2] ? { channel: m[1], ts: `${m[2].slice(0, -6)}.${m[2].slice(-6)}` } : null;
}

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const errorText = (/** @type {unknown} */ err) => (err instanceof Error ? err.message : String(err));

/**
 * @param {AppState} app
 * @param {Page} page
 */
export function bindInteractions(app, page) {
  /** A note from the Slack client itself, shown like an ephemeral message from Slackbot. */
  const clientNotice = (/** @type {string} */ channel, /** @type {string} */ text) => {
    app.localNotices.push({ ts: (app.now / 1000).toFixed(6), channel, user: app.acting, text, source: 'slack_client' });
    page.renderMain();
  };

  /**
   * A click or pick on an interactive element: block_actions to Steward.
   * @param {HTMLElement} el the element carrying data-action-id
   * @param {string | undefined} value
   */
  async function act(el, value) {
    const container = closestEl(el, '[data-surface]');
    if (!container) return;
    if (
      el.dataset.confirm &&
      !(await askConfirmation(byId('confirm-root'), JSON.parse(el.dataset.confirm), page.context()))
    )
      return;
    if (el.dataset.url) window.open(el.dataset.url, '_blank', 'noopener');
    /** @type {Record<string, unknown>} */
    const body = { as: app.acting, actionId: el.dataset.actionId, blockId: el.dataset.blockId, value };
    if (container.dataset.surface === 'message') {
      body.channel = container.dataset.channel;
      body.ts = container.dataset.ts;
    } else {
      body.viewId = container.dataset.viewId;
      body.values = collectValues(container);
    }
    el.classList.add('pending');
    try {
      const res = await api.post('/api/click', body);
      if (res.failure) page.toast(`Slack would show a warning on this button: ${res.failure}`, 'error');
    } catch (err) {
      page.toast(errorText(err), 'error');
    } finally {
      el.classList.remove('pending');
    }
  }

  /**
   * A link to a message of this workspace opens it here, as Slack's client does.
   * @param {string} channel
   * @param {string} ts
   */
  async function reveal(channel, ts) {
    await page.open(channel);
    const msg = document.querySelector(`.msg[data-ts="${CSS.escape(ts)}"]`);
    msg?.scrollIntoView({ block: 'center' });
    msg?.classList.add('flash');
  }

  /** @param {HTMLFormElement} form */
  async function submitModal(form) {
    const viewId = form.dataset.viewId ?? '';
    app.drafts[viewId] = collectValues(form);
    app.busyView = viewId;
    delete app.notices[viewId];
    page.renderModalLayer();
    try {
      const res = await api.post('/api/submit', { as: app.acting, viewId, values: app.drafts[viewId] });
      delete app.refused[viewId];
      if (res.failure || res.rejected)
        app.notices[viewId] = `Steward did not take this: ${res.failure ?? res.rejected}`;
      else if (res.top !== viewId) delete app.drafts[viewId];
    } catch (err) {
      if (err instanceof api.ApiError && err.code === 'refused_by_client') app.refused[viewId] = err.fields ?? {};
      else app.notices[viewId] = errorText(err);
    } finally {
      app.busyView = '';
      page.renderModalLayer();
      await page.loadViews();
    }
  }

  /** @param {string} viewId */
  async function closeModal(viewId) {
    try {
      await api.post('/api/close', { as: app.acting, viewId });
      delete app.drafts[viewId];
      delete app.refused[viewId];
    } catch (err) {
      page.toast(errorText(err), 'error');
    }
    await page.loadViews();
  }

  document.addEventListener('click', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const opener = closestEl(target, '[data-open]');
    if (opener?.dataset.open) return void page.open(opener.dataset.open);
    const link = closestEl(target, 'a[href]');
    const archived = link ? messageLink(link.getAttribute('href') ?? '') : null;
    if (archived && document.querySelector(`[data-open="${CSS.escape(archived.channel)}"]`)) {
      e.preventDefault();
      return void reveal(archived.channel, archived.ts);
    }
    const el = closestEl(target, '[data-el]');
    if (!el) return;
    if (el.dataset.el === 'button') return void act(el, el.dataset.value);
    if (el.dataset.el === 'close') {
      const form = closestEl(el, '[data-view-id]');
      if (form?.dataset.viewId) void closeModal(form.dataset.viewId);
      return;
    }
    if (el.dataset.el === 'dismiss') {
      const msg = closestEl(el, '.msg');
      app.dismissed.add(`${msg?.dataset.channel}/${msg?.dataset.ts}`);
      page.renderMain();
    }
  });

  document.addEventListener('change', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    if (target.dataset.el === 'select') {
      const value = /** @type {HTMLInputElement} */ (target).value;
      void act(target, value);
      if (target.classList.contains('el-overflow')) /** @type {HTMLSelectElement} */ (target).value = '';
      return;
    }
    const choices = closestEl(target, '[data-el="choice"]');
    if (choices) return void act(choices, /** @type {HTMLInputElement} */ (target).value);
    rememberDraft(target);
  });
  document.addEventListener('input', (e) => rememberDraft(/** @type {HTMLElement} */ (e.target)));

  /** @param {HTMLElement} target */
  function rememberDraft(target) {
    const field = closestEl(target, '[data-input]');
    const viewId = closestEl(target, '[data-view-id]')?.dataset.viewId;
    if (!field || !viewId) return;
    const drafts = (app.drafts[viewId] ??= {});
    (drafts[field.dataset.blockId ?? ''] ??= {})[field.dataset.actionId ?? ''] = inputValue(field);
  }

  document.addEventListener('submit', (e) => {
    const form = /** @type {HTMLFormElement} */ (e.target);
    if (!form.classList.contains('modal')) return;
    e.preventDefault();
    void submitModal(form);
  });

  byId('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    void sendFromComposer();
  });

  async function sendFromComposer() {
    const input = /** @type {HTMLInputElement} */ (byId('composer-input'));
    const text = input.value.trim();
    if (!text || app.current === 'home') return;
    const channel = app.current;
    try {
      if (text.startsWith('/')) {
        const res = await api.post('/api/command', { as: app.acting, channel, text });
        if (res.failure) clientNotice(channel, `${text.split(/\s+/)[0]} failed: ${res.failure}`);
      } else {
        await api.post('/api/message', { as: app.acting, channel, text });
      }
      input.value = '';
    } catch (err) {
      clientNotice(channel, errorText(err));
    }
  }

  byId('acting').addEventListener('change', (e) => void page.actAs(/** @type {HTMLSelectElement} */ (e.target).value));
  byId('toggle-org').addEventListener('click', () => {
    const aside = byId('org');
    aside.hidden = !aside.hidden;
  });
  for (const button of document.querySelectorAll('[data-advance]')) {
    button.addEventListener('click', () => void advance(button));
  }

  /**
   * +1 day / +1 week: the server moves the simulated clock and runs the scheduler's jobs.
   * @param {Element} button
   */
  async function advance(button) {
    const days = Number(button instanceof HTMLElement ? button.dataset.advance : 1);
    const controls = byId('clock-controls');
    controls.classList.add('busy');
    controls.querySelectorAll('button').forEach((b) => (b.disabled = true));
    try {
      const res = await api.post('/api/time/advance', { days });
      const ran = /** @type {Array<{ job: string; ok: boolean; summary?: string }>} */ (res.ran)
        .map((r) => `${r.ok ? '✓' : '✗'} ${r.job}${r.summary ? ` (${r.summary})` : ''}`)
        .join(', ');
      page.toast(`+${days} day${days === 1 ? '' : 's'}. ${ran || 'No jobs ran.'}`);
      await page.loadTime();
    } catch (err) {
      page.toast(errorText(err), 'error');
    } finally {
      controls.classList.remove('busy');
      controls.querySelectorAll('button').forEach((b) => (b.disabled = false));
    }
  }
}
