// @ts-check
/** Drawing the page from its state with the pure renderers in ./render. */
import { queryEl } from './dom.js';
import {
  escapeHtml,
  formatSlackDate,
  renderConversation,
  renderHome,
  renderModal,
  renderOrgPanel,
} from './render/index.js';
import { actors, renderSidebar } from './sidebar.js';
import { app, context } from './state.js';

/** @typedef {import('./types.js').WorkspaceJson} WorkspaceJson */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** The picker's options as last drawn. */
let pickerOptions = '';

export function renderChrome() {
  const ws = app.workspace;
  if (!ws) return;
  $('team').textContent = ws.team.name;
  const picker = /** @type {HTMLSelectElement} */ ($('acting'));
  const options = actors(ws)
    .map(
      (u) =>
        `<option value="${escapeHtml(u.id)}">${escapeHtml(u.real_name || u.name)}${u.is_admin ? ' (admin)' : ''}</option>`,
    )
    .join('');
  // Rebuilt only when the people change: an open picker stays open through live updates.
  if (pickerOptions !== options) {
    picker.innerHTML = options;
    pickerOptions = options;
  }
  picker.value = app.acting;
  $('sidebar').innerHTML = renderSidebar(ws, { acting: app.acting, current: app.current, unread: app.unread });
  $('clock-controls').hidden = !ws.features.time;
  $('toggle-org').hidden = !ws.features.org;
  if (!ws.features.org) $('org').hidden = true;
  renderClock();
}

export function renderClock() {
  $('sim-date').textContent = formatSlackDate({
    epochSeconds: Math.floor(app.now / 1000),
    format: '{date_long} {time}',
    now: app.now,
    tzOffset: app.workspace ? context().tzOffset : 0,
  });
}

export function renderMain() {
  const ws = app.workspace;
  if (!ws) return;
  const ctx = context();
  const header = $('channel-header');
  const composer = /** @type {HTMLFormElement} */ ($('composer'));
  const input = /** @type {HTMLInputElement} */ ($('composer-input'));
  if (app.current === 'home') {
    const me = ctx.users[app.acting];
    header.innerHTML = `<h1>${escapeHtml(ws.appName)} <span class="tab">Home</span></h1><div class="topic">What ${escapeHtml(me?.real_name ?? app.acting)} sees in the app's Home tab</div>`;
    $('messages').innerHTML = renderHome(app.views?.home ?? null, ctx);
    composer.hidden = true;
    return;
  }
  const conv = ws.conversations.find((c) => c.id === app.current);
  if (!conv) return;
  const title =
    conv.kind === 'im'
      ? `${ws.appName} ↔ ${escapeHtml(ctx.users[conv.user ?? '']?.real_name ?? conv.user ?? '')}`
      : `${conv.is_private ? '🔒' : '#'}${escapeHtml(conv.name)}`;
  const member = conv.kind === 'im' ? conv.user === app.acting : conv.members.includes(app.acting);
  const note = member
    ? ''
    : `<div class="viewer-note">You are acting as ${escapeHtml(ctx.users[app.acting]?.real_name ?? app.acting)}, who is not in this conversation: they cannot click here.</div>`;
  header.innerHTML = `<h1>${title}</h1><div class="topic">${escapeHtml(conv.topic)}</div>${note}`;
  composer.hidden = false;
  input.placeholder =
    conv.kind === 'im'
      ? `/steward … (people cannot write to ${ws.appName}; commands work)`
      : `Message #${conv.name} or type /steward …`;
  if (app.conversation?.id !== conv.id) return;
  const state = {
    ...app.conversation,
    ephemerals: [
      ...app.conversation.ephemerals,
      ...app.localNotices.filter((n) => n.channel === conv.id && n.user === app.acting),
    ],
  };
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  box.innerHTML = renderConversation(state, ctx, { dismissed: app.dismissed });
  if (atBottom) box.scrollTop = box.scrollHeight;
}

export function renderModalLayer() {
  const root = $('modal-root');
  const stack = app.views?.modals ?? [];
  const top = stack.at(-1);
  if (!top || !app.workspace) {
    app.modalKey = '';
    root.innerHTML = '';
    return;
  }
  // Re-render only when what Slack shows changed, so typing and focus survive live updates.
  const key = JSON.stringify([
    top.id,
    top.hash,
    top.errors,
    app.refused[top.id],
    app.notices[top.id],
    app.busyView === top.id,
    stack.length,
  ]);
  if (key === app.modalKey) return;
  app.modalKey = key;
  root.innerHTML = `<div class="overlay">${renderModal(top, context(), {
    drafts: app.drafts[top.id],
    refused: app.refused[top.id],
    busy: app.busyView === top.id,
    depth: stack.length,
    notice: app.notices[top.id],
  })}</div>`;
  const first = queryEl(root, '.has-error [data-input], [data-input]');
  first?.focus();
}

export function renderOrg() {
  const aside = $('org');
  if (!app.workspace?.features.org) {
    aside.hidden = true;
    return;
  }
  aside.innerHTML = app.org
    ? renderOrgPanel(app.org, context())
    : `<div class="empty">${escapeHtml(app.orgError ?? 'Loading…')}</div>`;
}

/**
 * @param {string} text
 * @param {'info' | 'error'} [kind]
 */
export function toast(text, kind = 'info') {
  const el = document.createElement('div');
  el.className = `toast toast-${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.textContent = text;
  $('toasts').append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 9000 : 5000);
}
