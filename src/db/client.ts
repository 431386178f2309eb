import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite, PgliteSession } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres, PostgresJsSession } from 'drizzle-orm/postgres-js';
import { sql, type SQL } from 'drizzle-orm';
import type { Writable } from 'node:stream';
import postgres from 'postgres';
import * as schema from './schema/index.js';
import type { Db, Executor } from './types.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { StewardError } from '../domain/errors.js';

export type Driver = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  driver: Driver;
  /** Where the data lives, for messages: the data directory or the host/db (never the password). */
  location: string;
  /**
   * Takes a session-level advisory lock on a connection of its own and keeps it until
   * released (or until this process dies: the server then drops it). Used for liveness
   * and leadership. Resolves to null when `wait` is false and someone else holds it.
   */
  sessionLock(key: string, opts?: { wait?: boolean }): Promise<SessionLock | null>;
  close(): Promise<void>;
}

export interface SessionLock {
  release(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL connection URL; unset → embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; `memory://` (or undefined with no url) keeps it in memory. */
  dataDir?: string | undefined;
  /** Pool size for postgres.js. */
  max?: number;
  /** PGlite only: start from this data-directory dump (tests start from a migrated template). */
  loadDataDir?: Blob;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.max ?? 10);
  return openPglite(opts.dataDir, opts.loadDataDir);
}

function openPostgres(url: string, max: number): Database {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: 'steward' },
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    location: describeUrl(url),
    async sessionLock(key, opts = {}) {
      const conn = await client.reserve();
      try {
        if (opts.wait) {
          await conn`select pg_advisory_lock(hashtext(${key}))`;
        } else {
          const [row] = await conn`select pg_try_advisory_lock(hashtext(${key})) as ok`;
          if (!row?.ok) {
            conn.release();
            return null;
          }
        }
      } catch (err) {
        conn.release();
        throw err;
      }
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          try {
            await conn`select pg_advisory_unlock(hashtext(${key}))`;
          } finally {
            conn.release();
          }
        },
      };
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database> {
  const inMemory = dataDir === undefined || dataDir.startsWith('memory://');
  let lock: DataDirLock | undefined;
  let client: PGlite;
  if (inMemory) {
    client = loadDataDir ? new PGlite({ loadDataDir }) : new PGlite();
  } else {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    lock = acquireDataDirLock(dir);
    try {
      client = loadDataDir ? new PGlite(dir, { loadDataDir }) : new PGlite(dir);
      await client.waitReady;
    } catch (err) {
      lock.release();
      throw new StewardError(
        'database_unavailable',
        `Cannot open the embedded database in ${dir}: ${(err as Error).message}`,
        { retry: false, cause: err },
      );
    }
  }
  await client.waitReady;
  yieldBeforeEachQuery(client);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  // PGlite is one session in one process: its advisory locks guard against other
  // processes only through the data-directory lock, so in-process holders are counted here.
  const held = new Set<string>();
  return {
    db,
    driver: 'pglite',
    async sessionLock(key, opts = {}) {
      while (held.has(key)) {
        if (!opts.wait) return null;
        await new Promise((r) => setTimeout(r, 50));
      }
      held.add(key);
      await client.query('select pg_advisory_lock(hashtext($1))', [key]);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          held.delete(key);
          await client.query('select pg_advisory_unlock(hashtext($1))', [key]).catch(() => {});
        },
      };
    },
    location: inMemory ? 'PGlite (in memory)' : `PGlite in ${resolve(dataDir)}`,
    close: async () => {
      await client.close();
      lock?.release();
    },
  };
}

/**
 * PGlite executes a query synchronously on this thread and resolves it without a
 * macrotask, so a chain of awaited queries never lets the event loop reach pending I/O:
 * while a few decisions run, a Slack request waiting for its ack would wait for all of
 * them. Each query (in a transaction too) first yields to pending I/O.
 */
function yieldBeforeEachQuery(pg: PGlite): void {
  const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
  type Queryable = { query: (...args: never[]) => Promise<unknown>; exec: (...args: never[]) => Promise<unknown> };
  const wrap = <T extends Queryable>(target: T): T => {
    const query = target.query.bind(target) as (...args: unknown[]) => Promise<unknown>;
    const exec = target.exec.bind(target) as (...args: unknown[]) => Promise<unknown>;
    target.query = async (...args: unknown[]) => {
      await pause();
      return query(...args);
    };
    target.exec = async (...args: unknown[]) => {
      await pause();
      return exec(...args);
    };
    return target;
  };
  wrap(pg as unknown as Queryable);
  const transaction = pg.transaction.bind(pg);
  pg.transaction = ((fn: Parameters<PGlite['transaction']>[0]) =>
    transaction((tx) => fn(wrap(tx as unknown as Queryable) as unknown as typeof tx))) as PGlite['transaction'];
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/**
 * Rows of a raw query, whichever driver ran it: postgres.js returns an array,
 * PGlite an object with `rows`.
 */
export async function queryRows<T extends Record<string, unknown>>(ex: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await ex.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows?: T[] }).rows ?? [];
}

export async function ping(ex: Executor): Promise<void> {
  await ex.execute(sql`select 1`);
}

/** Whether rows can be COPYed in: `copyFromStdin` (postgres.js) or `copyFromBlob` (PGlite). */
export function supportsCopy(ex: Executor): boolean {
  return ex._.session instanceof PostgresJsSession || ex._.session instanceof PgliteSession;
}

/**
 * `COPY … FROM STDIN` on the connection of a postgres.js transaction (or pool): the
 * stream the rows are written to, in COPY's text format. Undefined on PGlite, which has
 * no such stream (`copyFromBlob`).
 */
export function copyFromStdin(ex: Executor, statement: string): Promise<Writable> | undefined {
  const session = ex._.session;
  if (!(session instanceof PostgresJsSession)) return undefined;
  const client = (session as PostgresJsSession<postgres.Sql, Record<string, unknown>, never>).client;
  return client.unsafe(statement).writable();
}

/**
 * PGlite's COPY: `COPY … FROM '/dev/blob'` of these bytes (COPY's text format) on the
 * transaction or database. Undefined on postgres.js, which streams instead.
 */
export function copyFromBlob(ex: Executor, statement: string, bytes: Uint8Array): Promise<void> | undefined {
  const session = ex._.session;
  if (!(session instanceof PgliteSession)) return undefined;
  type Client = { query(q: string, params: unknown[], o: { blob: Blob }): Promise<unknown> };
  const client = (session as unknown as { client: Client }).client;
  return client.query(statement, [], { blob: new Blob([bytes]) }).then(() => undefined);
}
