import { dayStart, laterDay } from './days.js';
import type { ActivitySummary } from './types.js';

/** The last UTC day with any activity: a feed event or usage. */
export function lastActiveDay(a: ActivitySummary | null | undefined): string | null {
  if (!a) return null;
  return laterDay(a.lastEventDay, a.lastUsageDay);
}

/**
 * The last activity as evidence shows it: the feed event's exact time and type, or,
 * when usage is more recent, the usage day (the usage roll-up has no finer time).
 */
export function lastActivityOf(
  a: ActivitySummary | null | undefined,
  usageType: string,
): { at: string; type: string | null } | null {
  if (!a) return null;
  const eventDay = a.lastEventDay;
  const usageDay = a.lastUsageDay;
  if (usageDay && (!eventDay || usageDay > eventDay)) return { at: dayStart(usageDay).toISOString(), type: usageType };
  if (a.lastEventAt) return { at: a.lastEventAt.toISOString(), type: a.lastEventType };
  if (eventDay) return { at: dayStart(eventDay).toISOString(), type: a.lastEventType };
  return null;
}
