import { sql } from 'drizzle-orm';
import type { Activity } from '../../anthropic/compliance/schema.js';
import { queryRows } from '../../db/client.js';
import type { Executor } from '../../db/types.js';
import { actorIdentity } from './actor.js';
import { isAdministrativeActivity } from './admin-classifier.js';

export interface BatchOutcome {
  /** Distinct activities in the batch (repeats within it dropped). */
  received: number;
  /** Newly stored; the rest were already there (redelivered or re-polled). */
  inserted: number;
  /** Roll-up rows created or grown. */
  rollups: number;
}

/**
 * Activities made ready for the statement: the raw objects as one JSON array (they
 * travel exactly as received, and PostgreSQL parses each once, as COPY would) and what
 * Steward derives from them — actor type and id, administrative or not, the principals
 * credited — as a parallel array matched by position. Several pages can be added
 * before one write; once added, only the JSON text is kept, never the objects.
 */
export class BatchBuilder {
  private readonly seen = new Set<string>();
  private readonly raws: string[] = [];
  private readonly metas: string[] = [];
  private repeats = 0;

  /** Adds a page; activities already in this batch (redelivered within it) are dropped. */
  add(activities: readonly Activity[]): void {
    const raw: string[] = [];
    const meta: string[] = [];
    for (const a of activities) {
      if (this.seen.has(a.id)) {
        this.repeats += 1;
        continue;
      }
      this.seen.add(a.id);
      const who = actorIdentity(a.actor);
      raw.push(JSON.stringify(a));
      meta.push(JSON.stringify([who.actorType, who.actorId, isAdministrativeActivity(a.type), who.principals]));
    }
    if (raw.length) {
      this.raws.push(raw.join(','));
      this.metas.push(meta.join(','));
    }
  }

  get size(): number {
    return this.seen.size;
  }

  /** Activities dropped because they were already in the batch. */
  get repeated(): number {
    return this.repeats;
  }

  json(): { raw: string; meta: string } {
    return { raw: jsonbSafe(`[${this.raws.join(',')}]`), meta: `[${this.metas.join(',')}]` };
  }
}

export async function writeActivityBatch(tx: Executor, activities: readonly Activity[], now: Date): Promise<BatchOutcome> {
  const b = new BatchBuilder();
  b.add(activities);
  return writeBatch(tx, b, now);
}

/**
 * One statement stores a batch and grows the roll-ups from ONLY the rows it newly
 * inserted (`ON CONFLICT (id) DO NOTHING RETURNING`), so a redelivered activity is
 * never counted twice. The batch travels as two jsonb parameters (one round trip, the
 * same on PostgreSQL and PGlite). Statement-level triggers on both tables (privilege
 * grants, summaries) fire at the end of the statement.
 *
 * Roll-ups are order-independent, so the same rows come out however the feed was
 * split into batches: counts add, first/last take min/max, and `last_type` on a tie
 * in `last_at` takes the greatest type name.
 */
export async function writeBatch(tx: Executor, batch: BatchBuilder, now: Date): Promise<BatchOutcome> {
  if (batch.size === 0) return { received: 0, inserted: 0, rollups: 0 };
  const { raw, meta } = batch.json();
  const [out] = await queryRows<{ inserted: number; rollups: number }>(
    tx,
    sql`with input as (
          select a.raw, m.meta
          from jsonb_array_elements(${raw}::jsonb) with ordinality as a(raw, n)
          join jsonb_array_elements(${meta}::jsonb) with ordinality as m(meta, n) on m.n = a.n
        ), ins as (
          insert into activity_events (id, created_at, type, actor_type, actor_id, raw, ingested_at)
          select raw->>'id', (raw->>'created_at')::timestamptz, raw->>'type', meta->>0, meta->>1, raw, ${now.toISOString()}::timestamptz
          from input
          on conflict (id) do nothing
          returning id, created_at, type
        ), credited as (
          select p->>0 as principal_id, p->>1 as principal_type, (ins.created_at at time zone 'UTC')::date as day,
                 ins.created_at as at, ins.type, (i.meta->>2)::boolean as admin
          from ins join input i on i.raw->>'id' = ins.id
          cross join lateral jsonb_array_elements(i.meta->3) p
        ), agg as (
          select principal_id, day, min(principal_type) as principal_type, count(*)::int as events,
                 (count(*) filter (where admin))::int as admin_events, min(at) as first_at, max(at) as last_at,
                 (array_agg(type order by at desc, type desc))[1] as last_type
          from credited
          group by principal_id, day
        ), up as (
          insert into principal_activity_daily as d (principal_id, day, principal_type, events, admin_events, first_at, last_at, last_type)
          select principal_id, day, principal_type, events, admin_events, first_at, last_at, last_type from agg
          on conflict (principal_id, day) do update set
            events = d.events + excluded.events,
            admin_events = d.admin_events + excluded.admin_events,
            first_at = least(d.first_at, excluded.first_at),
            last_at = greatest(d.last_at, excluded.last_at),
            last_type = case
              when d.last_at is null or excluded.last_at > d.last_at then excluded.last_type
              when excluded.last_at = d.last_at then greatest(d.last_type, excluded.last_type)
              else d.last_type
            end
          returning 1
        )
        select (select count(*) from ins)::int as inserted, (select count(*) from up)::int as rollups`,
  );
  return { received: batch.size, inserted: Number(out?.inserted ?? 0), rollups: Number(out?.rollups ?? 0) };
}

/**
 * jsonb cannot hold U+0000; one such character would make the whole batch (and every
 * retry of it) fail, so it is stored as U+FFFD instead. Everything else is kept.
 */
export function jsonbSafe(json: string): string {
  return json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : json;
}
