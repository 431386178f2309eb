import { esc } from './text.js';

/** A date Slack renders in the reader's locale and time zone, with an ISO fallback. */
export function slackDate(d: Date | string | null | undefined, format = '{date_short_pretty}'): string {
  if (!d) return 'never';
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return 'unknown';
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${date.toISOString().slice(0, 10)}>`;
}

export const mention = (slackId: string | null | undefined): string => (slackId ? `<@${slackId}>` : 'nobody');

export function count(n: number): string {
  if (n >= 1_000_000_000) return `${(n / 1_000_000_000).toFixed(1)}B`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return n.toLocaleString('en-US');
}

export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** User-supplied text (names, emails, reasons) never breaks out of mrkdwn. */
export const safe = (s: string | null | undefined): string => esc(s ?? '');
