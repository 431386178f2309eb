import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * The time windows of a parallel catch-up of the activity feed (issue 21), one row per
 * window, each with its own cursor. The `activities` checkpoint says a windowed catch-up
 * is in progress; these rows say where each window stands. A window's row moves in the
 * transaction that stores its pages, so a crash resumes every window where it stopped.
 * The rows are deleted in the transaction that ends the pass.
 *
 * With per-organisation compliance keys (issue 17) each organisation's feed reads its own
 * catch-up: `feed` names the checkpoint the windows belong to (`activities`, or
 * `activities@<organisation id>`).
 *
 * Times are kept as the RFC 3339 text the pass and the feed use (`oldest_at` may carry
 * microseconds), so nothing is rounded on the way through JavaScript dates.
 */
export const activityCatchupWindows = pgTable(
  'activity_catchup_windows',
  {
    /** The checkpoint whose pass the window belongs to. */
    feed: text('feed').notNull().default('activities'),
    /** The window is [gte, lt), newest first like every feed read. */
    gte: text('gte').notNull(),
    lt: text('lt').notNull(),
    /** The last page's `last_id`: where the window's next page starts (null: from its newest). */
    afterId: text('after_id'),
    /** `created_at` of the oldest activity stored so far (for progress). */
    oldestAt: text('oldest_at'),
    /** Set when the window's last page is stored. */
    doneAt: tstz('done_at'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'activity_catchup_windows_pk', columns: [t.feed, t.gte] })],
);
