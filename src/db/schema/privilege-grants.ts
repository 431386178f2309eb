import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * Activities that may have granted privilege (an org role change, a workspace member
 * added or updated, an admin API key created), one row per activity id. Extracted from
 * `activity_events` by a database trigger as events are stored, so correlation reads
 * this small table instead of raw events. Whether a row is a grant (new role is
 * privileged, previous was not) is decided by correlation with the directory.
 */
export const privilegeGrants = pgTable(
  'privilege_grants',
  {
    /** The activity id. */
    id: text('id').primaryKey(),
    /** The activity's organisation (see `activity_events.org_id`). */
    orgId: text('org_id').notNull().default(''),
    grantedAt: tstz('granted_at').notNull(),
    activityType: text('activity_type').notNull(),
    /** `user` (org role) | `workspace_member` | `admin_api_key`. */
    granteeType: text('grantee_type').notNull(),
    granteeId: text('grantee_id').notNull(),
    workspaceId: text('workspace_id'),
    /** The role after the change, when the activity says (else the directory's current role applies). */
    role: text('role'),
    previousRole: text('previous_role'),
    actorType: text('actor_type'),
    actorId: text('actor_id'),
  },
  (t) => [
    index('privilege_grants_granted_at_idx').on(t.grantedAt),
    index('privilege_grants_grantee_idx').on(t.granteeId),
  ],
);
