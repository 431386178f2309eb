import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../config/policy.js';
import { campaignKeepOptions, certifyUntil, parseKeepChoice } from './keep.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const policy = parsePolicy(
  [
    'schedule:',
    '  timezone: Europe/Paris',
    'review:',
    '  keep_days: [30, 90]',
    'campaigns:',
    '  - scope: keys',
    '    cron: "0 9 1 * *"',
    '  - scope: keys',
    '    cron: "0 9 20 3 *"',
    '  - scope: admins',
    '    cron: "0 9 1 */3 *"',
  ].join('\n'),
  'test',
).policy;
const campaign = (scope: string) => ({ campaign: { id: 'c', number: 1, scope, dueAt: '', holderSlackId: null } });

describe('campaign Keep durations', () => {
  it('next run: the earliest tick of the policy schedules for the campaign scope, in the policy zone', () => {
    // 20 March 09:00 Paris (UTC+1) comes before 1 April.
    expect(campaignKeepOptions(campaign('keys'), policy, NOW)).toEqual({
      nextRun: new Date('2026-03-20T08:00:00Z'),
      earliestDate: '2026-03-11',
      latestDate: '2026-06-08',
    });
    expect(campaignKeepOptions(campaign('admins'), policy, NOW)?.nextRun).toEqual(new Date('2026-04-01T07:00:00Z'));
    // A scope nobody schedules (a manual campaign) has no next run; outside campaigns, no options.
    expect(campaignKeepOptions(campaign('seats'), policy, NOW)?.nextRun).toBeNull();
    expect(campaignKeepOptions({ campaign: null }, policy, NOW)).toBeNull();
  });

  it('resolves each choice, or says why not', () => {
    const keys = campaignKeepOptions(campaign('keys'), policy, NOW);
    const seats = campaignKeepOptions(campaign('seats'), policy, NOW);
    expect(certifyUntil({ kind: 'days', days: 30 }, null, policy, NOW)).toEqual({
      until: new Date('2026-04-09T12:00:00Z'),
    });
    expect(certifyUntil({ kind: 'days', days: 31 }, keys, policy, NOW)).toMatchObject({ field: 'duration' });
    expect(certifyUntil({ kind: 'next_run' }, keys, policy, NOW)).toEqual({ until: new Date('2026-03-20T08:00:00Z') });
    expect(certifyUntil({ kind: 'next_run' }, seats, policy, NOW)).toMatchObject({
      error: expect.stringMatching(/no schedule/),
    });
    expect(certifyUntil({ kind: 'next_run' }, null, policy, NOW)).toMatchObject({ field: 'duration' });
    // Through the chosen day in Paris: until midnight there (22:00 UTC in summer time).
    expect(certifyUntil({ kind: 'date', date: '2026-05-31' }, keys, policy, NOW)).toEqual({
      until: new Date('2026-05-31T22:00:00Z'),
    });
    expect(certifyUntil({ kind: 'date', date: '2026-03-10' }, keys, policy, NOW)).toMatchObject({
      field: 'date',
      error: 'Choose a date from 2026-03-11 to 2026-06-08 (at most 90 days).',
    });
    expect(certifyUntil({ kind: 'date', date: '2026-06-09' }, keys, policy, NOW)).toMatchObject({ field: 'date' });
    expect(certifyUntil({ kind: 'date', date: '' }, keys, policy, NOW)).toMatchObject({ field: 'date' });
    expect(certifyUntil({ kind: 'date', date: '2026-04-01' }, null, policy, NOW)).toMatchObject({
      field: 'duration',
    });
  });

  it('parses the modal values', () => {
    expect(parseKeepChoice('90', null)).toEqual({ kind: 'days', days: 90 });
    expect(parseKeepChoice('next_run', null)).toEqual({ kind: 'next_run' });
    expect(parseKeepChoice('date', '2026-04-01')).toEqual({ kind: 'date', date: '2026-04-01' });
    expect(parseKeepChoice('date', null)).toEqual({ kind: 'date', date: '' });
    expect(parseKeepChoice('', null)).toBeNull();
    expect(parseKeepChoice('soon', null)).toBeNull();
  });
});
