import { pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/** users.lookupByEmail results, including "no such Slack user", with the time looked up. */
export const slackUserCache = pgTable('slack_user_cache', {
  email: text('email').primaryKey(),
  slackUserId: text('slack_user_id'),
  lookedUpAt: tstz('looked_up_at').notNull().defaultNow(),
});
