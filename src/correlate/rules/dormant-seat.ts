import type { Policy } from '../../config/policy.js';
import { lastActiveDay } from '../activity.js';
import { laterDay } from '../days.js';
import type { UserRecord } from '../types.js';
import { dormancyRule, idleDaysFrom } from './dormancy.js';

const joinedAt = (user: UserRecord): Date => user.addedAt ?? user.firstSeenAt;

/**
 * The last day a member used their seat: any feed event, seat analytics or Claude Code use; but a
 * `*_viewed` event only under `findings.dormant_seat.count_views`, because the feed records them
 * when the app loads content, possibly in the background
 * (https://platform.claude.com/docs/en/manage-claude/compliance-activity-feed).
 */
export function seatLastUsed(user: UserRecord, policy: Pick<Policy, 'findings'>): string | null {
  const a = user.activity;
  if (policy.findings.dormant_seat.count_views) return lastActiveDay(a);
  return a ? laterDay(a.lastUseDay, a.lastUsageDay) : null;
}

/** `… since 2026-09-01`: background views came after the last use (or with no use at all). */
function viewsSince(user: UserRecord, policy: Policy): string {
  const a = user.activity;
  if (!a?.lastEventDay || policy.findings.dormant_seat.count_views) return '';
  const last = seatLastUsed(user, policy);
  if (last !== null && a.lastEventDay <= last) return '';
  return `, only background views since ${last ?? 'joining'} (last ${a.lastEventDay})`;
}

/**
 * How long a member has been idle, in whole UTC days: from their last use, or from when they
 * (re)joined if that is later.
 */
export const seatIdleDays = (user: UserRecord, today: string, policy: Pick<Policy, 'findings'>): number =>
  idleDaysFrom(seatLastUsed(user, policy), joinedAt(user), today);

/** `dormant_seat`: a member with no use for ≥ N days. */
export const dormantSeat = dormancyRule<UserRecord>({
  kind: 'dormant_seat',
  subjectType: 'user',
  live: (s) => [...s.users.values()].filter((u) => u.removedAt === null),
  since: joinedAt,
  lastUsed: seatLastUsed,
  used: (idle, days, u, p) => `No activity for ${idle} days${viewsSince(u, p)} (policy: dormant after ${days} days).`,
  neverUsed: (idle, days, u, p) =>
    `No activity on record since joining ${idle} days ago${viewsSince(u, p)} (policy: dormant after ${days} days).`,
});
