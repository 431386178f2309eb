import { bigint, date, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';

/**
 * Usage per API key per UTC day from the usage analytics endpoint. Kept forever, so
 * "unused for 180 days" stays provable after the API's own window has passed.
 */
export const keyUsageDaily = pgTable(
  'key_usage_daily',
  {
    ...orgColumn(),
    apiKeyId: text('api_key_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    requests: bigint('requests', { mode: 'number' }).notNull().default(0),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull().default(0),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull().default(0),
    cacheReadTokens: bigint('cache_read_tokens', { mode: 'number' }).notNull().default(0),
    cacheCreationTokens: bigint('cache_creation_tokens', { mode: 'number' }).notNull().default(0),
    raw: jsonb('raw').$type<unknown>(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'key_usage_daily_pk', columns: [t.orgId, t.apiKeyId, t.day] }),
    // Spike detection looks for busy key-days in the last few weeks: an index-only range scan.
    index('key_usage_daily_day_requests_idx').on(t.day, t.requests),
  ],
);
