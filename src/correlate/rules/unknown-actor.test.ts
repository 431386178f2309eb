import { describe, expect, it } from 'vitest';
import type { ActorRecord } from '../types.js';
import { activeDaysAgo, daysAgo, NOW, policy, snapshot } from '../../../test/support/snapshot-builder.js';
import { unknownActor } from './unknown-actor.js';

const actor = (id: string, type: string, lastDaysAgo: number, firstDaysAgo = lastDaysAgo): ActorRecord => ({
  id,
  type,
  activity: { ...activeDaysAgo(lastDaysAgo), firstEventAt: daysAgo(firstDaysAgo) },
});

describe('unknown_actor', () => {
  it('fires for recent activity by a user, key or service account the directory does not list', () => {
    const s = snapshot({
      actorsNotInDirectory: [
        actor('user_ghost', 'user_actor', 2),
        actor('apikey_ghost', 'api_actor', 1),
        actor('svcacct_ghost', 'service_account_actor', 1),
        actor('admkey_1', 'admin_api_key_actor', 1),
      ],
    });
    expect(unknownActor(s, policy(), NOW).map((d) => d.fingerprint)).toEqual([
      'unknown_actor:user:user_ghost',
      'unknown_actor:api_key:apikey_ghost',
      'unknown_actor:service_account:svcacct_ghost',
    ]);
  });

  it('does not count a credential only seen reading the Compliance API (Steward reading the feed)', () => {
    const reader = actor('apikey_compliance', 'api_actor', 1);
    reader.activity.lastEventType = 'compliance_api_accessed';
    const inferring = {
      ...actor('apikey_other', 'api_actor', 1),
      activity: { ...reader.activity, lastUsageDay: reader.activity.lastEventDay },
    };
    const person = actor('user_reader', 'user_actor', 1);
    person.activity.lastEventType = 'compliance_api_accessed';
    expect(
      unknownActor(snapshot({ actorsNotInDirectory: [reader, inferring, person] }), policy(), NOW).map(
        (d) => d.subject.id,
      ),
    ).toEqual(['apikey_other', 'user_reader']);
  });

  it('waits for a directory listing taken after the first activity, and ignores old activity', () => {
    const s = snapshot({
      actorsNotInDirectory: [
        {
          ...actor('user_new', 'user_actor', 0),
          activity: { ...activeDaysAgo(0), firstEventAt: new Date(NOW.getTime() - 60_000) },
        },
        actor('user_old', 'user_actor', 8),
      ],
    });
    expect(unknownActor(s, policy(), NOW)).toEqual([]);
    expect(
      unknownActor(
        snapshot({ actorsNotInDirectory: [actor('user_ghost', 'user_actor', 2)], directorySyncedAt: null }),
        policy(),
        NOW,
      ),
    ).toEqual([]);
  });
});
