import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { loadPgliteTemplate } from './pglite-template.js';

export interface TestDatabase extends Database {
  /** The URL of this test's own database (PostgreSQL), or undefined on PGlite. */
  url: string | undefined;
  /** Tears the database down (and drops it, on PostgreSQL). */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file or test. PGlite in memory by default;
 * with TEST_DATABASE_URL set, a brand-new PostgreSQL database created through that URL
 * and dropped afterwards, so parallel runs never collide.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ loadDataDir: await loadPgliteTemplate() });
    await migrateDatabase(database);
    return { ...database, url: undefined, destroy: () => database.close() };
  }
  const name = `steward_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url, max: 10 });
  await migrateDatabase(database);
  return {
    ...database,
    url,
    async destroy() {
      await database.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export const onPostgres = (): boolean => Boolean(process.env.TEST_DATABASE_URL);
