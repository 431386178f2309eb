// @ts-check
/**
 * The sidebar: the channels, the app's Home tab for the person acted as, and every person's
 * DM with the app (a sandbox sees all of them; Slack would show each person only theirs).
 */
import { escapeHtml } from './render/index.js';

/** @typedef {import('./types.js').WorkspaceJson} WorkspaceJson */

/**
 * @param {WorkspaceJson} ws
 * @param {{ acting: string; current: string; unread: Map<string, number> }} at
 *   `current`: a conversation id, or "home"
 * @returns {string}
 */
export function renderSidebar(ws, at) {
  const users = new Map(ws.users.map((u) => [u.id, u]));
  const badge = (/** @type {string} */ id) => {
    const n = at.unread.get(id) ?? 0;
    return n > 0 ? `<span class="badge" data-unread="${n}">${n}</span>` : '';
  };
  const item = (/** @type {string} */ id, /** @type {string} */ label, /** @type {string[]} */ classes, title = '') =>
    `<button type="button" class="sb-item ${[id === at.current ? 'active' : '', ...classes].filter(Boolean).join(' ')}" data-open="${escapeHtml(id)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${label}${badge(id)}</button>`;

  const channels = ws.conversations
    .filter((c) => c.kind === 'channel' || c.kind === 'group')
    .sort((a, b) => (a.id === ws.homeChannel ? -1 : b.id === ws.homeChannel ? 1 : a.name.localeCompare(b.name)))
    .map((c) => {
      const member = c.members.includes(at.acting);
      return item(
        c.id,
        `<span class="sb-icon">${c.is_private ? '🔒' : '#'}</span>${escapeHtml(c.name)}`,
        member ? [] : ['muted'],
        member ? '' : 'The person you act as is not a member of this channel',
      );
    });

  const dms = ws.conversations
    .filter((c) => c.kind === 'im' && c.user)
    .map((c) => ({ c, u: users.get(c.user ?? '') }))
    .sort((a, b) => (a.u?.real_name ?? '').localeCompare(b.u?.real_name ?? ''))
    .map(({ c, u }) => {
      const name = u ? u.real_name || u.name : (c.user ?? '');
      const you = c.user === at.acting ? ' <span class="you">(you)</span>' : '';
      return item(
        c.id,
        `<span class="sb-icon presence"></span>${escapeHtml(name)}${you}`,
        u?.deleted ? ['muted'] : [],
        u?.deleted ? 'Deactivated' : '',
      );
    });

  return (
    `<div class="sb-section"><div class="sb-title">Channels</div>${channels.join('') || '<div class="sb-empty">No channels</div>'}</div>` +
    `<div class="sb-section"><div class="sb-title">Apps</div>${item('home', `<span class="sb-icon app">${escapeHtml(ws.appName.slice(0, 1))}</span>${escapeHtml(ws.appName)} · Home`, [])}</div>` +
    `<div class="sb-section"><div class="sb-title">Direct messages with ${escapeHtml(ws.appName)}</div>${dms.join('') || '<div class="sb-empty">No DMs yet</div>'}</div>`
  );
}

/**
 * The people one can act as: active humans, admins first then by name.
 * @param {WorkspaceJson} ws
 */
export function actors(ws) {
  return ws.users
    .filter((u) => !u.is_bot && !u.deleted && u.id !== 'USLACKBOT')
    .sort(
      (a, b) => Number(b.is_admin) - Number(a.is_admin) || (a.real_name || a.name).localeCompare(b.real_name || b.name),
    );
}
