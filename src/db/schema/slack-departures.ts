import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * People Steward had matched to a Slack account (slack_user_cache) whose account Slack
 * now reports deactivated (`deleted: true`) or no longer lists (issue 20: leavers).
 * Written once per account; correlation turns it into `leaver` findings.
 */
export const slackDepartures = pgTable(
  'slack_departures',
  {
    slackUserId: text('slack_user_id').primaryKey(),
    email: text('email').notNull(),
    /** `deactivated` | `gone`. */
    how: text('how').notNull(),
    detectedAt: tstz('detected_at').notNull(),
  },
  (t) => [index('slack_departures_email_idx').on(t.email)],
);
