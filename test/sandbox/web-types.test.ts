/**
 * The page's browser code is plain JavaScript served as written (no build step); its JSDoc
 * types are checked here, as `npm run typecheck` checks the TypeScript.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('sandbox page browser code', () => {
  it('type-checks against its JSDoc (tsc -p src/sandbox/web)', async () => {
    const tsc = join(process.cwd(), 'node_modules', '.bin', 'tsc');
    const run = await promisify(execFile)(tsc, ['-p', 'src/sandbox/web'], { cwd: process.cwd() }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: err.code ?? 1,
        out: `${err.stdout ?? ''}${err.stderr ?? ''}`,
      }),
    );
    expect(run.out).toBe('');
    expect(run.code).toBe(0);
  });
});
