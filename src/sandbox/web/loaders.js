// @ts-check
/** Re-reading parts of the workspace from the server, coalescing bursts of live events. */
import * as api from './api.js';
import { renderChrome, renderClock, renderMain, renderModalLayer, renderOrg, toast } from './screen.js';
import { app } from './state.js';

/** @type {Record<string, { running: boolean; again: boolean }>} */
const loads = {};
/**
 * Runs `load` now, or once more after the running one: bursts of events cost two reads.
 * @param {string} key
 * @param {() => Promise<void>} load
 */
export async function refresh(key, load) {
  const s = (loads[key] ??= { running: false, again: false });
  if (s.running) {
    s.again = true;
    return;
  }
  s.running = true;
  try {
    do {
      s.again = false;
      await load().catch((err) => toast(`Could not read ${key}: ${err.message}`, 'error'));
    } while (s.again);
  } finally {
    s.running = false;
  }
}

export const loadWorkspace = () =>
  refresh('workspace', async () => {
    app.workspace = await api.getWorkspace();
    renderChrome();
  });
export const loadConversation = () =>
  refresh('conversation', async () => {
    if (app.current === 'home' || !app.current) return;
    const c = await api.getConversation(app.current, app.acting);
    if (c.id !== app.current) return;
    app.conversation = c;
    app.now = c.now;
    renderMain();
  });
export const loadViews = () =>
  refresh('views', async () => {
    const v = await api.getViews(app.acting);
    app.views = v;
    app.now = v.now;
    renderModalLayer();
    if (app.current === 'home') renderMain();
  });
export const loadOrg = () =>
  refresh('org', async () => {
    if (!app.workspace?.features.org) return;
    try {
      app.org = await api.getOrg();
      app.orgError = null;
    } catch (err) {
      app.orgError = /** @type {Error} */ (err).message;
    }
    renderOrg();
  });
export const loadTime = () =>
  refresh('time', async () => {
    const t = await api.getTime();
    app.now = Date.parse(t.now);
    renderClock();
  });
