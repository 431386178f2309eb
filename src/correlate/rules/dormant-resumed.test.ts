import { describe, expect, it } from 'vitest';
import type { OpenFindingRecord } from '../types.js';
import {
  activeDaysAgo,
  dayAgo,
  daysAgo,
  key,
  NOW,
  policy,
  snapshot,
  user,
  usedDaysAgo,
} from '../../../test/support/snapshot-builder.js';
import { dormantResumed } from './dormant-resumed.js';

const open = (kind: 'dormant_seat' | 'dormant_key', id: string, openedDaysAgo: number): OpenFindingRecord => ({
  id: `f-${id}`,
  fingerprint: `${kind}:${kind === 'dormant_seat' ? 'user' : 'api_key'}:${id}`,
  kind,
  subject: { type: kind === 'dormant_seat' ? 'user' : 'api_key', id },
  firstDetectedAt: daysAgo(openedDaysAgo),
});

describe('dormant_resumed', () => {
  it('fires once per dormancy episode when a dormant principal is active again', () => {
    const s = snapshot({
      users: [user('user_back', { activity: activeDaysAgo(2) })],
      keys: [key('apikey_back', { activity: usedDaysAgo(1) })],
      openFindings: [open('dormant_seat', 'user_back', 10), open('dormant_key', 'apikey_back', 3)],
    });
    expect(dormantResumed(s, policy(), NOW).map((d) => d.fingerprint)).toEqual([
      `dormant_resumed:user:user_back:${dayAgo(10)}`,
      `dormant_resumed:api_key:apikey_back:${dayAgo(3)}`,
    ]);
  });

  it('does not fire while still dormant, nor for activity that only arrived late from before the finding', () => {
    const s = snapshot({
      users: [user('user_still', { activity: activeDaysAgo(40) }), user('user_late', { activity: activeDaysAgo(12) })],
      openFindings: [open('dormant_seat', 'user_still', 5), open('dormant_seat', 'user_late', 10)],
    });
    expect(dormantResumed(s, policy(), NOW)).toEqual([]);
  });

  it('ignores removed subjects and other kinds of finding', () => {
    const s = snapshot({
      users: [user('user_gone', { removedAt: daysAgo(1), activity: activeDaysAgo(2) })],
      openFindings: [
        open('dormant_seat', 'user_gone', 10),
        { ...open('dormant_seat', 'user_x', 10), kind: 'stale_admin' },
      ],
    });
    expect(dormantResumed(s, policy(), NOW)).toEqual([]);
  });
});
