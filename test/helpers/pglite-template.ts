import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER } from '../../src/db/migrate.js';

/**
 * Creating a PGlite cluster (initdb inside WebAssembly) costs seconds; loading a dump of
 * an already-migrated one costs a fraction of that. The dump is keyed by the migrations'
 * content, so a schema change makes a new one.
 */
const CACHE_DIR = join(process.cwd(), 'node_modules', '.cache', 'steward-test');

export function templatePath(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_FOLDER)
    .filter((n) => n.endsWith('.sql'))
    .sort()) {
    hash.update(f).update(readFileSync(join(MIGRATIONS_FOLDER, f)));
  }
  return join(CACHE_DIR, `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

export async function ensurePgliteTemplate(): Promise<string> {
  const path = templatePath();
  if (existsSync(path)) return path;
  const client = new PGlite();
  await client.waitReady;
  await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  const dump = await client.dumpDataDir('none');
  await client.close();
  mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, path);
  return path;
}

export async function loadPgliteTemplate(): Promise<Blob> {
  const path = await ensurePgliteTemplate();
  return new Blob([readFileSync(path)]);
}

/** A PGlite data directory that starts as the migrated template (skips initdb: seconds saved per process test). */
export async function seedPgliteDir(dir: string): Promise<void> {
  const { openDatabase } = await import('../../src/db/client.js');
  const d = await openDatabase({ dataDir: dir, loadDataDir: await loadPgliteTemplate() });
  await d.close();
}
