import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { queryRows, type Database } from './client.js';

/** Resolves from src/db and from dist/db alike. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

// A fixed key so concurrent replicas starting together apply migrations once.
const MIGRATION_LOCK_KEY = 0x5737_0001;

/** Applies pending migrations (forward-only); safe to call from several replicas at once. */
export async function migrateDatabase(database: Database): Promise<{ applied: number; total: number }> {
  const before = await appliedCount(database);
  if (database.driver === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    await withMigrationLock(database, () =>
      migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder: MIGRATIONS_FOLDER }),
    );
  }
  const after = await appliedCount(database);
  return { applied: after - before, total: expectedMigrations() };
}

/**
 * The lock is held by a transaction on one pooled connection while the migrator runs
 * on another, so replicas starting together queue behind the first one.
 */
async function withMigrationLock<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    return fn();
  });
}

export function expectedMigrations(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

export async function appliedCount(database: Database): Promise<number> {
  const exists = await queryRows<{ present: boolean }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists[0]?.present) return 0;
  const rows = await queryRows<{ n: number | string }>(
    database.db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Readiness: every migration shipped with this build is applied. */
export async function migrationsApplied(database: Database): Promise<boolean> {
  return (await appliedCount(database)) >= expectedMigrations();
}
