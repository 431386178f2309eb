import { pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * One row per notice Steward sends about someone's access (issue 20: the subject is
 * told), keyed by what it is about (`action:<outbox id>`, `keep-ending:<certification>`,
 * `baseline`). The replica that inserts the row sends; the others see it and do not.
 */
export const lifecycleNotices = pgTable('lifecycle_notices', {
  key: text('key').primaryKey(),
  recipientSlackId: text('recipient_slack_id'),
  sentAt: tstz('sent_at').notNull(),
  /** For `baseline`: when Steward's first complete directory sync finished. */
  at: tstz('at'),
  /** Where the notice is in Slack, for notices that change later (`keep-ending:` once renewed). */
  slackChannel: text('slack_channel'),
  slackTs: text('slack_ts'),
});
