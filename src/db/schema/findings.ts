import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';

/**
 * A finding is a rule that fired for one subject. Its fingerprint is stable across
 * runs (kind + subject, plus the day for one-off anomalies), so re-running correlation
 * refreshes the evidence instead of opening a second finding.
 */
export const findings = pgTable(
  'findings',
  {
    ...orgColumn(),
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    fingerprint: text('fingerprint').notNull(),
    kind: text('kind').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** `open` | `resolved`. */
    status: text('status').notNull().default('open'),
    evidence: jsonb('evidence').$type<Record<string, unknown>>().notNull(),
    /** Who is accountable and why (principal, creator, override, claim), or null. */
    owner: jsonb('owner').$type<Record<string, unknown> | null>(),
    firstDetectedAt: tstz('first_detected_at').notNull().defaultNow(),
    lastDetectedAt: tstz('last_detected_at').notNull().defaultNow(),
    resolvedAt: tstz('resolved_at'),
    resolution: text('resolution'),
  },
  (t) => [
    uniqueIndex('findings_fingerprint_uq').on(t.orgId, t.fingerprint),
    index('findings_status_kind_idx').on(t.status, t.kind),
    index('findings_subject_idx').on(t.subjectType, t.subjectId),
  ],
);
