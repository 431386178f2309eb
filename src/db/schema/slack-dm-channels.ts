import { pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * Each person's DM channel with the app (the `D…` id Slack answered when Steward first
 * wrote to them). It never changes, so it is learnt once and every later DM, reminder or
 * question goes straight to it: no conversations.open per message.
 */
export const slackDmChannels = pgTable('slack_dm_channels', {
  slackUserId: text('slack_user_id').primaryKey(),
  channelId: text('channel_id').notNull(),
  openedAt: tstz('opened_at').notNull().defaultNow(),
});
