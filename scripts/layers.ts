import { posix } from 'node:path';

/**
 * The layering rule, checked by `npm run layers` (scripts/check-layers.ts) and explained
 * in ARCHITECTURE.md. A layer is a top-level folder of `src/` (or a file directly in it);
 * a file may import its own layer and the layers its row below allows, nothing else.
 */

/** The flow, in order: a stage may use the stages after it, never one before it. */
export const FLOW = ['sync', 'correlate', 'review', 'actions', 'audit'] as const;

/** What the flow stages and everything above them stand on. */
const FOUNDATIONS = ['domain', 'config', 'db', 'log'] as const;

const after = (stage: (typeof FLOW)[number]) => FLOW.slice(FLOW.indexOf(stage) + 1);

/** Every layer and what it may import besides itself. */
export const ALLOWED = {
  // The words every layer shares: pure types, constants and functions.
  domain: [],
  // The logger (pino with redaction; the URL-credential scrub it shares with errors is domain's).
  log: ['domain'],
  // Parses the environment and the policy file into typed config.
  config: ['domain'],
  // The database client and one file per table.
  db: ['domain'],
  // Adapters over the Anthropic APIs (Admin API SDK, Compliance feed).
  anthropic: ['domain', 'log'],
  // Prometheus metrics; state gauges read the database.
  metrics: ['domain', 'db'],
  // The flow.
  sync: [...FOUNDATIONS, 'anthropic', ...after('sync')],
  correlate: [...FOUNDATIONS, ...after('correlate')],
  review: [...FOUNDATIONS, ...after('review')],
  actions: [...FOUNDATIONS, 'anthropic', ...after('actions')],
  audit: [...FOUNDATIONS, ...after('audit')],
  // Claude assist (opt-in): evidence readings and /steward ask over read-only queries. Review
  // reaches it only through the explainer interface it declares; slack and services wire it.
  assist: [...FOUNDATIONS, 'audit'],
  // Health and readiness routes.
  http: ['domain', 'db'],
  // On top, calling services: scheduled jobs and the Slack app.
  jobs: [...FOUNDATIONS, ...FLOW],
  slack: [...FOUNDATIONS, ...FLOW, 'assist'],
  // Wiring of every service over real adapters, shared by the composition roots.
  services: [...FOUNDATIONS, ...FLOW, 'anthropic', 'assist', 'metrics', 'jobs', 'slack'],
  // Composition roots: the service (steward.ts, started by main.ts) and the command line.
  steward: [...FOUNDATIONS, 'services', 'http', 'jobs', 'metrics', 'slack'],
  main: [...FOUNDATIONS, 'steward'],
  cli: [...FOUNDATIONS, ...FLOW, 'services', 'jobs'],
  // The simulated Slack and Anthropic: their own world, sharing only Steward's words.
  sim: ['domain'],
  // The sandbox entry point composes Steward with the simulators.
  sandbox: [
    ...FOUNDATIONS,
    ...FLOW,
    'anthropic',
    'assist',
    'metrics',
    'http',
    'jobs',
    'slack',
    'services',
    'steward',
    'sim',
  ],
} as const satisfies Record<string, readonly string[]>;

export type Layer = keyof typeof ALLOWED;

export interface Import {
  /** The module specifier as written. */
  spec: string | null;
  line: number;
  kind: 'static' | 'dynamic';
}

export interface Violation {
  file: string;
  line: number;
  spec: string;
  rule: string;
}

const isLayer = (name: string): name is Layer => Object.hasOwn(ALLOWED, name);

/** The layer a repository path belongs to, or what else it is. */
export function placeOf(path: string): { layer: Layer } | { outside: string } {
  const parts = path.split('/');
  if (parts[0] !== 'src') return { outside: parts.length > 1 ? (parts[0] ?? path) : path };
  const top = parts.length === 2 ? parts[1]!.replace(/(\.test)?\.ts$/, '') : parts[1]!;
  return isLayer(top) ? { layer: top } : { outside: `src/${top}` };
}

/**
 * The imports of a TypeScript source: `import … from`, `import '…'`, `export … from`,
 * `import type`, and `import(…)` (a computed specifier comes back as null). Comments,
 * strings, template literals and regular expressions are skipped, so text that only
 * looks like an import is not one.
 */
export function importsOf(source: string): Import[] {
  const out: Import[] = [];
  const masked = source.split('');
  const strings: Array<{ start: number; end: number; value: string | null }> = [];
  const braces: number[] = []; // open-brace depth at each `${` of the templates we are inside
  let depth = 0;
  let lastSignificant = '';
  let lastWord = '';
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (masked[k] !== '\n') masked[k] = ' ';
  };
  const regexCanStart = () =>
    lastSignificant === '' ||
    '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant) ||
    ['return', 'typeof', 'case', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await'].includes(lastWord);

  const readTemplate = (start: number): number => {
    // From just after a backtick (or a `}` closing `${…}`) to the next backtick or `${`.
    let k = start;
    while (k < source.length) {
      const c = source[k]!;
      if (c === '\\') k += 2;
      else if (c === '`') return k + 1;
      else if (c === '$' && source[k + 1] === '{') return -(k + 2);
      else k++;
    }
    return source.length;
  };

  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < source.length && source[k] !== c && source[k] !== '\n') k += source[k] === '\\' ? 2 : 1;
      strings.push({ start: i, end: k + 1, value: source.slice(i + 1, k) });
      blank(i, k + 1);
      i = k + 1;
      lastSignificant = c;
      lastWord = '';
      continue;
    }
    if (c === '`' || (c === '}' && braces.length > 0 && braces[braces.length - 1] === depth)) {
      if (c === '}') braces.pop();
      const end = readTemplate(i + 1);
      if (end < 0) {
        // Stopped at `${`: the expression inside is code, up to its matching `}`.
        if (c === '`') strings.push({ start: i, end: -end, value: null });
        blank(i, -end);
        braces.push(depth);
        i = -end;
      } else {
        if (c === '`') strings.push({ start: i, end, value: source.slice(i + 1, end - 1) });
        blank(i, end);
        i = end;
      }
      lastSignificant = '`';
      lastWord = '';
      continue;
    }
    if (c === '/' && regexCanStart()) {
      let k = i + 1;
      let inClass = false;
      while (k < source.length && source[k] !== '\n') {
        const r = source[k]!;
        if (r === '\\') k += 2;
        else {
          if (r === '[') inClass = true;
          else if (r === ']') inClass = false;
          else if (r === '/' && !inClass) break;
          k++;
        }
      }
      blank(i, k + 1);
      i = k + 1;
      lastSignificant = '/';
      lastWord = '';
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    if (/[A-Za-z_$]/.test(c)) {
      let k = i;
      while (k < source.length && /[\w$]/.test(source[k]!)) k++;
      lastWord = source.slice(i, k);
      lastSignificant = 'a';
      i = k;
      continue;
    }
    if (!/\s/.test(c)) {
      lastSignificant = c;
      lastWord = '';
    }
    i++;
  }

  const code = masked.join('');
  const lineAt = (pos: number) => source.slice(0, pos).split('\n').length;
  for (const s of strings) {
    const before = code.slice(Math.max(0, s.start - 400), s.start);
    if (/(?:^|[^\w$.])import\s*\(\s*$/.test(before)) {
      out.push({
        spec: s.value !== null && !s.value.includes('${') ? s.value : null,
        line: lineAt(s.start),
        kind: 'dynamic',
      });
      continue;
    }
    const statement = before.slice(Math.max(before.lastIndexOf(';'), before.lastIndexOf('}\n')) + 1);
    const isStatic =
      (/(?:^|[^\w$.])from\s*$/.test(before) && /(?:^|\n)\s*(?:import|export)\b/.test(statement)) ||
      /(?:^|\n)\s*import\s*$/.test(before);
    if (isStatic && s.value !== null) out.push({ spec: s.value, line: lineAt(s.start), kind: 'static' });
  }
  return out;
}

/** Where a relative specifier points, as a repository path (`.js` written for `.ts`). */
export function resolveSpec(fromFile: string, spec: string): string {
  return posix.normalize(posix.join(posix.dirname(fromFile), spec)).replace(/\.js$/, '.ts');
}

/** Every import of these files that the table does not allow, with the rule it breaks. */
export function checkLayers(files: ReadonlyArray<{ path: string; source: string }>): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const from = placeOf(file.path);
    if (!('layer' in from)) {
      violations.push({ file: file.path, line: 1, spec: '', rule: `${file.path} is in no layer of scripts/layers.ts` });
      continue;
    }
    const isTest = file.path.endsWith('.test.ts');
    for (const imp of importsOf(file.source)) {
      const at = { file: file.path, line: imp.line, spec: imp.spec ?? '(computed)' };
      if (imp.spec === null) {
        violations.push({ ...at, rule: 'a dynamic import with a computed path cannot be checked; name the module' });
        continue;
      }
      if (!imp.spec.startsWith('.')) continue; // a package
      const target = resolveSpec(file.path, imp.spec);
      const to = placeOf(target);
      if ('outside' in to) {
        if (isTest && target.startsWith('test/support/')) continue; // a unit test may use the test kits
        const what = to.outside === 'test' || to.outside === 'bench' ? `${to.outside}/` : to.outside;
        violations.push({ ...at, rule: `src/ must not import ${what} (${target})` });
        continue;
      }
      if (to.layer === from.layer) continue;
      const allowed: readonly string[] = ALLOWED[from.layer];
      if (allowed.includes(to.layer)) continue;
      violations.push({ ...at, rule: ruleFor(from.layer, to.layer) });
    }
  }
  return violations;
}

function ruleFor(from: Layer, to: Layer): string {
  const stage = (l: Layer) => (FLOW as readonly string[]).indexOf(l);
  if (stage(from) >= 0 && stage(to) >= 0 && stage(to) < stage(from))
    return `${from} must not import ${to}: the flow runs ${FLOW.join(' → ')}, and an import may only point down it`;
  if (to === 'sim') return `${from} must not import the simulators (only the sandbox composes them)`;
  if (from === 'sim') return `the simulators may import only src/domain from Steward, not ${to}`;
  return `${from} may import only ${[...ALLOWED[from]].join(', ') || 'nothing'}, not ${to}`;
}
