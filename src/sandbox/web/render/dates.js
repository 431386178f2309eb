// @ts-check
/**
 * Slack's `<!date^seconds^format|fallback>` tokens, rendered as Slack renders them for the
 * reader: in the reader's time zone, relative words ("today") measured against the
 * simulated clock. Tokens and examples from https://docs.slack.dev/messaging/formatting-message-text/
 * ("Date formatting") and https://docs.slack.dev/reference/block-kit/block-elements/date-element.
 * Where the docs leave the wording open ({ago}, 12- or 24-hour {time}, capitals), the page uses
 * English, a 12-hour clock as Slack's default en-US locale does, and lower-case relative words.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_MS = 86_400_000;

/** @param {number} n */
export function ordinal(n) {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const pad = (/** @type {number} */ n, width = 2) => String(n).padStart(width, '0');

/**
 * The wall-clock parts of an instant in a zone given as a UTC offset (seconds).
 * @param {number} ms
 * @param {number} tzOffset
 */
function parts(ms, tzOffset) {
  const d = new Date(ms + tzOffset * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hours: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    seconds: d.getUTCSeconds(),
    dayIndex: Math.floor((ms + tzOffset * 1000) / DAY_MS),
  };
}

/**
 * @param {number} ms
 * @param {number} nowMs
 * @returns {string}
 */
export function ago(ms, nowMs) {
  const diff = Math.round((nowMs - ms) / 1000);
  const abs = Math.abs(diff);
  /** @type {[number, string][]} */
  const units = [
    [365 * 86400, 'year'],
    [30 * 86400, 'month'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return diff >= 0 ? `${phrase} ago` : `in ${phrase}`;
    }
  }
  return 'just now';
}

/**
 * @param {{ epochSeconds: number; format: string; now: number; tzOffset: number }} input
 * @returns {string}
 */
export function formatSlackDate({ epochSeconds, format, now, tzOffset }) {
  const ms = epochSeconds * 1000;
  const p = parts(ms, tzOffset);
  const today = parts(now, tzOffset);
  const delta = p.dayIndex - today.dayIndex;
  const relative = delta === 0 ? 'today' : delta === -1 ? 'yesterday' : delta === 1 ? 'tomorrow' : null;
  const dateNum = `${p.year}-${pad(p.month + 1)}-${pad(p.day)}`;
  const date = `${MONTHS[p.month]} ${ordinal(p.day)}, ${p.year}`;
  const dateShort = `${MONTHS[p.month]?.slice(0, 3)} ${p.day}, ${p.year}`;
  const dateLong = `${WEEKDAYS[p.weekday]}, ${date}`;
  const hour12 = p.hours % 12 === 0 ? 12 : p.hours % 12;
  const meridiem = p.hours < 12 ? 'AM' : 'PM';
  /** @type {Record<string, () => string>} */
  const tokens = {
    date_num: () => dateNum,
    date_slash: () => `${pad(p.day)}/${pad(p.month + 1)}/${p.year}`,
    date: () => date,
    date_short: () => dateShort,
    date_long: () => dateLong,
    date_long_full: () => `${MONTHS[p.month]} ${p.day}, ${p.year}`,
    date_pretty: () => relative ?? date,
    date_short_pretty: () => relative ?? dateShort,
    date_long_pretty: () => relative ?? dateLong,
    day_divider_pretty: () =>
      relative ?? (p.year === today.year ? `${WEEKDAYS[p.weekday]}, ${MONTHS[p.month]} ${ordinal(p.day)}` : dateLong),
    time: () => `${hour12}:${pad(p.minutes)} ${meridiem}`,
    time_secs: () => `${hour12}:${pad(p.minutes)}:${pad(p.seconds)} ${meridiem}`,
    ago: () => ago(ms, now),
  };
  // The docs give the relative words in lower case and say nothing of capitals: they stay lower case.
  return format.replace(/\{([a-z_]+)\}/g, (whole, /** @type {string} */ name) => tokens[name]?.() ?? whole);
}
