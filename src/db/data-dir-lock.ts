import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StewardError } from '../domain/errors.js';

export interface DataDirLock {
  release(): void;
}

/**
 * PGlite is one process's database: a second process on the same directory would
 * corrupt it. A lock file with our pid refuses the second start; a stale file left by
 * a crashed process (its pid no longer alive) is taken over.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  const path = join(dir, 'steward.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isFinite(holder) && holder !== process.pid && isAlive(holder)) {
        throw new StewardError(
          'data_dir_locked',
          `The embedded database in ${dir} is already in use by process ${holder}. ` +
            'PGlite serves one process only: stop that process, or set DATABASE_URL to share PostgreSQL between replicas.',
          { retry: false },
        );
      }
      if (holder === process.pid) {
        throw new StewardError('data_dir_locked', `The embedded database in ${dir} is already open in this process.`, {
          retry: false,
        });
      }
      unlinkSync(path);
    }
  }
  throw new StewardError('data_dir_locked', `Could not lock the embedded database in ${dir}.`, { retry: false });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
