import { describe, expect, it } from 'vitest';
import { feedQueryString, rfc3339 } from './query.js';

describe('feed query string', () => {
  it('uses bracketed arrays, dotted time bounds and the cursor', () => {
    const qs = feedQueryString({
      limit: 5000,
      afterId: 'activity_1',
      createdAt: { gte: new Date('2026-01-01T00:00:00Z'), lt: '2026-02-01T00:00:00.250Z' },
      activityTypes: ['org_user_deleted', 'claude_chat_created'],
      actorIds: ['user_1'],
    });
    expect(new URLSearchParams(qs).toString()).toBe(qs);
    const p = new URLSearchParams(qs);
    expect(p.get('limit')).toBe('5000');
    expect(p.get('after_id')).toBe('activity_1');
    expect(p.get('created_at.gte')).toBe('2026-01-01T00:00:00Z');
    expect(p.get('created_at.lt')).toBe('2026-02-01T00:00:00.250Z');
    expect(p.getAll('activity_types[]')).toEqual(['org_user_deleted', 'claude_chat_created']);
    expect(p.getAll('actor_ids[]')).toEqual(['user_1']);
    expect(feedQueryString({})).toBe('');
  });

  it('refuses what the API would refuse', () => {
    expect(() => feedQueryString({ afterId: 'a', beforeId: 'b' })).toThrow(/at most one/);
    expect(() => feedQueryString({ limit: 5001 })).toThrow(/limit/);
    expect(() => feedQueryString({ limit: 0 })).toThrow(/limit/);
  });

  it('prints whole seconds without milliseconds', () => {
    expect(rfc3339(new Date('2026-03-01T10:00:00.000Z'))).toBe('2026-03-01T10:00:00Z');
    expect(rfc3339(new Date('2026-03-01T10:00:00.120Z'))).toBe('2026-03-01T10:00:00.120Z');
  });
});
