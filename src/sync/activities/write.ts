import { sql } from 'drizzle-orm';
import type { Activity } from '../../anthropic/compliance/schema.js';
import { queryRows } from '../../db/client.js';
import type { Executor, Tx } from '../../db/types.js';
import { actorIdentity } from './actor.js';
import { activityOrg } from './activity-org.js';
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
  /** Per activity, by position: actor type, actor id, organisation (`activity-org.ts`). */
  actors: string;
  contributions: Map<string, Contribution>;
}

export function preparePage(activities: readonly Activity[], body?: string): PreparedPage {
  const contributions = new Map<string, Contribution>();
  const actors: Array<[string, string | null, string]> = [];
  for (const a of activities) {
    const who = actorIdentity(a.actor);
    actors.push([who.actorType, who.actorId, activityOrg(a)]);
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
 * How a batch's pages are inserted. `fast`: as they are, a plain INSERT, for pages
 * expected to hold only new activities (a catch-up); a page holding a stored activity
 * fails the batch with a unique violation, and the batch is redone `careful`ly.
 * `careful`: `ON CONFLICT (id) DO NOTHING RETURNING id`, which skips what is stored and
 * says which activities were new (an incremental pass re-reading its overlap window,
 * the feed re-sending activities). Careful costs the database some 40% more per insert.
 */
export type WriteMode = 'fast' | 'careful';

/**
 * Stores a batch's pages in order, each sent before the database has answered for the
 * one before (pipelined on the transaction's connection), so the database does not wait
 * for the next page to be written to it while this process parses the following ones.
 * Adds the activities that were new to the roll-ups, each counted once. Neither mode
 * relies on a statement failing and the transaction going on: postgres.js fails a
 * transaction in which any statement failed, and a savepoint per page would cost a
 * round trip each.
 */
export class PageWriter {
  private readonly sent: SentPage[] = [];

  /**
   * @param depth pages sent and not yet answered for: 2 keeps the next page queued at
   *   the database while one is stored.
   */
  constructor(
    private readonly tx: Tx,
    private readonly now: () => Date,
    private readonly rollups: RollupAccumulator,
    private readonly mode: WriteMode,
    private readonly depth = 2,
  ) {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError('depth must be a positive integer');
  }

  /** Sends a page; returns how many activities were new among the pages answered for meanwhile. */
  async write(page: PreparedPage): Promise<number> {
    if (page.count === 0) return 0;
    // A repeat within the page would violate uniqueness by itself.
    const careful = this.mode === 'careful' || page.contributions.size !== page.count;
    const rows = pageRows(page, this.now());
    const result: Promise<string[] | 'all'> = careful
      ? queryRows<{ id: string }>(
          this.tx,
          sql`insert into activity_events (id, created_at, type, actor_type, actor_id, org_id, raw, ingested_at) ${rows}
              on conflict (id) do nothing
              returning id`,
        ).then((ids) => ids.map((r) => r.id))
      : this.tx
          .execute(
            sql`insert into activity_events (id, created_at, type, actor_type, actor_id, org_id, raw, ingested_at) ${rows}`,
          )
          .then(() => 'all' as const);
    // Awaited in order by settle(); a failure there ends the batch, and the pages sent
    // after it (refused, the transaction being in error) must not count as unhandled.
    result.catch(() => {});
    this.sent.push({ page, result });
    let stored = 0;
    while (this.sent.length >= this.depth) stored += await this.settleFirst();
    return stored;
  }

  /** Waits for every page sent; returns how many activities were new among them. */
  async flush(): Promise<number> {
    let stored = 0;
    while (this.sent.length > 0) stored += await this.settleFirst();
    return stored;
  }

  private async settleFirst(): Promise<number> {
    const { page, result } = this.sent.shift()!;
    const stored = await result;
    if (stored === 'all') {
      for (const c of page.contributions.values()) this.rollups.add(c);
      return page.count;
    }
    for (const id of stored) {
      const c = page.contributions.get(id);
      if (c) this.rollups.add(c);
    }
    return stored.length;
  }
}

interface SentPage {
  page: PreparedPage;
  /** `all`: every activity of the page was new; otherwise the ids that were. */
  result: Promise<string[] | 'all'>;
}

/** PostgreSQL parses the response body as it came, each activity once, as COPY would. */
function pageRows(page: PreparedPage, now: Date) {
  return sql`select a.raw->>'id', (a.raw->>'created_at')::timestamptz, a.raw->>'type', m.who->>0, m.who->>1, m.who->>2, a.raw, ${now.toISOString()}::timestamptz
    from jsonb_array_elements((${page.json}::jsonb)->'data') with ordinality as a(raw, n)
    join jsonb_array_elements(${page.actors}::jsonb) with ordinality as m(who, n) on m.n = a.n`;
}

/** A batch failed in `fast` mode because an activity was already stored: redo it `careful`ly. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return true;
  }
  return false;
}

/**
 * Grows `principal_activity_daily` by a batch's totals (per organisation, principal and day) in one statement, merged with
 * the same order-independent rules as the accumulator. The correlation triggers on the
 * table (summaries, recent days) fire once per batch, so their per-principal work is
 * shared by all the batch's activities.
 */
export async function upsertRollups(tx: Executor, rollups: RollupAccumulator): Promise<number> {
  if (rollups.size === 0) return 0;
  await tx.execute(
    sql`insert into principal_activity_daily as d (org_id, principal_id, day, principal_type, events, admin_events, view_events, first_at, last_at, last_type)
        select o, p, d, t, e, a, v, f, l, lt
        from json_to_recordset(${rollups.json()}::json) as x(o text, p text, d date, t text, e int, a int, v int, f timestamptz, l timestamptz, lt text)
        ${ROLLUP_MERGE}`,
  );
  return rollups.size;
}

/** How a roll-up row merges into the stored one: the accumulator's rules, in SQL. */
export const ROLLUP_MERGE = sql.raw(`on conflict (org_id, principal_id, day) do update set
          principal_type = least(d.principal_type collate "C", excluded.principal_type collate "C"),
          events = d.events + excluded.events,
          admin_events = d.admin_events + excluded.admin_events,
          view_events = d.view_events + excluded.view_events,
          first_at = least(d.first_at, excluded.first_at),
          last_at = greatest(d.last_at, excluded.last_at),
          last_type = case
            when d.last_at is null or excluded.last_at > d.last_at then excluded.last_type
            when excluded.last_at = d.last_at then greatest(d.last_type collate "C", excluded.last_type collate "C")
            else d.last_type
          end`);

/**
 * jsonb cannot hold U+0000; one such character would make the whole batch (and every
 * retry of it) fail, so it is stored as U+FFFD instead. Everything else is kept.
 */
export function jsonbSafe(json: string): string {
  return json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : json;
}
