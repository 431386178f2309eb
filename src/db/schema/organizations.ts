import { boolean, index, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * The Claude organisations Steward governs (issue 17), each as its Admin API key's
 * `GET /v1/organizations/me` names it: `id` is that uuid (activities carry it as
 * `organization_uuid`), `name` is shown beside everything of the organisation. A row stays
 * when its key goes: that is how a key that was removed from the configuration is noticed.
 * `key_fingerprint` is the first 16 hex digits of the key's SHA-256, never the key: it tells
 * which organisation a key that no longer answers used to reach.
 */
export const organizations = pgTable(
  'organizations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Where the key is configured, e.g. `ANTHROPIC_ADMIN_KEYS entry 2`. */
    keyRef: text('key_ref'),
    keyFingerprint: text('key_fingerprint'),
    /** `ok` | `revoked` | `lacks_permission` | `missing` | `unreachable`, as the last check found it. */
    keyState: text('key_state').notNull().default('ok'),
    keyDetail: text('key_detail'),
    keyCheckedAt: tstz('key_checked_at'),
    /**
     * The first organisation identified: the rows from before issue 17 (org_id '') were adopted
     * into it, and its sync checkpoints keep their old names (`directory`, …); the others' are
     * `directory@<id>`. One row at most.
     */
    legacy: boolean('legacy').notNull().default(false),
    firstSeenAt: tstz('first_seen_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [index('organizations_key_fingerprint_idx').on(t.keyFingerprint)],
);
