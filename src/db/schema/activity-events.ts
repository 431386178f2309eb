import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * Raw Compliance API activities, one row per activity id (delivery is at-least-once,
 * so the primary key is the dedupe). Unknown `type` and actor types are stored as
 * they came; `raw` keeps the whole object.
 */
export const activityEvents = pgTable(
  'activity_events',
  {
    id: text('id').primaryKey(),
    /**
     * The organisation the activity names (issue 17): its `organization_uuid`, the id
     * `GET /v1/organizations/me` answers. `''` when it names none (sign-ins, API calls and
     * Compliance API access carry a null organisation) and for rows stored before issue 17:
     * such activity counts for its actor in every organisation.
     */
    orgId: text('org_id').notNull().default(''),
    createdAt: tstz('created_at').notNull(),
    type: text('type').notNull(),
    actorType: text('actor_type').notNull(),
    /** The join key: user_id, api_key_id, service_account_id … whichever the actor names. */
    actorId: text('actor_id'),
    raw: jsonb('raw').$type<Record<string, unknown>>().notNull(),
    ingestedAt: tstz('ingested_at').notNull().defaultNow(),
  },
  (t) => [
    index('activity_events_actor_idx').on(t.actorId, t.createdAt),
    /**
     * A key's status changes (`platform_api_key_updated`, by key id): correlation looks up the
     * keys Steward deactivated to see whether anyone set them back to active (`revocation_undone`).
     * Partial, so it holds only these activities, not the whole feed.
     */
    index('activity_events_key_updates_idx')
      .on(sql`(${t.raw}->>'api_key_id')`, t.createdAt)
      .where(sql`${t.type} = 'platform_api_key_updated'`),
  ],
);
