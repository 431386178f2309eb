import type { Policy } from '../config/policy.js';

const DAY_MS = 86_400_000;

export const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);

/** When a review delivered at `openedAt` becomes overdue. */
export function dueAt(openedAt: Date, policy: Policy): Date {
  return addDays(openedAt, policy.review.due_days);
}

export interface ReminderState {
  status: string;
  deliveredAt: Date | null;
  remindersSent: number;
  dueAt: Date;
}

/**
 * The reminder schedule is "N days after delivery" for each N in `reminder_days`.
 * Reminders are counted, not timed, so a missed run catches up with one reminder
 * rather than a burst, and a re-run on the same day never reminds twice.
 */
export function reminderDue(item: ReminderState, policy: Policy, now: Date): boolean {
  if (item.status !== 'open' || item.deliveredAt === null) return false;
  const schedule = [...policy.review.reminder_days].sort((a, b) => a - b);
  const next = schedule[item.remindersSent];
  if (next === undefined) return false;
  return now.getTime() >= addDays(item.deliveredAt, next).getTime() && now.getTime() < item.dueAt.getTime();
}

/** Overdue: still open at or after its due time. */
export function isOverdue(item: { status: string; dueAt: Date }, now: Date): boolean {
  return item.status === 'open' && now.getTime() >= item.dueAt.getTime();
}

/** Days left until due (negative once overdue), rounded towards the reviewer's favour. */
export function daysLeft(due: Date, now: Date): number {
  return Math.ceil((due.getTime() - now.getTime()) / DAY_MS) + 0; // + 0 turns -0 into 0
}

/** Keep durations offered: only those in the policy are accepted. */
export function keepUntil(decidedAt: Date, days: number, policy: Policy): Date | null {
  return policy.review.keep_days.includes(days) ? addDays(decidedAt, days) : null;
}

/** A Keep's owner hears this many days before it ends that it is ending (issue 20). */
export const KEEP_ENDING_NOTICE_DAYS = 7;

/**
 * Whether the "your Keep ends in 7 days" notice is due for a certification: from
 * `leadDays` before it ends until it ends. A Keep given for `leadDays` or less is not
 * announced: whoever chose it chose its end a moment ago.
 */
export function keepEndingNoticeDue(
  cert: { createdAt: Date; validUntil: Date },
  now: Date,
  leadDays: number = KEEP_ENDING_NOTICE_DAYS,
): boolean {
  const from = addDays(cert.validUntil, -leadDays).getTime();
  return cert.createdAt.getTime() < from && now.getTime() >= from && now.getTime() < cert.validUntil.getTime();
}
