import { describe, expect, it } from 'vitest';
import {
  activeDaysAgo,
  dayAgo,
  daysAgo,
  NOW,
  policy,
  snapshot,
  user,
  usedDaysAgo,
  type SnapshotParts,
} from '../../../test/support/snapshot-builder.js';
import { dormantSeat } from './dormant-seat.js';

const fired = (users: SnapshotParts['users'], yaml = '') =>
  dormantSeat(snapshot({ users }), policy(yaml), NOW).map((d) => d.subject.id);

describe('dormant_seat', () => {
  it('fires at exactly N idle days and not at N−1', () => {
    expect(
      fired([
        user('user_exact', { activity: activeDaysAgo(30) }),
        user('user_almost', { activity: activeDaysAgo(29) }),
      ]),
    ).toEqual(['user_exact']);
  });

  it('counts whole UTC days, whatever the hour of the last activity', () => {
    const lateAtNight = { ...activeDaysAgo(29), lastEventAt: daysAgo(29, 23) };
    expect(fired([user('user_a', { activity: lateAtNight })])).toEqual([]);
  });

  it('counts seat analytics usage as activity', () => {
    expect(fired([user('user_seat', { activity: usedDaysAgo(3) })])).toEqual([]);
  });

  it('measures a member with no activity from when they joined', () => {
    expect(
      fired([user('user_joined30', { addedAt: daysAgo(30) }), user('user_joined29', { addedAt: daysAgo(29) })]),
    ).toEqual(['user_joined30']);
  });

  it('never fires for a removed member', () => {
    expect(fired([user('user_gone', { removedAt: daysAgo(10), activity: activeDaysAgo(100) })])).toEqual([]);
  });

  it('treats a removed then re-added member as a member since re-joining', () => {
    const readded = (days: number) =>
      user(`user_readded${days}`, { firstSeenAt: daysAgo(200), addedAt: daysAgo(days), activity: activeDaysAgo(120) });
    expect(fired([readded(5), readded(30)])).toEqual(['user_readded30']);
  });

  it('uses the policy threshold and can be switched off', () => {
    const u = [user('user_a', { activity: activeDaysAgo(40) })];
    expect(fired(u, 'findings:\n  dormant_seat: { days: 45 }')).toEqual([]);
    expect(fired(u, 'findings:\n  dormant_seat: { enabled: false }')).toEqual([]);
  });

  it('says why, with the threshold, and a stable fingerprint', () => {
    const [d] = dormantSeat(snapshot({ users: [user('user_a', { activity: activeDaysAgo(45) })] }), policy(), NOW);
    expect(d).toMatchObject({
      fingerprint: 'dormant_seat:user:user_a',
      activityOf: 'user_a',
      idleDays: 45,
      thresholds: { dormant_seat_days: 30 },
      rule: 'No activity for 45 days (policy: dormant after 30 days).',
    });
  });

  describe('background views (*_viewed)', () => {
    /** Used `used` days ago (null: never), with only views since, the last `viewed` days ago. */
    const viewsOnly = (used: number | null, viewed: number) => ({
      ...activeDaysAgo(viewed),
      lastEventType: 'claude_chat_viewed',
      lastUseDay: used === null ? null : dayAgo(used),
    });

    it('do not keep a seat from dormancy by default, and the rule says they were only views', () => {
      const [d] = dormantSeat(snapshot({ users: [user('user_v', { activity: viewsOnly(45, 1) })] }), policy(), NOW);
      expect(d).toMatchObject({
        idleDays: 45,
        rule: `No activity for 45 days, only background views since ${dayAgo(45)} (last ${dayAgo(1)}) (policy: dormant after 30 days).`,
      });
      const never = dormantSeat(
        snapshot({ users: [user('user_n', { addedAt: daysAgo(60), activity: viewsOnly(null, 2) })] }),
        policy(),
        NOW,
      );
      expect(never[0]?.rule).toBe(
        `No activity on record since joining 60 days ago, only background views since joining (last ${dayAgo(2)}) (policy: dormant after 30 days).`,
      );
    });

    it('count as use under findings.dormant_seat.count_views', () => {
      expect(
        fired([user('user_v', { activity: viewsOnly(45, 1) })], 'findings:\n  dormant_seat: { count_views: true }'),
      ).toEqual([]);
    });

    it('leave seat analytics and Claude Code usage counting as use', () => {
      const a = { ...viewsOnly(45, 1), lastUsageDay: dayAgo(3) };
      expect(fired([user('user_cc', { activity: a })])).toEqual([]);
    });
  });
});
