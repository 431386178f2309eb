import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';

const BASELINE = 'baseline';

/**
 * When Steward's first complete directory sync finished: access seen before it existed
 * before Steward and is not attested (campaigns cover it). Read once from the audit log
 * (`sync.completed` of the directory) and then kept in `lifecycle_notices`, so it never
 * moves. Null until the directory has been listed completely once.
 */
export async function attestBaseline(ex: Executor, now: Date): Promise<Date | null> {
  const kept = await queryRows<{ at: unknown }>(ex, sql`select at from lifecycle_notices where key = ${BASELINE}`);
  if (kept[0]?.at) return new Date(kept[0].at as string | Date);
  const first = await queryRows<{ at: unknown }>(
    ex,
    sql`select min(at) as at from audit_log
        where action = 'sync.completed' and subject_type = 'sync_source' and subject_id = 'directory'`,
  );
  if (!first[0]?.at) return null;
  const at = new Date(first[0].at as string | Date);
  await ex.execute(
    sql`insert into lifecycle_notices (key, sent_at, at) values (${BASELINE}, ${now.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)
        on conflict (key) do nothing`,
  );
  return at;
}
