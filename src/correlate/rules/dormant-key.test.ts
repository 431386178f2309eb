import { describe, expect, it } from 'vitest';
import {
  activeDaysAgo,
  daysAgo,
  key,
  NOW,
  policy,
  snapshot,
  usedDaysAgo,
  type SnapshotParts,
} from '../../../test/support/snapshot-builder.js';
import { dormantKey } from './dormant-key.js';

const fired = (keys: SnapshotParts['keys']) => dormantKey(snapshot({ keys }), policy(), NOW).map((d) => d.subject.id);

describe('dormant_key', () => {
  it('fires at exactly N days without usage and not at N−1', () => {
    expect(
      fired([key('apikey_exact', { activity: usedDaysAgo(30) }), key('apikey_almost', { activity: usedDaysAgo(29) })]),
    ).toEqual(['apikey_exact']);
  });

  it('includes never-used keys older than N days, not younger ones, nor one created yesterday', () => {
    expect(
      fired([
        key('apikey_old', { createdAt: daysAgo(30) }),
        key('apikey_young', { createdAt: daysAgo(29) }),
        key('apikey_yesterday', { createdAt: daysAgo(1) }),
      ]),
    ).toEqual(['apikey_old']);
  });

  it('counts feed activity by the key as use', () => {
    expect(fired([key('apikey_api', { activity: activeDaysAgo(2) })])).toEqual([]);
  });

  it('ignores keys that are inactive, archived or no longer listed', () => {
    expect(
      fired([
        key('apikey_inactive', { status: 'inactive' }),
        key('apikey_archived', { status: 'archived' }),
        key('apikey_gone', { removedAt: daysAgo(3) }),
      ]),
    ).toEqual([]);
  });

  it('tells a never-used key apart in its sentence', () => {
    const [d] = dormantKey(snapshot({ keys: [key('apikey_old', { createdAt: daysAgo(45) })] }), policy(), NOW);
    expect(d?.rule).toBe('Never used since it was created 45 days ago (policy: dormant after 30 days).');
    expect(d?.fingerprint).toBe('dormant_key:api_key:apikey_old');
  });
});
