import { sql } from 'drizzle-orm';
import type { KeyUsageDay, SeatActivity } from '../../anthropic/types.js';
import type { Executor } from '../../db/types.js';
import { anyActivity, seatActions } from './seat-actions.js';

/**
 * Key-days replace what was stored: the API revises recent days, so the latest values
 * win. `key_usage_daily` is the per-key daily roll-up (requests and tokens); the feed's
 * per-principal roll-up (`principal_activity_daily`) is left to the feed.
 */
export async function writeKeyUsage(tx: Executor, days: readonly KeyUsageDay[], now: Date, orgId = ''): Promise<void> {
  if (!days.length) return;
  // One row per key-day in a statement (an upsert cannot touch a row twice); the last wins.
  const unique = new Map(days.map((d) => [`${d.apiKeyId}\u0000${d.day}`, d]));
  const payload = JSON.stringify(
    [...unique.values()].map((d) => ({
      k: d.apiKeyId,
      d: d.day,
      r: d.requests,
      i: d.uncachedInputTokens,
      o: d.outputTokens,
      cr: d.cacheReadTokens,
      cc: d.cacheCreationTokens,
      raw: d.raw,
    })),
  );
  await tx.execute(
    sql`insert into key_usage_daily as u (org_id, api_key_id, day, requests, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, raw, updated_at)
        select ${orgId}, k, d, r, i, o, cr, cc, raw, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${payload}::jsonb) as x(k text, d date, r bigint, i bigint, o bigint, cr bigint, cc bigint, raw jsonb)
        on conflict (org_id, api_key_id, day) do update set
          requests = excluded.requests, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
          cache_read_tokens = excluded.cache_read_tokens, cache_creation_tokens = excluded.cache_creation_tokens,
          raw = excluded.raw, updated_at = excluded.updated_at`,
  );
}

/** Member-days with any activity replace what was stored; all-zero days are not stored. */
export async function writeSeatUsage(
  tx: Executor,
  day: string,
  seats: readonly SeatActivity[],
  now: Date,
  orgId = '',
): Promise<number> {
  const rows = seats
    .filter((s) => anyActivity(s.metrics))
    .map((s) => ({ u: s.userId, a: seatActions(s.metrics), m: s.metrics }));
  if (!rows.length) return 0;
  await tx.execute(
    sql`insert into seat_usage_daily as s (org_id, user_id, day, actions, metrics, updated_at)
        select ${orgId}, u, ${day}::date, a, m, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(u text, a int, m jsonb)
        on conflict (org_id, user_id, day) do update set actions = excluded.actions, metrics = excluded.metrics, updated_at = excluded.updated_at`,
  );
  return rows.length;
}
