import type { UserRecord } from '../types.js';
import { dormancyRule, idleDays } from './dormancy.js';

const joinedAt = (user: UserRecord): Date => user.addedAt ?? user.firstSeenAt;

/**
 * How long a member has been idle, in whole UTC days: from their last activity, or
 * from when they (re)joined if that is later.
 */
export const seatIdleDays = (user: UserRecord, today: string): number => idleDays(user.activity, joinedAt(user), today);

/** `dormant_seat`: a member with no activity for ≥ N days. */
export const dormantSeat = dormancyRule<UserRecord>({
  kind: 'dormant_seat',
  subjectType: 'user',
  live: (s) => [...s.users.values()].filter((u) => u.removedAt === null),
  since: joinedAt,
  used: (idle, days) => `No activity for ${idle} days (policy: dormant after ${days} days).`,
  neverUsed: (idle, days) =>
    `No activity on record since joining ${idle} days ago (policy: dormant after ${days} days).`,
});
