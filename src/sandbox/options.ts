import { SANDBOX_LIMITS } from '../sim/scenarios/sandbox-org.js';
import { SANDBOX_MAX_ORGS } from '../sim/scenarios/sandbox-siblings.js';

/** `npm run sandbox -- [--port N] [--people N] [--keys N] [--days N] [--orgs N] [--faults] [--data-dir DIR]`. */
export interface SandboxOptions {
  /** The page's port (Steward and the simulators take free ports of their own). 0 picks a free one. */
  port: number;
  people: number;
  keys: number;
  days: number;
  /** Claude organisations under the parent (issue 17): the company's, then its siblings (sandbox-siblings.ts). */
  orgs: number;
  /** Realistic faults in both simulators (429s, 5xx) that Steward must ride out. */
  faults: boolean;
  /** Keep the database here instead of in a throwaway directory. */
  dataDir: string | null;
}

export const DEFAULT_PORT = 3000;

export const USAGE = `Usage: npm run sandbox -- [options]

  --port N        the page's port (default ${DEFAULT_PORT}; 0 picks a free port)
  --people N      members of the simulated organisation (${SANDBOX_LIMITS.people.min}–${SANDBOX_LIMITS.people.max}, default ${SANDBOX_LIMITS.people.default})
  --keys N        API keys (${SANDBOX_LIMITS.keys.min}–${SANDBOX_LIMITS.keys.max}, default ${SANDBOX_LIMITS.keys.default})
  --days N        days of activity history (${SANDBOX_LIMITS.days.min}–${SANDBOX_LIMITS.days.max}, default ${SANDBOX_LIMITS.days.default})
  --orgs N        Claude organisations under one parent, one Admin key each (1–${SANDBOX_MAX_ORGS}, default 1)
  --faults        the simulated APIs answer some requests with 429 and 5xx, as on a bad day
  --data-dir DIR  keep Steward's database in DIR (default: a temporary directory removed on exit)
  --help          this text`;

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

const NUMERIC = { '--people': 'people', '--keys': 'keys', '--days': 'days' } as const;

function wholeNumber(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || text.startsWith('--')) throw new OptionsError(`${flag} needs a number`);
  if (!/^\d+$/.test(text)) throw new OptionsError(`${flag} must be a whole number, not "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new OptionsError(`${flag} must be from ${min} to ${max}, not ${n}`);
  return n;
}

/** Parses the command line; `help` when --help was asked for. Every problem names its option. */
export function parseSandboxArgs(argv: readonly string[]): SandboxOptions | 'help' {
  const opts: SandboxOptions = {
    port: DEFAULT_PORT,
    people: SANDBOX_LIMITS.people.default,
    keys: SANDBOX_LIMITS.keys.default,
    days: SANDBOX_LIMITS.days.default,
    orgs: 1,
    faults: false,
    dataDir: null,
  };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = () => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') return 'help';
    if (seen.has(flag)) throw new OptionsError(`${flag} is given twice`);
    seen.add(flag);
    if (flag === '--port') opts.port = wholeNumber(flag, value(), 0, 65535);
    else if (flag === '--orgs') opts.orgs = wholeNumber(flag, value(), 1, SANDBOX_MAX_ORGS);
    else if (flag in NUMERIC) {
      const key = NUMERIC[flag as keyof typeof NUMERIC];
      opts[key] = wholeNumber(flag, value(), SANDBOX_LIMITS[key].min, SANDBOX_LIMITS[key].max);
    } else if (flag === '--faults') {
      if (inline !== undefined) throw new OptionsError('--faults takes no value');
      opts.faults = true;
    } else if (flag === '--data-dir') {
      const dir = value();
      if (dir === undefined || dir === '' || dir.startsWith('--'))
        throw new OptionsError('--data-dir needs a directory');
      opts.dataDir = dir;
    } else throw new OptionsError(`unknown option ${raw} (see --help)`);
  }
  return opts;
}
