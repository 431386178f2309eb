import { describe, expect, it } from 'vitest';
import { formatDuration, progressLine, resultLine } from './progress-line.js';

describe('progress lines', () => {
  it('show counts, rate, share of the span and ETA during a catch-up', () => {
    expect(
      progressLine({
        source: 'activities',
        phase: 'catch-up',
        counts: { pages: 4, fetched: 20_000, inserted: 19_990, duplicates: 10, rollups: 0 },
        rate: 45_210.4,
        fraction: 0.384,
        etaSeconds: 75,
      }),
    ).toBe(
      'activities catch-up     pages 4, fetched 20,000, inserted 19,990, duplicates 10 · 45,210/s · 38% of span · ETA 1m15s',
    );
    expect(progressLine({ source: 'directory', phase: 'api keys', counts: {} })).toBe(
      'directory  api keys     nothing yet',
    );
  });

  it('say how each source ended', () => {
    const base = { startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:02.5Z', jobRunId: 1, notes: [] };
    expect(resultLine({ ...base, source: 'key_usage', status: 'succeeded', counts: { key_days: 12 } })).toBe(
      '✓ key_usage  key days 12 in 2.5s',
    );
    // With several organisations (issue 17), each line names its organisation.
    const org = { id: 'c0ffee00-0000-4000-8000-000000000002', name: 'Acme Production' };
    expect(resultLine({ ...base, source: 'directory', status: 'succeeded', counts: { users: 3 }, org })).toBe(
      '✓ directory  users 3 in 2.5s [Acme Production]',
    );
    expect(
      resultLine({
        ...base,
        source: 'seat_usage',
        status: 'not_available',
        counts: {},
        notes: ['seat analytics not available'],
      }),
    ).toBe('– seat_usage not available: seat analytics not available');
    expect(
      resultLine({
        ...base,
        source: 'activities',
        status: 'failed',
        counts: { inserted: 5 },
        error: { code: 'x', message: 'boom', retry: true },
      }),
    ).toBe(
      '✗ activities FAILED: boom (temporary; the next sync resumes where this stopped); inserted 5 stored before that',
    );
  });

  it('format durations', () => {
    expect(formatDuration(3.25)).toBe('3.3s');
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
  });
});
