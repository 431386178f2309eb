// @ts-check
/**
 * The sandbox page: a small Slack client of the simulated workspace. It keeps what it last
 * read from the server, re-reads what the live feed says changed, and renders with the pure
 * renderers in ./render. Everything a person does goes to the server, which plays it to
 * Steward through the Slack simulator's driver.
 */
import * as api from './api.js';
import { bindInteractions } from './interact.js';
import { loadConversation, loadOrg, loadTime, loadViews, loadWorkspace } from './loaders.js';
import { renderChrome, renderClock, renderMain, renderModalLayer, renderOrg, toast } from './screen.js';
import { actors } from './sidebar.js';
import { app, context } from './state.js';

/** @typedef {import('./types.js').LiveEventJson} LiveEventJson */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} target a conversation id or "home" */
export async function open(target) {
  const ws = app.workspace;
  const conv = ws?.conversations.find((c) => c.id === target);
  // A DM is acted in by its person: opening one acts as them.
  const switched = conv?.kind === 'im' && conv.user !== null && conv.user !== app.acting;
  if (switched && conv.user) await actAs(conv.user, false);
  app.current = target;
  app.unread.delete(target);
  app.conversation = null;
  $('messages').innerHTML = '<div class="empty">Loading…</div>';
  saveLocation();
  renderChrome();
  renderMain();
  if (target === 'home') {
    await loadViews();
    // Slack tells the app each time someone opens its Home tab.
    api.post('/api/home-opened', { as: app.acting }).catch((err) => toast(err.message, 'error'));
  } else await Promise.all([loadConversation(), switched ? loadViews() : undefined]);
}

/**
 * @param {string} userId
 * @param {boolean} reload
 */
export async function actAs(userId, reload = true) {
  app.acting = userId;
  app.modalKey = '';
  saveLocation();
  if (!reload) return;
  renderChrome();
  await Promise.all([loadViews(), loadConversation()]);
  if (app.current === 'home')
    api.post('/api/home-opened', { as: app.acting }).catch((err) => toast(err.message, 'error'));
}

function saveLocation() {
  history.replaceState(null, '', `#${new URLSearchParams({ as: app.acting, open: app.current })}`);
}

/** @param {LiveEventJson} e */
function onLive(e) {
  if (e.type === 'org') return void loadOrg();
  if (e.type === 'time') {
    app.now = Date.parse(e.now);
    renderClock();
    renderOrg();
    return void Promise.all([loadConversation(), loadViews()]);
  }
  const c = e.change;
  if (c.kind.startsWith('message.') || c.kind === 'ephemeral.posted') {
    const mine = c.kind !== 'ephemeral.posted' || c.user === app.acting;
    if (c.channel === app.current && mine) return void loadConversation();
    if (mine && c.channel && (c.kind === 'message.posted' || c.kind === 'ephemeral.posted')) {
      app.unread.set(c.channel, (app.unread.get(c.channel) ?? 0) + 1);
      renderChrome();
    }
    return;
  }
  if (c.kind.startsWith('view.') || c.kind === 'home.published') {
    if (c.user === app.acting) void loadViews();
    return;
  }
  if (c.kind === 'user.changed' || c.kind === 'channel.changed') void loadWorkspace().then(renderMain);
}

async function start() {
  app.workspace = await api.getWorkspace();
  const ws = app.workspace;
  const params = new URLSearchParams(location.hash.slice(1));
  const people = actors(ws);
  const wanted = params.get('as');
  app.acting = people.find((u) => u.id === wanted)?.id ?? people.find((u) => u.is_admin)?.id ?? people[0]?.id ?? '';
  const openParam = params.get('open');
  const first =
    openParam && (openParam === 'home' || ws.conversations.some((c) => c.id === openParam))
      ? openParam
      : (ws.homeChannel ?? ws.conversations.find((c) => c.kind !== 'im')?.id ?? 'home');
  bindInteractions(app, {
    open,
    actAs,
    loadViews,
    loadConversation,
    loadTime,
    renderMain,
    renderModalLayer,
    toast,
    context,
  });
  api.subscribe(
    onLive,
    () => void Promise.all([loadWorkspace(), loadConversation(), loadViews(), loadOrg(), loadTime()]),
  );
  await loadTime();
  await open(first);
  await Promise.all([loadViews(), loadOrg()]);
  document.body.dataset.ready = '1';
}

start().catch((err) => {
  document.body.dataset.ready = 'failed';
  toast(`The page could not start: ${err.message}`, 'error');
});
