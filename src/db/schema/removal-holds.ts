import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';

/**
 * The mass-change brake: removals a directory sync held back because one listing would
 * have marked too many known rows removed at once (an empty or truncated listing is one
 * upstream bug away). At most one pending hold per listing; an admin accepts it
 * (`steward sync --accept-removals`, `/steward sync accept`), or a later sync that no
 * longer trips the brake clears it. Until then the rows stay as they were.
 */
export const removalHolds = pgTable(
  'removal_holds',
  {
    ...orgColumn(),
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** users, workspaces, members or api_keys. */
    listing: text('listing').notNull(),
    /** pending, accepted or cleared. */
    status: text('status').notNull(),
    /** Rows not removed when the hold was (last) taken, and how many would have been marked removed. */
    known: integer('known').notNull(),
    held: integer('held').notNull(),
    /** What would have been removed: ids, or [workspace_id, user_id] pairs for members. */
    heldIds: jsonb('held_ids').$type<Array<string | [string, string]>>().notNull(),
    firstHeldAt: tstz('first_held_at').notNull(),
    lastHeldAt: tstz('last_held_at').notNull(),
    /** When the security channel was told (null: not yet; the next sync tries again). */
    alertedAt: tstz('alerted_at'),
    decidedAt: tstz('decided_at'),
    /** Who accepted: `slack:U…` or `cli:<os user>`; null when a sync cleared it. */
    decidedBy: text('decided_by'),
  },
  (t) => [
    uniqueIndex('removal_holds_pending_uq')
      .on(t.orgId, t.listing)
      .where(sql`${t.status} = 'pending'`),
    index('removal_holds_status_idx').on(t.status),
  ],
);
