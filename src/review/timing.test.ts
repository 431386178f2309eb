import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../config/policy.js';
import { addDays, daysLeft, dueAt, isOverdue, keepEndingNoticeDue, keepUntil, reminderDue } from './timing.js';

const policy = defaultPolicy().policy; // due 7 days, reminders on days 3 and 6
const delivered = new Date('2026-11-01T09:00:00Z');
const item = (remindersSent: number) => ({
  status: 'open',
  deliveredAt: delivered,
  remindersSent,
  dueAt: dueAt(delivered, policy),
});

describe('review timing', () => {
  it('is due after the policy number of days', () => {
    expect(dueAt(delivered, policy).toISOString()).toBe('2026-11-08T09:00:00.000Z');
  });

  it('reminds on each scheduled day, once', () => {
    expect(reminderDue(item(0), policy, addDays(delivered, 2.99))).toBe(false);
    expect(reminderDue(item(0), policy, addDays(delivered, 3))).toBe(true);
    expect(reminderDue(item(1), policy, addDays(delivered, 4))).toBe(false);
    expect(reminderDue(item(1), policy, addDays(delivered, 6))).toBe(true);
    expect(reminderDue(item(2), policy, addDays(delivered, 6.5))).toBe(false);
  });

  it('catches up with a single reminder after missed runs', () => {
    // Day 6.5 with none sent: one reminder now (the first), not two.
    expect(reminderDue(item(0), policy, addDays(delivered, 6.5))).toBe(true);
  });

  it('does not remind undelivered, decided or overdue items', () => {
    expect(reminderDue({ ...item(0), deliveredAt: null }, policy, addDays(delivered, 4))).toBe(false);
    expect(reminderDue({ ...item(0), status: 'decided' }, policy, addDays(delivered, 4))).toBe(false);
    expect(reminderDue(item(0), policy, addDays(delivered, 7))).toBe(false);
  });

  it('is overdue exactly at the due time, not a millisecond before', () => {
    const due = dueAt(delivered, policy);
    expect(isOverdue({ status: 'open', dueAt: due }, new Date(due.getTime() - 1))).toBe(false);
    expect(isOverdue({ status: 'open', dueAt: due }, due)).toBe(true);
    expect(isOverdue({ status: 'decided', dueAt: due }, addDays(due, 1))).toBe(false);
  });

  it('counts days left, and accepts only the keep durations the policy offers', () => {
    expect(daysLeft(dueAt(delivered, policy), delivered)).toBe(7);
    expect(daysLeft(dueAt(delivered, policy), addDays(delivered, 7.5))).toBe(0);
    expect(keepUntil(delivered, 90, policy)?.toISOString()).toBe('2027-01-30T09:00:00.000Z');
    expect(keepUntil(delivered, 45, policy)).toBeNull();
  });
});

describe('keep ending notice', () => {
  const kept = new Date('2026-11-01T09:00:00Z');
  const cert = { createdAt: kept, validUntil: addDays(kept, 30) };
  it('is due from 7 days before the Keep ends until it ends', () => {
    expect(keepEndingNoticeDue(cert, addDays(kept, 22.9))).toBe(false);
    expect(keepEndingNoticeDue(cert, addDays(kept, 23))).toBe(true);
    expect(keepEndingNoticeDue(cert, addDays(kept, 29.99))).toBe(true);
    expect(keepEndingNoticeDue(cert, addDays(kept, 30))).toBe(false);
    expect(keepEndingNoticeDue(cert, addDays(kept, 31))).toBe(false);
  });
  it('is never due for a Keep of 7 days or less', () => {
    const short = { createdAt: kept, validUntil: addDays(kept, 7) };
    expect(keepEndingNoticeDue(short, kept)).toBe(false);
    expect(keepEndingNoticeDue(short, addDays(kept, 3))).toBe(false);
    expect(keepEndingNoticeDue({ createdAt: kept, validUntil: addDays(kept, 8) }, addDays(kept, 1))).toBe(true);
  });
  it('takes another lead time', () => {
    expect(keepEndingNoticeDue(cert, addDays(kept, 20), 14)).toBe(true);
    expect(keepEndingNoticeDue(cert, addDays(kept, 15.9), 14)).toBe(false);
  });
});
