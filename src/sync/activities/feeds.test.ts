import { describe, expect, it } from 'vitest';
import type { AdminApi } from '../../anthropic/admin-api.js';
import type { ComplianceFeedClient } from '../../anthropic/compliance/client.js';
import type { SyncTarget } from '../organizations.js';
import { feedTargets, readsFeedPerOrganisation } from './feeds.js';

// Stand-ins compared by identity only: feedTargets never calls them.
const client = (name: string) => ({ name }) as unknown as ComplianceFeedClient;
const admin = (name: string) => ({ name }) as unknown as AdminApi;
const single = { feed: client('parent feed'), admin: admin('first admin') };

describe('feedTargets', () => {
  const first: SyncTarget = { orgId: 'org-a', admin: admin('a'), name: 'A', feed: client('a') };
  const second: SyncTarget = { orgId: 'org-b', admin: admin('b'), name: 'B', suffix: 'org-b', feed: client('b') };

  it('reads the one feed under `activities` when no key carries a feed of its own (the parent key, or one organisation)', () => {
    const plain = [
      { orgId: 'org-a', admin: admin('a') },
      { orgId: 'org-b', admin: admin('b'), suffix: 'org-b' },
    ];
    expect(feedTargets(plain, [{}, {}], single)).toEqual([{ checkpoint: 'activities', ...single }]);
    expect(feedTargets([{ orgId: '', admin: single.admin }], [], single)).toEqual([
      { checkpoint: 'activities', ...single },
    ]);
  });

  it("reads each organisation's own feed: the first keeps `activities`, the others `activities@<id>`", () => {
    const f = feedTargets([first, second], [{ feed: first.feed! }, { feed: second.feed! }], single);
    expect(f).toEqual([
      { checkpoint: 'activities', feed: first.feed, admin: first.admin, org: first },
      { checkpoint: 'activities@org-b', feed: second.feed, admin: second.admin, org: second },
    ]);
  });

  it('skips an organisation whose key cannot read, and never falls back to the single feed', () => {
    const keys = [{ feed: first.feed! }, { feed: second.feed! }];
    expect(feedTargets([second], keys, single).map((f) => f.checkpoint)).toEqual(['activities@org-b']);
    expect(feedTargets([], keys, single)).toEqual([]);
  });
});

describe('readsFeedPerOrganisation', () => {
  it('only with several Admin keys and no parent Compliance key', () => {
    expect(readsFeedPerOrganisation('per-organisation', 2)).toBe(true);
    expect(readsFeedPerOrganisation('per-organisation', 1)).toBe(false);
    expect(readsFeedPerOrganisation('parent', 3)).toBe(false);
  });
});
