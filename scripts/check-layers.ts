import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { checkLayers } from './layers.js';

/**
 * `npm run layers`: every import in src/**\/*.ts against the table in layers.ts.
 * Prints each broken rule as file:line and exits 1, or says how many files it checked.
 */
const files = (await readdir('src', { recursive: true }))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src/${f.split('\\').join('/')}`)
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  .map((path) => ({ path, source: readFileSync(path, 'utf8') }));
const violations = checkLayers(files);
for (const v of violations) process.stderr.write(`${v.file}:${v.line}: ${v.spec}: ${v.rule}\n`);
if (violations.length > 0) {
  process.stderr.write(`layers: ${violations.length} import(s) break the layering (scripts/layers.ts)\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`layers: ${files.length} files, every import follows scripts/layers.ts\n`);
}
