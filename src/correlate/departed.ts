import { utcDay } from './days.js';
import type { DepartureRecord, KeyRecord, UserRecord } from './types.js';

/**
 * A leaver's key counts as still used by others when it had API usage in the 30 days
 * before their departure or since: the leaver's own use has stopped with their account,
 * so anyone still depending on it is someone else.
 */
export const IN_USE_DAYS = 30;

const indexes = new WeakMap<readonly DepartureRecord[], Map<string, DepartureRecord>>();

/** The departure of this person (matched by email, as `leavers.ts` recorded it), if they left Slack. */
export function departureOf(
  u: Pick<UserRecord, 'email'>,
  departures: readonly DepartureRecord[] | undefined,
): DepartureRecord | undefined {
  if (!departures || departures.length === 0) return undefined;
  let index = indexes.get(departures);
  if (!index) {
    index = new Map(departures.map((d) => [d.email.toLowerCase(), d]));
    indexes.set(departures, index);
  }
  return index.get(u.email.toLowerCase());
}

/** A key the leaver created that does not act as them and was used recently: others depend on it. */
export function usedByOthers(key: KeyRecord, leaverId: string, d: DepartureRecord): boolean {
  if (key.principal?.id === leaverId) return false;
  const last = key.activity?.lastUsageDay;
  if (!last) return false;
  return last >= utcDay(new Date(d.detectedAt.getTime() - IN_USE_DAYS * 86_400_000));
}

/** "creator left (Dave, Slack account deactivated 2026-11-06)": why such a key has no owner. */
export function creatorLeftReason(u: Pick<UserRecord, 'name' | 'email'>, d: DepartureRecord): string {
  return `creator left (${u.name ?? u.email}, Slack account ${d.how === 'deactivated' ? 'deactivated' : 'gone'} ${utcDay(d.detectedAt)})`;
}
