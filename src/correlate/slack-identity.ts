import type { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { Executor } from '../db/types.js';
import { StewardError } from '../domain/errors.js';
import { valuesIn, toText } from './load/sql.js';
import type { Clock } from '../domain/clock.js';

/** Anthropic user → Slack user, by email. null: Slack has no (active) user with that email. */
export interface SlackUserLookup {
  lookupByEmail(email: string): Promise<string | null>;
  /** Many emails at once (one workspace listing instead of a call each), when the adapter can. */
  lookupMany?(emails: Iterable<string>): Promise<Map<string, string | null>>;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/**
 * `users.lookupByEmail` through the real WebClient. `users_not_found` is an answer
 * (null), as is a deactivated account; anything else is an error the caller sees.
 */
export function webClientLookup(client: WebClient): SlackUserLookup {
  return {
    async lookupByEmail(email) {
      try {
        const res = await client.users.lookupByEmail({ email });
        const user = res.user;
        if (!user?.id || user.deleted) return null;
        return user.id;
      } catch (err) {
        const e = err as { code?: string; data?: { error?: string } };
        if (e.code === 'slack_webapi_platform_error' && e.data?.error === 'users_not_found') return null;
        throw new StewardError(
          'slack_lookup_failed',
          `Slack users.lookupByEmail failed (${e.data?.error ?? e.code ?? 'error'}).`,
          {
            retry: true,
            cause: err,
          },
        );
      }
    },
  };
}

export interface CachedLookupDeps {
  db: Executor;
  lookup: SlackUserLookup;
  /** From the policy: `review.slack_lookup_ttl_hours`. */
  ttlHours: number;
  now: Clock;
}

/** Cached answers younger than the TTL, including "no Slack user" (null), by normalised email. */
export async function readSlackCache(
  ex: Executor,
  emails: Iterable<string>,
  ttlHours: number,
  now: Date,
): Promise<Map<string, string | null>> {
  const wanted = [...new Set([...emails].map(normaliseEmail))];
  if (wanted.length === 0) return new Map();
  const fresh = new Date(now.getTime() - ttlHours * 3_600_000);
  const rows = await queryRows(
    ex,
    sql`select email, slack_user_id from slack_user_cache
        where email in ${valuesIn(wanted)} and looked_up_at > ${fresh.toISOString()}::timestamptz`,
  );
  return new Map(rows.map((r) => [String(r.email), toText(r.slack_user_id)]));
}

/**
 * The lookup behind `slack_user_cache`: a fresh cached answer (found or not found) is
 * returned without calling Slack; otherwise Slack is asked and the answer stored with
 * the time. Errors are not cached, so the next call tries again.
 */
export function cachedSlackLookup(deps: CachedLookupDeps): SlackUserLookup {
  const clock = deps.now;
  return {
    async lookupByEmail(email) {
      const key = normaliseEmail(email);
      const now = clock();
      const cached = await readSlackCache(deps.db, [key], deps.ttlHours, now);
      if (cached.has(key)) return cached.get(key) ?? null;
      const slackId = await deps.lookup.lookupByEmail(key);
      await deps.db.execute(
        sql`insert into slack_user_cache (email, slack_user_id, looked_up_at) values (${key}, ${slackId}, ${now.toISOString()}::timestamptz)
            on conflict (email) do update set slack_user_id = excluded.slack_user_id, looked_up_at = excluded.looked_up_at`,
      );
      return slackId;
    },
  };
}
