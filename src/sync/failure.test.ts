import { describe, expect, it } from 'vitest';
import { StewardError } from '../domain/errors.js';
import { syncFailure } from './failure.js';

describe('syncFailure', () => {
  it("uses the driver's error instead of drizzle's query dump", () => {
    const pg = new Error('duplicate key value violates unique constraint');
    const wrapped = new Error(`Failed query: insert into … params: ${'x'.repeat(10_000)}`, { cause: pg });
    const e = syncFailure(wrapped, 'activities');
    expect(e).toMatchObject({
      code: 'sync_failed',
      message: 'activities: duplicate key value violates unique constraint',
    });
    expect(e.cause).toBe(pg);
  });

  it('passes StewardErrors through and shortens long messages', () => {
    const own = new StewardError('anthropic_timeout', 'slow', { retry: true });
    expect(syncFailure(own, 'x')).toBe(own);
    expect(syncFailure(new Error('y'.repeat(900)), 'x').message).toHaveLength(3 + 500 + 1);
  });
});
