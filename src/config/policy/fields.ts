import { validate as validCron } from 'node-cron';
import { z } from 'zod';

/** The small field types every policy section is made of, with the messages a typo gets. */

export const days = (def: number) =>
  z.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(3650).default(def);
export const flag = (def = true) => z.boolean().default(def);
export const isoDate = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const d = v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD or an ISO 8601 time)' });
    return z.NEVER;
  }
  return d;
});
export const cron = z.string().refine((v) => validCron(v), 'must be a valid cron expression (5 or 6 fields)');
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as UTC or Europe/Paris');

/** A Slack user id, as Slack writes them (U… or W…). */
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (e.g. U0123ABCD)');
