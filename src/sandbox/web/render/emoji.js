// @ts-check
/**
 * The emoji shortcodes Steward's messages use, and the common ones a person might type, as
 * Unicode. A code not listed stays as text (`:name:`), as Slack shows an unknown custom emoji.
 */

/** @type {Record<string, string>} */
export const EMOJI = {
  arrow_right: '➡️',
  bell: '🔔',
  calendar: '📆',
  clipboard: '📋',
  eyes: '👀',
  heavy_check_mark: '✔️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  information_source: 'ℹ️',
  key: '🔑',
  leftwards_arrow_with_hook: '↩️',
  lock: '🔒',
  mag: '🔍',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  ok_hand: '👌',
  raising_hand: '🙋',
  red_circle: '🔴',
  repeat: '🔁',
  rotating_light: '🚨',
  shield: '🛡️',
  smile: '😄',
  sparkles: '✨',
  tada: '🎉',
  test_tube: '🧪',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  '-1': '👎',
  warning: '⚠️',
  wave: '👋',
  white_check_mark: '✅',
  x: '❌',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  zzz: '💤',
};

/**
 * Replaces known `:shortcode:`s (skin-tone suffixes dropped). Works on escaped HTML: the
 * pattern never matches inside an entity.
 * @param {string} html
 * @returns {string}
 */
export function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+?)(?:::skin-tone-\d)?:/g, (whole, /** @type {string} */ name) => {
    const glyph = EMOJI[name];
    return glyph === undefined ? whole : `<span class="emoji" title=":${name}:">${glyph}</span>`;
  });
}
