const DAY = 86_400_000;

/** Times relative to the scenario's `now`, so the same scenario holds whatever day it is run. */
export interface RelativeTime {
  /** A time `days` ago at `hour`:00 UTC (same UTC day as `days` whole days before today). */
  ago: (days: number, hour?: number) => string;
  /** The UTC date (YYYY-MM-DD) `days` ago. */
  dayAgo: (days: number) => string;
}

export function relativeTo(now: Date): RelativeTime {
  const ago = (days: number, hour = 10): string => {
    const d = new Date(now.getTime() - days * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  return { ago, dayAgo: (days) => ago(days).slice(0, 10) };
}
