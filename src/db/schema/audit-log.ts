import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * Append-only, hash-chained. `seq` is dense (1, 2, 3 …) and assigned under a lock, so
 * a missing row is a gap; `hash` = SHA-256 over the canonical row including
 * `prev_hash`, so an altered row breaks the chain. A trigger refuses UPDATE/DELETE.
 * `mac` = HMAC-SHA-256 of `hash` under the key `mac_key_id` of STEWARD_AUDIT_KEY (see
 * audit/mac.ts), so a row cannot be forged without the key; null on rows written
 * without a key (before the key existed, or by a deployment that has none).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: tstz('at').notNull(),
    /** `slack_user` | `system`. */
    actorType: text('actor_type').notNull(),
    actorSlackId: text('actor_slack_id'),
    actorAnthropicId: text('actor_anthropic_id'),
    /** For `system`, the job name; for a person, their display name when known. */
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    reviewItemId: text('review_item_id'),
    outcome: text('outcome').notNull(),
    evidence: jsonb('evidence').$type<Record<string, unknown> | null>(),
    details: jsonb('details').$type<Record<string, unknown> | null>(),
    policyVersion: text('policy_version'),
    /**
     * The organisation the change concerns (issue 17); null on rows from before, and on rows
     * about Steward itself. Hashed only when set, so the hashes of older rows do not change.
     */
    orgId: text('org_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    mac: text('mac'),
    macKeyId: text('mac_key_id'),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_review_idx').on(t.reviewItemId),
    index('audit_log_subject_idx').on(t.subjectType, t.subjectId),
    check('audit_log_mac_with_key_id', sql`(${t.mac} is null) = (${t.macKeyId} is null)`),
  ],
);
