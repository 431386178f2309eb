import { sql } from 'drizzle-orm';
import type { KeyUsageDay, SeatActivity } from '../../anthropic/types.js';
import type { Executor } from '../../db/types.js';
import { anyActivity, seatActions } from './seat-actions.js';

/**
 * Key-days replace what was stored (the API revises recent days), in `key_usage_daily`
 * and in the requests/tokens of the key's `principal_activity_daily` row, in one
 * statement. Event counts on that row are the feed's and are left alone.
 */
export async function writeKeyUsage(tx: Executor, days: readonly KeyUsageDay[], now: Date): Promise<void> {
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
    sql`with input as (
          select * from jsonb_to_recordset(${payload}::jsonb) as x(k text, d date, r bigint, i bigint, o bigint, cr bigint, cc bigint, raw jsonb)
        ), usage as (
          insert into key_usage_daily as u (api_key_id, day, requests, input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, raw, updated_at)
          select k, d, r, i, o, cr, cc, raw, ${now.toISOString()}::timestamptz from input
          on conflict (api_key_id, day) do update set
            requests = excluded.requests, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
            cache_read_tokens = excluded.cache_read_tokens, cache_creation_tokens = excluded.cache_creation_tokens,
            raw = excluded.raw, updated_at = excluded.updated_at
          returning 1
        )
        insert into principal_activity_daily as p (principal_id, day, principal_type, requests, tokens)
        select k, d, 'api_key', r, i + o + cr + cc from input
        on conflict (principal_id, day) do update set requests = excluded.requests, tokens = excluded.tokens`,
  );
}

/** Member-days with any activity replace what was stored; all-zero days are not stored. */
export async function writeSeatUsage(tx: Executor, day: string, seats: readonly SeatActivity[], now: Date): Promise<number> {
  const rows = seats.filter((s) => anyActivity(s.metrics)).map((s) => ({ u: s.userId, a: seatActions(s.metrics), m: s.metrics }));
  if (!rows.length) return 0;
  await tx.execute(
    sql`insert into seat_usage_daily as s (user_id, day, actions, metrics, updated_at)
        select u, ${day}::date, a, m, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(u text, a int, m jsonb)
        on conflict (user_id, day) do update set actions = excluded.actions, metrics = excluded.metrics, updated_at = excluded.updated_at`,
  );
  return rows.length;
}
