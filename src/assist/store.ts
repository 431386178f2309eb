import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import { assistCallsDaily, assistReadings } from '../db/schema/index.js';
import type { Db } from '../db/types.js';

/**
 * Claude assist's two tables: the daily call budget, shared by every replica, and the
 * readings Claude wrote, by fingerprint.
 */

/**
 * Spends one call of `day`'s budget if any is left: a single conditional upsert, so two
 * replicas racing for the last call cannot both get it (PostgreSQL and PGlite alike).
 */
export async function takeCall(db: Db, day: string, limit: number, at: Date): Promise<boolean> {
  if (limit <= 0) return false;
  const rows = await queryRows<{ calls: number }>(
    db,
    sql`insert into ${assistCallsDaily} (day, calls, updated_at) values (${day}::date, 1, ${at.toISOString()}::timestamptz)
        on conflict (day) do update set calls = ${assistCallsDaily}.calls + 1, updated_at = excluded.updated_at
        where ${assistCallsDaily}.calls < ${limit}
        returning calls`,
  );
  return rows.length > 0;
}

export async function callsOn(db: Db, day: string): Promise<number> {
  const [row] = await db.select().from(assistCallsDaily).where(eq(assistCallsDaily.day, day));
  return row?.calls ?? 0;
}

export interface StoredReading {
  kind: string;
  model: string;
  text: string;
}

export async function cachedReading(db: Db, fingerprint: string): Promise<StoredReading | undefined> {
  const [row] = await db
    .select({ kind: assistReadings.kind, model: assistReadings.model, text: assistReadings.text })
    .from(assistReadings)
    .where(eq(assistReadings.fingerprint, fingerprint));
  return row;
}

/** First writer wins: a reading, once shown, is the one every later delivery shows. */
export async function keepReading(db: Db, fingerprint: string, r: StoredReading, at: Date): Promise<StoredReading> {
  await db
    .insert(assistReadings)
    .values({ fingerprint, ...r, createdAt: at })
    .onConflictDoNothing();
  return (await cachedReading(db, fingerprint)) ?? r;
}
