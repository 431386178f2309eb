// @ts-check
/** What the page last read from the server, and what the person has done locally. */

/** @typedef {import('./types.js').WorkspaceJson} WorkspaceJson */
/** @typedef {import('./types.js').ConversationStateJson} ConversationStateJson */
/** @typedef {import('./types.js').ViewsJson} ViewsJson */
/** @typedef {import('./types.js').OrgPanelJson} OrgPanelJson */
/** @typedef {import('./types.js').RenderContext} RenderContext */
/** @typedef {import('./types.js').DraftValues} DraftValues */
/** @typedef {import('./types.js').EphemeralJson} EphemeralJson */
/** @typedef {import('./types.js').LiveEventJson} LiveEventJson */

export const app = {
  /** @type {WorkspaceJson | null} */ workspace: null,
  acting: '',
  /** A conversation id, or "home". */
  current: '',
  /** @type {ConversationStateJson | null} */ conversation: null,
  /** @type {ViewsJson | null} */ views: null,
  /** @type {OrgPanelJson | null} */ org: null,
  /** @type {string | null} */ orgError: null,
  now: Date.now(),
  /** @type {Record<string, DraftValues>} what was typed in each modal, by view id */
  drafts: {},
  /** @type {Record<string, Record<string, string>>} client-side refusals, by view id */
  refused: {},
  /** @type {Record<string, string>} a notice shown in a modal, by view id */
  notices: {},
  busyView: '',
  dismissed: new Set(),
  /** @type {Map<string, number>} */ unread: new Map(),
  /** @type {EphemeralJson[]} what Slack's own client says to the person (e.g. a failed command) */
  localNotices: [],
  modalKey: '',
};

/** @returns {RenderContext} */
export function context() {
  const ws = /** @type {WorkspaceJson} */ (app.workspace);
  const me = ws.users.find((u) => u.id === app.acting);
  return {
    users: Object.fromEntries(ws.users.map((u) => [u.id, u])),
    channels: Object.fromEntries(ws.conversations.map((c) => [c.id, c])),
    botUserId: ws.botUserId,
    appName: ws.appName,
    now: app.now,
    tzOffset: me?.tz_offset ?? 0,
  };
}
