import { describe, expect, it } from 'vitest';
import { Latency } from './latency.js';

describe('Latency', () => {
  it('adds the fixed part and a seeded share of the jitter, by the most specific matching op', () => {
    const a = new Latency({ '*': { fixedMs: 5 }, 'compliance.*': { fixedMs: 100, jitterMs: 50 } }, 7);
    const b = new Latency({ '*': { fixedMs: 5 }, 'compliance.*': { fixedMs: 100, jitterMs: 50 } }, 7);
    const delays = Array.from({ length: 200 }, () => a.delayFor('compliance.activities'));
    expect(delays.every((d) => d >= 100 && d < 150)).toBe(true);
    expect(new Set(delays).size).toBeGreaterThan(100);
    expect(Array.from({ length: 200 }, () => b.delayFor('compliance.activities'))).toEqual(delays);
    expect(a.delayFor('apiKeys.update')).toBe(5);
    expect(a.delayFor(undefined)).toBe(5);
  });

  it('changes at run time and refuses nonsense', () => {
    const l = new Latency();
    expect(l.delayFor('compliance.activities')).toBe(0);
    l.set('compliance.activities', { fixedMs: 30 });
    expect(l.delayFor('compliance.activities')).toBe(30);
    l.set('compliance.activities', { fixedMs: 10 });
    expect(l.delayFor('compliance.activities')).toBe(10);
    l.delete('compliance.activities');
    expect(l.delayFor('compliance.activities')).toBe(0);
    expect(() => l.set('*', { fixedMs: -1 })).toThrow(/non-negative/);
    expect(() => l.set('*', { jitterMs: Number.NaN })).toThrow(/jitterMs/);
  });
});
