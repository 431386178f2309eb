import { isStewardError } from '../domain/errors.js';
import { scrubUrlSecrets } from '../domain/redact.js';

/**
 * Why Steward could not start, in one line an operator can act on (pure). The error that
 * reaches the top is often a wrapper ("Failed query: select to_regclass(…)") around
 * the cause that matters (ECONNREFUSED, a PostgreSQL auth error, EACCES on the data
 * directory): the cause chain is searched for the first one we can name, and the
 * setting to look at is named with it.
 */

export interface StartupSettings {
  /** DATABASE_URL, when set (the password is never shown). */
  databaseUrl?: string | undefined;
  /** STEWARD_DATA_DIR as resolved (used when there is no DATABASE_URL). */
  dataDir?: string | undefined;
  port?: number | undefined;
}

interface ErrLike {
  code?: unknown;
  message?: unknown;
  address?: unknown;
  port?: string | number;
  path?: unknown;
  syscall?: unknown;
  hostname?: unknown;
  cause?: unknown;
  errors?: unknown;
}

const FILE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT', 'EEXIST', 'ENOSPC', 'EISDIR']);

/** Every error in the chain: the error, its causes, and the members of an AggregateError. */
function chain(err: unknown): ErrLike[] {
  const out: ErrLike[] = [];
  const queue: unknown[] = [err];
  while (queue.length && out.length < 20) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || out.includes(e)) continue;
    const x = e as ErrLike;
    out.push(x);
    if (x.cause !== undefined) queue.push(x.cause);
    if (Array.isArray(x.errors)) queue.push(...(x.errors as unknown[]));
  }
  return out;
}

function target(settings: StartupSettings, e: ErrLike): string {
  if (typeof e.address === 'string' && e.port !== undefined) return `${e.address}:${e.port}`;
  try {
    const u = new URL(settings.databaseUrl ?? '');
    return `${u.hostname}:${u.port || '5432'}`;
  } catch {
    return 'the database server';
  }
}

function roleOf(settings: StartupSettings, message: string): string {
  const quoted = /(?:user|role) "([^"]+)"/.exec(message);
  if (quoted) return quoted[1]!;
  try {
    return decodeURIComponent(new URL(settings.databaseUrl ?? '').username) || '(none given)';
  } catch {
    return '(unknown)';
  }
}

/** One line naming the cause and the setting; `what` leads when nothing better is known. */
export function explainStartupError(err: unknown, settings: StartupSettings, what = 'Steward could not start'): string {
  const all = chain(err);
  for (const e of all) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (code === 'ECONNREFUSED')
      return `${what}: connection refused by PostgreSQL at ${target(settings, e)} (is it running, and is DATABASE_URL right?)`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return `${what}: the database host ${typeof e.hostname === 'string' ? e.hostname : target(settings, e)} cannot be resolved (check DATABASE_URL)`;
    if (code === 'ETIMEDOUT' || code === 'CONNECT_TIMEOUT')
      return `${what}: no answer from PostgreSQL at ${target(settings, e)} (timed out; check DATABASE_URL and the network)`;
    if (code === '28P01' || code === '28000')
      return `${what}: PostgreSQL authentication failed for role "${roleOf(settings, message)}" (${scrubUrlSecrets(message)}; check DATABASE_URL)`;
    if (code === '3D000') return `${what}: ${scrubUrlSecrets(message)} (check the database name in DATABASE_URL)`;
    if (code === 'EADDRINUSE')
      return `${what}: port ${settings.port ?? e.port ?? '?'} is already in use (set PORT to a free one)`;
    if (FILE_CODES.has(code) && !settings.databaseUrl && settings.dataDir) {
      const path = typeof e.path === 'string' ? e.path : settings.dataDir;
      return `${what}: the data directory STEWARD_DATA_DIR=${settings.dataDir} is not writable (${code} on ${path}); point STEWARD_DATA_DIR at a directory Steward may create and write, or set DATABASE_URL`;
    }
  }
  // Our own errors are written for people (policy, locks, migrations): the first one in the chain.
  const ours = all.find((e) => isStewardError(e));
  if (ours && isStewardError(ours)) return ours.message;
  const first = all[0];
  const message = first && typeof first.message === 'string' ? first.message : String(err);
  return scrubUrlSecrets(`${what}: ${message.split('\n')[0]}`);
}
