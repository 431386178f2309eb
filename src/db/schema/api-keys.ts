import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, seenColumns, tstz } from './_columns.js';

/**
 * API keys. The secret itself is never known to Steward; `partial_key_hint` is the
 * only key material that may be shown anywhere.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    ...orgColumn(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    status: text('status').notNull(),
    createdAt: tstz('created_at'),
    /** `user` | `service_account` | other actor types the API may add. */
    createdByType: text('created_by_type'),
    createdById: text('created_by_id'),
    principalType: text('principal_type'),
    principalId: text('principal_id'),
    /** `workspace` | `organization`. */
    scopeType: text('scope_type'),
    workspaceId: text('workspace_id'),
    expiresAt: tstz('expires_at'),
    partialKeyHint: text('partial_key_hint'),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    ...seenColumns(),
  },
  (t) => [
    primaryKey({ name: 'api_keys_pk', columns: [t.orgId, t.id] }),
    // Lookups by id whatever the organisation (activity names an id; issue 17): the key leads with org_id.
    index('api_keys_id_idx').on(t.id),
    index('api_keys_status_idx').on(t.status),
    index('api_keys_created_by_idx').on(t.createdById),
    index('api_keys_principal_idx').on(t.principalId),
    index('api_keys_workspace_idx').on(t.workspaceId),
  ],
);
