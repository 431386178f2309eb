import { sql } from 'drizzle-orm';
import { queryRows } from './client.js';
import type { Executor } from './types.js';

/**
 * Whether the organisation's Compliance API is on, as the last sync found it
 * (`GET /v1/organizations/compliance_settings`), kept beside the sync checkpoints so readiness,
 * correlation and status can say so without calling Anthropic.
 */
export interface ComplianceState {
  enabled: boolean;
  checkedAt: string;
}

const ROW = 'compliance_settings';

/** What an operator is told while it is off. */
export const COMPLIANCE_OFF =
  'The Compliance API is off for this organisation: activity cannot be read, so findings about use (dormant seats and keys) are not raised until it is turned on';

export async function recordComplianceState(ex: Executor, enabled: boolean, now: Date): Promise<void> {
  const cursor = JSON.stringify({ enabled, checked_at: now.toISOString() });
  await ex.execute(
    sql`insert into sync_checkpoints (source, cursor, updated_at) values (${ROW}, ${cursor}::jsonb, ${now.toISOString()}::timestamptz)
        on conflict (source) do update set cursor = excluded.cursor, updated_at = excluded.updated_at`,
  );
}

/** The last state recorded; null when no sync has checked yet. */
export async function readComplianceState(ex: Executor): Promise<ComplianceState | null> {
  const [row] = await queryRows<{ cursor: unknown }>(
    ex,
    sql`select cursor from sync_checkpoints where source = ${ROW}`,
  );
  if (!row) return null;
  const c = (typeof row.cursor === 'string' ? JSON.parse(row.cursor) : row.cursor) as Record<string, unknown>;
  return typeof c['enabled'] === 'boolean' ? { enabled: c['enabled'], checkedAt: String(c['checked_at']) } : null;
}
