import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOWED, checkLayers, FLOW, importsOf, placeOf } from './layers.js';

const specs = (source: string) => importsOf(source).map((i) => i.spec);

describe('reading imports', () => {
  it('finds every form of import and export-from, with its line', () => {
    const source = [
      "import { a, type B } from './a.js';",
      "import type { C } from '../c.js';",
      'import {',
      '  d,',
      '  e,',
      "} from './multi.js';",
      "import * as f from './star.js';",
      "import './side-effect.js';",
      "export { g } from './reexport.js';",
      "export * from './all.js';",
      "export type { H } from './types.js';",
      "const lazy = await import('./lazy.js');",
      'const tpl = await import(`./template.js`);',
      "import pkg from 'drizzle-orm';",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { spec: './a.js', line: 1, kind: 'static' },
      { spec: '../c.js', line: 2, kind: 'static' },
      { spec: './multi.js', line: 6, kind: 'static' },
      { spec: './star.js', line: 7, kind: 'static' },
      { spec: './side-effect.js', line: 8, kind: 'static' },
      { spec: './reexport.js', line: 9, kind: 'static' },
      { spec: './all.js', line: 10, kind: 'static' },
      { spec: './types.js', line: 11, kind: 'static' },
      { spec: './lazy.js', line: 12, kind: 'dynamic' },
      { spec: './template.js', line: 13, kind: 'dynamic' },
      { spec: 'drizzle-orm', line: 14, kind: 'static' },
    ]);
  });

  it('gives a computed dynamic import a null specifier', () => {
    expect(importsOf('const m = await import(`./jobs/${name}.js`);\nawait import(path);')).toEqual([
      { spec: null, line: 1, kind: 'dynamic' },
    ]);
  });

  it('skips what only looks like an import: comments, strings, templates, regular expressions', () => {
    const source = [
      "// import { x } from './commented.js';",
      "/* export * from './block.js'; */",
      'const s = "import { y } from \'./in-a-string.js\'";',
      "const t = `import('./in-a-template.js') ${'from'} './still-template.js'`;",
      "const r = /from '.\\/in-a-regex.js'/;",
      'const half = total / 2; const other = 4 / 2;',
      "const from = 'not-an-import';",
      "const u = 'http://example.test/x'; // from './trailing-comment.js'",
      "import { real } from './real.js';",
      "const quote = /'/; import { same } from './same-line.js';",
      "const third = total / 3; import { d } from './after-division.js'; const q = 1 / 2;",
    ].join('\n');
    expect(specs(source)).toEqual(['./real.js', './same-line.js', './after-division.js']);
  });

  it('follows code inside template expressions, nested templates included', () => {
    const source =
      "const a = `x ${`y ${1 + 2}`} z`;\nconst b = `${await import('./inside.js')}`;\nimport './after.js';";
    expect(specs(source)).toEqual(['./inside.js', './after.js']);
  });
});

describe('placing files in layers', () => {
  it('names a layer by its top-level folder, or by the file directly in src/', () => {
    expect(placeOf('src/review/decide.ts')).toEqual({ layer: 'review' });
    expect(placeOf('src/correlate/rules/dormant-key.test.ts')).toEqual({ layer: 'correlate' });
    expect(placeOf('src/steward.ts')).toEqual({ layer: 'steward' });
    expect(placeOf('src/log.test.ts')).toEqual({ layer: 'log' });
    expect(placeOf('src/cli.ts')).toEqual({ layer: 'cli' });
    expect(placeOf('src/unknown/x.ts')).toEqual({ outside: 'src/unknown' });
    expect(placeOf('test/support/load-scenario.ts')).toEqual({ outside: 'test' });
  });

  it('lets every flow stage import only the stages after it', () => {
    for (const [i, stage] of FLOW.entries()) {
      const allowed: readonly string[] = ALLOWED[stage];
      for (const earlier of FLOW.slice(0, i)) expect(allowed, `${stage} → ${earlier}`).not.toContain(earlier);
    }
  });
});

describe('checking the layering', () => {
  const file = (path: string, ...imports: string[]) => ({
    path,
    source: imports.map((spec) => `import { x } from '${spec}';`).join('\n'),
  });

  it('accepts imports down the flow, into the domain and within a layer', () => {
    expect(
      checkLayers([
        file(
          'src/review/decide.ts',
          '../actions/outbox.js',
          '../audit/append.js',
          '../domain/findings.js',
          './deps.js',
        ),
        file('src/correlate/service.ts', '../audit/append.js', '../config/policy.js', '../db/types.js'),
        file('src/slack/commands/steward.ts', '../../review/cycle.js', '../../correlate/service.js'),
        file('src/sim/slack/state.ts', '../../domain/findings.js', './types.js'),
        file('src/sandbox/index.ts', '../sim/slack/index.js', '../steward.js'),
      ]),
    ).toEqual([]);
  });

  it('names the file, the line and the rule an upward import breaks', () => {
    const v = checkLayers([
      {
        path: 'src/actions/outbox.ts',
        source: "import { a } from '../db/types.js';\nimport type { P } from '../review/revocation.js';",
      },
    ]);
    expect(v).toEqual([
      {
        file: 'src/actions/outbox.ts',
        line: 2,
        spec: '../review/revocation.js',
        rule: 'actions must not import review: the flow runs sync → correlate → review → actions → audit, and an import may only point down it',
      },
    ]);
  });

  it('refuses sideways imports between layers the table does not connect', () => {
    const [v] = checkLayers([file('src/slack/errors.ts', '../jobs/definitions.js')]);
    expect(v?.rule).toMatch(/^slack may import only .*, not jobs$/);
    const [w] = checkLayers([file('src/config/policy.ts', '../correlate/types.js')]);
    expect(w?.rule).toBe('config may import only domain, not correlate');
  });

  it('keeps tests, benches and the simulators out of product code', () => {
    const rules = checkLayers([
      file('src/correlate/load/state.ts', '../../../test/support/load-scenario.js'),
      file('src/sync/service.ts', '../../bench/cpu.js'),
      file('src/correlate/assemble.ts', '../sim/scenarios/known-org.js'),
      file('src/sim/anthropic/server.ts', '../../review/service.js'),
    ]).map((x) => x.rule);
    expect(rules).toEqual([
      'src/ must not import test/ (test/support/load-scenario.ts)',
      'src/ must not import bench/ (bench/cpu.ts)',
      'correlate must not import the simulators (only the sandbox composes them)',
      'the simulators may import only src/domain from Steward, not review',
    ]);
  });

  it('lets a unit test beside its source use the test kits, and nothing else of test/', () => {
    expect(checkLayers([file('src/correlate/owner.test.ts', '../../test/support/snapshot-builder.js')])).toEqual([]);
    expect(checkLayers([file('src/correlate/owner.test.ts', '../../test/helpers/db.js')])).toHaveLength(1);
  });

  it('refuses what it cannot check: a computed dynamic import, a file in no layer', () => {
    const rules = checkLayers([
      { path: 'src/jobs/load.ts', source: 'await import(`./${name}.js`);' },
      file('src/newthing/x.ts', '../domain/findings.js'),
    ]).map((x) => x.rule);
    expect(rules).toEqual([
      'a dynamic import with a computed path cannot be checked; name the module',
      'src/newthing/x.ts is in no layer of scripts/layers.ts',
    ]);
  });
});

describe('ARCHITECTURE.md', () => {
  it('shows the table the check enforces, every layer with exactly what it may import', () => {
    const rows = readFileSync(new URL('../ARCHITECTURE.md', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => /^\| `\w+` \|/.test(l))
      .map((l) => {
        const cells = l.split(' | ');
        const layer = /`(\w+)`/.exec(cells[0]!)![1]!;
        const mayImport = [...cells[cells.length - 1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!);
        return [layer, mayImport.sort(byName)] as const;
      });
    const table = Object.entries(ALLOWED).map(([layer, allowed]) => [layer, [...allowed].sort(byName)] as const);
    expect(rows).toEqual(table);
  });
});

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
