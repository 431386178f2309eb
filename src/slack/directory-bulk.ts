import type { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { normaliseEmail, readSlackCache, type SlackUserLookup } from '../correlate/slack-identity.js';
import { slackUserCache } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import { toStewardError } from './errors.js';

/**
 * Above this many emails to look up, one listing of the workspace is cheaper: users.list
 * (Tier 2, 20 a minute) returns up to 1,000 people a page, users.lookupByEmail (Tier 3, 50 a
 * minute) one person a call. 20 lookups cost 24 s of Tier 3 budget; 20 pages cover 20,000 people.
 */
export const BULK_LOOKUP_THRESHOLD = 20;

/** users.list's largest page: "no larger than 1000" (https://docs.slack.dev/apis/web-api/pagination). */
export const USERS_LIST_PAGE = 1000;

/** A workspace member as users.list describes them (https://docs.slack.dev/reference/objects/user-object). */
export interface ListedUser {
  id: string;
  email: string | null;
  name: string | null;
  isBot: boolean;
  deleted: boolean;
}

export interface BulkLookup extends SlackUserLookup {
  /** Email → Slack id (null: no active Slack user), for every email given, keyed as given. */
  lookupMany(emails: Iterable<string>): Promise<Map<string, string | null>>;
}

export interface BulkLookupDeps {
  client: WebClient;
  db: Db;
  /** One email at a time, through the cache (cachedSlackLookup over users.lookupByEmail). */
  single: SlackUserLookup;
  ttlHours: number;
  now: Clock;
  logger: Logger;
  /** Every person a listing returned (the directory keeps their profiles). */
  onListed?: (users: ListedUser[]) => void;
  threshold?: number;
}

/**
 * Email → Slack id in bulk, into `slack_user_cache` (which keeps its TTL). Fresh cached
 * answers first; when more than a few remain, the whole workspace is listed and cached
 * (an email the complete listing does not hold is "no Slack user", as users.lookupByEmail
 * would answer, until the TTL runs out); users.lookupByEmail only for what is left (a
 * listing without emails: the app lacks users:read.email). A deactivated person is "no
 * Slack user" (users.lookupByEmail answers users_not_found); guests and bots keep their id,
 * as users.lookupByEmail gives it, and delivery finds out whether they can be written to.
 */
export function bulkSlackLookup(deps: BulkLookupDeps): BulkLookup {
  const threshold = deps.threshold ?? BULK_LOOKUP_THRESHOLD;
  let listing: Promise<number> | undefined;

  async function listWorkspace(): Promise<number> {
    const at = deps.now();
    const byEmail = new Map<string, ListedUser>();
    let cursor: string | undefined;
    let pages = 0;
    try {
      do {
        const res = await deps.client.users.list({ limit: USERS_LIST_PAGE, ...(cursor ? { cursor } : {}) });
        pages++;
        const users: ListedUser[] = (res.members ?? []).flatMap((m) =>
          m.id
            ? [
                {
                  id: m.id,
                  email: m.profile?.email || null,
                  name: m.real_name ?? m.name ?? null,
                  isBot: Boolean(m.is_bot) || m.id === 'USLACKBOT',
                  deleted: Boolean(m.deleted),
                },
              ]
            : [],
        );
        deps.onListed?.(users);
        for (const u of users) {
          if (!u.email) continue;
          const key = normaliseEmail(u.email);
          const seen = byEmail.get(key);
          // One active account wins over a deactivated one with the same address.
          if (!seen || (seen.deleted && !u.deleted)) byEmail.set(key, u);
        }
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (err) {
      throw toStewardError(err, 'listing the Slack workspace (users.list)');
    }
    const rows = [...byEmail].map(([email, u]) => ({
      email,
      slackUserId: u.deleted ? null : u.id,
      lookedUpAt: at,
    }));
    for (let i = 0; i < rows.length; i += 1000) {
      await deps.db
        .insert(slackUserCache)
        .values(rows.slice(i, i + 1000))
        .onConflictDoUpdate({
          target: slackUserCache.email,
          set: { slackUserId: sql`excluded.slack_user_id`, lookedUpAt: sql`excluded.looked_up_at` },
        });
    }
    deps.logger.info({ pages, withEmail: rows.length }, 'listed the Slack workspace into the user cache');
    return rows.length;
  }

  async function storeNotFound(emails: string[]): Promise<void> {
    const at = deps.now();
    for (let i = 0; i < emails.length; i += 1000) {
      await deps.db
        .insert(slackUserCache)
        .values(emails.slice(i, i + 1000).map((email) => ({ email, slackUserId: null, lookedUpAt: at })))
        .onConflictDoUpdate({
          target: slackUserCache.email,
          set: { slackUserId: null, lookedUpAt: sql`excluded.looked_up_at` },
        });
    }
  }

  return {
    lookupByEmail: (email) => deps.single.lookupByEmail(email),
    async lookupMany(emails) {
      const given = [...emails];
      const wanted = [...new Set(given.map(normaliseEmail))];
      let known = await readSlackCache(deps.db, wanted, deps.ttlHours, deps.now());
      let missing = wanted.filter((e) => !known.has(e));
      if (missing.length > threshold) {
        // Two callers at once share one listing.
        listing ??= listWorkspace().finally(() => (listing = undefined));
        const withEmail = await listing;
        known = await readSlackCache(deps.db, wanted, deps.ttlHours, deps.now());
        missing = wanted.filter((e) => !known.has(e));
        if (withEmail > 0 && missing.length > 0) {
          await storeNotFound(missing);
          for (const e of missing) known.set(e, null);
          missing = [];
        }
      }
      for (const e of missing) known.set(e, await deps.single.lookupByEmail(e));
      return new Map(given.map((e) => [e, known.get(normaliseEmail(e)) ?? null]));
    },
  };
}
