import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  const opts = { baseMs: 1000, capMs: 60_000 };
  it('doubles per attempt within [ceiling/2, ceiling]', () => {
    expect(backoffMs(1, opts, () => 0)).toBe(500);
    expect(backoffMs(1, opts, () => 1)).toBe(1000);
    expect(backoffMs(3, opts, () => 1)).toBe(4000);
  });
  it('never exceeds the cap', () => {
    expect(backoffMs(30, opts, () => 1)).toBe(60_000);
  });
});
