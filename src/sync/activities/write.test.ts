import { describe, expect, it } from 'vitest';
import { jsonbSafe, preparePage } from './write.js';

describe('prepared pages', () => {
  it('keep each activity once, as received, with its actor and roll-up contribution beside it', () => {
    const a = { id: 'a1', created_at: '2026-01-01T00:00:00Z', type: 'org_user_deleted', actor: { type: 'user_actor', user_id: 'u1' } };
    const b = { ...a, id: 'a2', type: 'claude_chat_viewed', actor: null };
    const p = preparePage([a, b, a]);
    expect(p.count).toBe(2);
    expect(JSON.parse(p.raw)).toEqual([a, b]);
    expect(JSON.parse(p.actors)).toEqual([
      ['user_actor', 'u1'],
      ['none', null],
    ]);
    expect(p.contributions.get('a1')).toMatchObject({ day: '2026-01-01', admin: true, principals: [['u1', 'user']] });
    expect(p.contributions.get('a2')).toMatchObject({ admin: false, principals: [] });
    expect(preparePage([])).toMatchObject({ raw: '[]', actors: '[]', count: 0 });
  });

  it('replace U+0000, which jsonb cannot store, and leave an escaped backslash before "u0000" alone', () => {
    expect(jsonbSafe(JSON.stringify({ s: 'a\u0000b' }))).toBe('{"s":"a\\ufffdb"}');
    expect(JSON.parse(jsonbSafe(JSON.stringify({ s: '\\u0000' })))).toEqual({ s: '\\u0000' });
    expect(jsonbSafe('{"s":"plain"}')).toBe('{"s":"plain"}');
  });
});
