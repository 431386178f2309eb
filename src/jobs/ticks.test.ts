import { describe, expect, it } from 'vitest';
import { cronSchedule, dueTicks, MAX_LATE_MS } from './ticks.js';

const at = (iso: string) => new Date(iso);
const hourly = cronSchedule('sync', '0 * * * *', 'UTC');
const everySecond = cronSchedule('reminders', '* * * * * *', 'UTC');
const dailyParis = cronSchedule('correlate', '30 8 * * *', 'Europe/Paris');

describe('which ticks are due', () => {
  it('is the tick a schedule names once its second has begun, and only once', () => {
    expect(dueTicks([hourly], at('2026-11-22T09:59:59.400Z'), at('2026-11-22T10:00:00.005Z'))).toEqual([
      { job: 'sync', tick: at('2026-11-22T10:00:00Z') },
    ]);
    // The next check starts where this one ended: the same tick is not due again.
    expect(dueTicks([hourly], at('2026-11-22T10:00:00.005Z'), at('2026-11-22T10:00:01.005Z'))).toEqual([]);
    expect(dueTicks([hourly], at('2026-11-22T09:59:58.005Z'), at('2026-11-22T09:59:59.005Z'))).toEqual([]);
  });

  it('gives each job its own ticks', () => {
    const due = dueTicks([hourly, everySecond], at('2026-11-22T09:59:59.500Z'), at('2026-11-22T10:00:00.500Z'));
    expect(due).toEqual([
      { job: 'sync', tick: at('2026-11-22T10:00:00Z') },
      { job: 'reminders', tick: at('2026-11-22T10:00:00Z') },
    ]);
  });

  it('runs a job once, for its latest tick, after a stall', () => {
    expect(dueTicks([everySecond], at('2026-11-22T10:00:00.500Z'), at('2026-11-22T10:00:05.500Z'))).toEqual([
      { job: 'reminders', tick: at('2026-11-22T10:00:05Z') },
    ]);
  });

  it('does not run a tick found later than the bound (the process was down)', () => {
    const tick = at('2026-11-22T10:00:00Z');
    const justInTime = new Date(tick.getTime() + MAX_LATE_MS);
    expect(dueTicks([hourly], at('2026-11-22T09:00:30Z'), justInTime)).toEqual([{ job: 'sync', tick }]);
    expect(dueTicks([hourly], at('2026-11-22T09:00:30Z'), new Date(justInTime.getTime() + 1000))).toEqual([]);
  });

  it('reads the schedule in its time zone', () => {
    // 08:30 in Paris is 07:30 UTC in winter (CET) and 06:30 UTC in summer (CEST).
    expect(dueTicks([dailyParis], at('2026-11-22T07:29:59.500Z'), at('2026-11-22T07:30:00.500Z'))).toEqual([
      { job: 'correlate', tick: at('2026-11-22T07:30:00Z') },
    ]);
    expect(dueTicks([dailyParis], at('2026-07-01T06:29:59.500Z'), at('2026-07-01T06:30:00.500Z'))).toEqual([
      { job: 'correlate', tick: at('2026-07-01T06:30:00Z') },
    ]);
    expect(dueTicks([dailyParis], at('2026-11-22T08:29:59.500Z'), at('2026-11-22T08:30:00.500Z'))).toEqual([]);
  });

  it('finds nothing when the clock has not moved past what was checked', () => {
    expect(dueTicks([everySecond], at('2026-11-22T10:00:00.500Z'), at('2026-11-22T10:00:00.500Z'))).toEqual([]);
    expect(dueTicks([everySecond], at('2026-11-22T10:00:05Z'), at('2026-11-22T10:00:01Z'))).toEqual([]);
  });
});
