// @ts-check
/**
 * Slack mrkdwn to HTML, following https://docs.slack.dev/messaging/formatting-message-text/:
 * *bold*, _italic_, ~strike~, `code`, ```preformatted```, `>` quotes (`>>>` quotes the rest),
 * line breaks, <url|links>, <@U…> mentions shown as names, <#C…> channels, <!here>-style
 * broadcasts, <!date^…> dates and the escaped &lt; &gt; &amp;. Everything else is text,
 * HTML-escaped: message content can never inject markup into the page.
 */
import { formatSlackDate } from './dates.js';
import { emojify } from './emoji.js';
import { decodeSlackEntities, escapeHtml, isSafeUrl } from './escape.js';

/** @typedef {import('../types.js').RenderContext} RenderContext */

// Rendered fragments are parked behind these markers while the text around them is
// formatted, so no rule reaches into a link, a mention or a code span.
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * @param {string} text
 * @param {RenderContext} ctx
 * @returns {string}
 */
export function renderMrkdwn(text, ctx) {
  const clean = String(text ?? '').replace(/[\uE000\uE001]/g, '');
  const segments = clean.split('```');
  // An unmatched fence stays literal.
  if (segments.length % 2 === 0) segments.splice(-2, 2, `${segments.at(-2)}\`\`\`${segments.at(-1)}`);
  return segments
    .map((segment, i) => (i % 2 === 1 ? preformatted(segment) : lines(segment, ctx)))
    .filter((html) => html !== '')
    .join('');
}

/** @param {string} body */
function preformatted(body) {
  const trimmed = body.replace(/^\n/, '').replace(/\n$/, '');
  return `<pre class="mrkdwn-pre">${escapeHtml(decodeSlackEntities(trimmed))}</pre>`;
}

const QUOTE_ALL = /^(?:&gt;|>){3}\s?/;
const QUOTE_LINE = /^(?:&gt;|>)\s?/;

/**
 * Lines, with runs of `>` lines as one quote.
 * @param {string} text
 * @param {RenderContext} ctx
 */
function lines(text, ctx) {
  if (text === '') return '';
  /** @type {{ quote: boolean; lines: string[] }[]} */
  const groups = [];
  const push = (/** @type {boolean} */ quote, /** @type {string} */ line) => {
    const last = groups.at(-1);
    if (last && last.quote === quote) last.lines.push(line);
    else groups.push({ quote, lines: [line] });
  };
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i] ?? '';
    if (QUOTE_ALL.test(line)) {
      push(true, line.replace(QUOTE_ALL, ''));
      for (const rest of all.slice(i + 1)) push(true, rest);
      break;
    }
    if (QUOTE_LINE.test(line)) push(true, line.replace(QUOTE_LINE, ''));
    else push(false, line);
  }
  return groups
    .map((g) => {
      const html = g.lines.map((l) => inline(l, ctx)).join('<br>');
      return g.quote ? `<blockquote class="mrkdwn-quote">${html}</blockquote>` : html;
    })
    .join('');
}

/**
 * One line: code spans and <…> sequences first, then emphasis and emoji on what remains.
 * @param {string} line
 * @param {RenderContext} ctx
 */
function inline(line, ctx) {
  /** @type {string[]} */
  const parked = [];
  const park = (/** @type {string} */ html) => `${OPEN}${parked.push(html) - 1}${CLOSE}`;
  let s = line.replace(/`([^`\n]+)`/g, (_m, /** @type {string} */ code) =>
    park(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`),
  );
  // A sequence starts right after `<`: "a < b > c" is text.
  s = s.replace(/<([^<>\s][^<>\n]*)>/g, (_m, /** @type {string} */ inner) => park(control(inner, ctx)));
  // What is left is text: unescape Slack's entities, then escape for HTML (a stray < or &
  // becomes text too).
  s = s
    .split(new RegExp(`(${OPEN}\\d+${CLOSE})`))
    .map((part) => (part.startsWith(OPEN) ? part : escapeHtml(decodeSlackEntities(part))))
    .join('');
  s = emphasis(s, '\\*', 'strong');
  s = emphasis(s, '_', 'em');
  s = emphasis(s, '~', 'del');
  s = emojify(s);
  return s.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_m, /** @type {string} */ i) => parked[Number(i)] ?? '');
}

/**
 * Slack applies a marker only at word edges: `snake_case_name` and `2*3*4` stay as typed.
 * @param {string} html
 * @param {string} marker regex-escaped
 * @param {string} tag
 */
function emphasis(html, marker, tag) {
  const re = new RegExp(
    `(?<![\\p{L}\\p{N}${marker}])${marker}(?=[^\\s${marker}])(.+?)(?<=[^\\s${marker}])${marker}(?![\\p{L}\\p{N}${marker}])`,
    'gu',
  );
  return html.replace(re, (_m, /** @type {string} */ inner) => `<${tag}>${inner}</${tag}>`);
}

/**
 * A `<…>` control sequence: mention, channel, broadcast, date or link.
 * @param {string} inner
 * @param {RenderContext} ctx
 */
function control(inner, ctx) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? null : inner.slice(bar + 1);
  if (target.startsWith('@')) return userMention(target.slice(1), label, ctx);
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = ctx.channels[id]?.name || (label ? decodeSlackEntities(label) : id);
    return `<span class="channel-ref" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) return special(target.slice(1), label, ctx);
  const url = decodeSlackEntities(target);
  const text = label === null ? url : decodeSlackEntities(label);
  if (!isSafeUrl(url)) return escapeHtml(text);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${emojify(escapeHtml(text))}</a>`;
}

/**
 * @param {string} id
 * @param {string | null} label
 * @param {RenderContext} ctx
 */
export function userMention(id, label, ctx) {
  const user = ctx.users[id];
  const name = user ? user.display_name || user.real_name || user.name : label ? decodeSlackEntities(label) : id;
  return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
}

/**
 * @param {string} spec what follows `!`
 * @param {string | null} label the fallback after `|`
 * @param {RenderContext} ctx
 */
function special(spec, label, ctx) {
  const fallback = label === null ? null : decodeSlackEntities(label);
  if (spec.startsWith('date^')) {
    const [, seconds, format, link] = spec.split('^');
    const epochSeconds = Number(seconds);
    // Beyond ±8.64e12 s a Date is invalid: such a token shows its fallback.
    const valid = seconds !== undefined && seconds !== '' && Math.abs(epochSeconds) <= 8.64e12;
    const text =
      valid && format
        ? formatSlackDate({ epochSeconds, format, now: ctx.now, tzOffset: ctx.tzOffset })
        : (fallback ?? '');
    const iso = valid ? new Date(epochSeconds * 1000).toISOString() : '';
    const body = `<time class="slack-date" datetime="${iso}">${escapeHtml(text)}</time>`;
    const url = link ? decodeSlackEntities(link) : null;
    return url && isSafeUrl(url)
      ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${body}</a>`
      : body;
  }
  if (spec === 'here' || spec === 'channel' || spec === 'everyone')
    return `<span class="mention broadcast">@${spec}</span>`;
  if (spec.startsWith('subteam^'))
    return `<span class="mention">${escapeHtml(fallback ?? `@${spec.slice('subteam^'.length)}`)}</span>`;
  return escapeHtml(fallback ?? `<!${spec}>`);
}
