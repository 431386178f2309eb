import { sql } from 'drizzle-orm';
import type { Activity } from '../../anthropic/compliance/schema.js';
import { queryRows } from '../../db/client.js';
import type { Executor, Tx } from '../../db/types.js';
import { actorIdentity } from './actor.js';
import { contributionOf, type Contribution, type RollupAccumulator } from './rollup.js';

/**
 * One page made ready to store: its activities as received — the response body itself
 * when there is one, so nothing is serialised again and PostgreSQL parses each activity
 * once, as COPY would — their actor type and id in a parallel array matched by
 * position, and what each adds to the roll-ups, kept until the database says which
 * activities were new.
 */
export interface PreparedPage {
  /** JSON text with the activities under `data`: the feed page's body, or their serialisation when there is none. */
  json: string;
  count: number;
  actors: string;
  contributions: Map<string, Contribution>;
}

export function preparePage(activities: readonly Activity[], body?: string): PreparedPage {
  const contributions = new Map<string, Contribution>();
  const actors: Array<[string, string | null]> = [];
  for (const a of activities) {
    const who = actorIdentity(a.actor);
    actors.push([who.actorType, who.actorId]);
    // A repeat within the page: the database keeps the first and reports it once.
    if (!contributions.has(a.id)) contributions.set(a.id, contributionOf(a, who.principals));
  }
  return {
    json: jsonbSafe(body ?? JSON.stringify({ data: activities })),
    count: activities.length,
    actors: JSON.stringify(actors),
    contributions,
  };
}

/**
 * Stores a page's activities and adds the new ones to the roll-ups; returns how many
 * were new. Most pages hold only new activities, so the page is first inserted as it
 * is, under a savepoint; a unique violation (an activity re-sent by the at-least-once
 * feed, or re-read in an incremental pass's overlap window) rolls that back and the
 * page is inserted again skipping what is stored, `ON CONFLICT (id) DO NOTHING
 * RETURNING id` saying which were new. Either way nothing is counted twice, and the
 * statement-level trigger on activity_events (privilege grants) fires once.
 */
export async function insertPage(tx: Tx, page: PreparedPage, now: Date, rollups: RollupAccumulator): Promise<number> {
  if (page.count === 0) return 0;
  // A repeat within the page would violate uniqueness by itself.
  if (page.contributions.size === page.count) {
    try {
      await tx.transaction(async (sp) => sp.execute(sql`insert into activity_events (id, created_at, type, actor_type, actor_id, raw, ingested_at) ${pageRows(page, now)}`));
      for (const c of page.contributions.values()) rollups.add(c);
      return page.count;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  const ids = await queryRows<{ id: string }>(
    tx,
    sql`insert into activity_events (id, created_at, type, actor_type, actor_id, raw, ingested_at) ${pageRows(page, now)}
        on conflict (id) do nothing
        returning id`,
  );
  for (const { id } of ids) {
    const c = page.contributions.get(id);
    if (c) rollups.add(c);
  }
  return ids.length;
}

/** PostgreSQL parses the response body as it came, each activity once, as COPY would. */
function pageRows(page: PreparedPage, now: Date) {
  return sql`select a.raw->>'id', (a.raw->>'created_at')::timestamptz, a.raw->>'type', m.who->>0, m.who->>1, a.raw, ${now.toISOString()}::timestamptz
    from jsonb_array_elements((${page.json}::jsonb)->'data') with ordinality as a(raw, n)
    join jsonb_array_elements(${page.actors}::jsonb) with ordinality as m(who, n) on m.n = a.n`;
}

function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return true;
  }
  return false;
}

/**
 * Grows `principal_activity_daily` by a batch's totals in one statement, merged with
 * the same order-independent rules as the accumulator. The correlation triggers on the
 * table (summaries, recent days) fire once per batch, so their per-principal work is
 * shared by all the batch's activities.
 */
export async function upsertRollups(tx: Executor, rollups: RollupAccumulator): Promise<number> {
  if (rollups.size === 0) return 0;
  await tx.execute(
    sql`insert into principal_activity_daily as d (principal_id, day, principal_type, events, admin_events, first_at, last_at, last_type)
        select p, d, t, e, a, f, l, lt
        from jsonb_to_recordset(${rollups.json()}::jsonb) as x(p text, d date, t text, e int, a int, f timestamptz, l timestamptz, lt text)
        on conflict (principal_id, day) do update set
          principal_type = least(d.principal_type collate "C", excluded.principal_type collate "C"),
          events = d.events + excluded.events,
          admin_events = d.admin_events + excluded.admin_events,
          first_at = least(d.first_at, excluded.first_at),
          last_at = greatest(d.last_at, excluded.last_at),
          last_type = case
            when d.last_at is null or excluded.last_at > d.last_at then excluded.last_type
            when excluded.last_at = d.last_at then greatest(d.last_type collate "C", excluded.last_type collate "C")
            else d.last_type
          end`,
  );
  return rollups.size;
}

/**
 * jsonb cannot hold U+0000; one such character would make the whole batch (and every
 * retry of it) fail, so it is stored as U+FFFD instead. Everything else is kept.
 */
export function jsonbSafe(json: string): string {
  return json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : json;
}
