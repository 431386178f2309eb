// @ts-check
/** HTML escaping for everything the page renders from workspace data. */

/** @type {Record<string, string>} */
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and double- or single-quoted attributes.
 * @param {string | number | boolean | null | undefined} value
 * @returns {string}
 */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Undoes the three escapes Slack requires in message text (&amp; &lt; &gt;), and no others:
 * https://docs.slack.dev/messaging/formatting-message-text/ ("Escaping text").
 * @param {string} text
 * @returns {string}
 */
export function decodeSlackEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A link target the page will follow: http(s) and mailto only, so a message cannot run
 * script through a `javascript:` URL.
 * @param {string} url
 * @returns {boolean}
 */
export function isSafeUrl(url) {
  return /^(https?:\/\/|mailto:)/i.test(url.trim());
}
