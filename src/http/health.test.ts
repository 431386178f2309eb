import { describe, expect, it } from 'vitest';
import { readiness } from './health.js';

describe('readiness', () => {
  it('is ready only when every check passes, and names the failing one', async () => {
    expect(await readiness([{ name: 'a', check: async () => {} }])).toEqual({
      ready: true,
      checks: { a: { ok: true } },
    });
    const r = await readiness([
      { name: 'database', check: async () => {} },
      {
        name: 'slack',
        check: async () => {
          throw new Error('invalid_auth');
        },
      },
    ]);
    expect(r).toEqual({
      ready: false,
      checks: { database: { ok: true }, slack: { ok: false, error: 'invalid_auth' } },
    });
  });

  it('treats a hanging check as not ready', async () => {
    const r = await readiness([{ name: 'database', check: () => new Promise(() => {}) }]);
    expect(r.checks.database).toEqual({ ok: false, error: 'database check timed out' });
  });
});
