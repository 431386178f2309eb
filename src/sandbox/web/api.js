// @ts-check
/** The page server's JSON API and its event stream. */

/** @typedef {import('./types.js').WorkspaceJson} WorkspaceJson */
/** @typedef {import('./types.js').ConversationStateJson} ConversationStateJson */
/** @typedef {import('./types.js').ViewsJson} ViewsJson */
/** @typedef {import('./types.js').OrgPanelJson} OrgPanelJson */
/** @typedef {import('./types.js').TimeJson} TimeJson */
/** @typedef {import('./types.js').LiveEventJson} LiveEventJson */

/** A refusal from the server, with its code and any field errors. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {Record<string, string> | undefined} fields
   */
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/**
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
async function call(path, init) {
  const res = await fetch(path, init);
  /** @type {any} */
  let body = null;
  try {
    body = await res.json();
  } catch {
    // An empty or non-JSON body: reported by status below.
  }
  if (!res.ok)
    throw new ApiError(res.status, body?.error ?? 'http_error', body?.message ?? `HTTP ${res.status}`, body?.fields);
  return body;
}

const q = (/** @type {Record<string, string>} */ params) => new URLSearchParams(params).toString();

/** @returns {Promise<WorkspaceJson>} */
export const getWorkspace = () => call('/api/workspace');
/** @returns {Promise<ConversationStateJson>} */
export const getConversation = (/** @type {string} */ id, /** @type {string} */ as) =>
  call(`/api/conversations/${encodeURIComponent(id)}?${q({ as })}`);
/** @returns {Promise<ViewsJson>} */
export const getViews = (/** @type {string} */ as) => call(`/api/views?${q({ as })}`);
/** @returns {Promise<OrgPanelJson>} */
export const getOrg = () => call('/api/org');
/** @returns {Promise<TimeJson>} */
export const getTime = () => call('/api/time');

/**
 * @param {string} path
 * @param {Record<string, unknown>} body
 * @returns {Promise<any>}
 */
export const post = (path, body) =>
  call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * Subscribes to the live feed; `onReconnect` runs when the stream comes back after a drop
 * (events may have been missed: re-read everything).
 * @param {(event: LiveEventJson) => void} onEvent
 * @param {() => void} onReconnect
 */
export function subscribe(onEvent, onReconnect) {
  const source = new EventSource('/api/events');
  let dropped = false;
  source.onopen = () => {
    if (dropped) onReconnect();
    dropped = false;
    document.body.dataset.live = 'open';
  };
  source.onerror = () => {
    dropped = true;
    document.body.dataset.live = 'reconnecting';
  };
  source.onmessage = (e) => {
    try {
      onEvent(JSON.parse(e.data));
    } catch (err) {
      console.error('bad live event', err);
    }
  };
  return () => source.close();
}
