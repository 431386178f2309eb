import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, seenColumns } from './_columns.js';

export const workspaceMembers = pgTable(
  'workspace_members',
  {
    ...orgColumn(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    workspaceRole: text('workspace_role').notNull(),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    ...seenColumns(),
  },
  (t) => [
    primaryKey({ name: 'workspace_members_pk', columns: [t.orgId, t.workspaceId, t.userId] }),
    index('workspace_members_user_idx').on(t.userId),
  ],
);
