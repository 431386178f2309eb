import { describe, expect, it } from 'vitest';
import { jsonbSafe, preparePage } from './write.js';

describe('prepared pages', () => {
  it('keep the activities as received, with their actors and roll-up contributions beside them', () => {
    const a = {
      id: 'a1',
      created_at: '2026-01-01T00:00:00Z',
      type: 'org_user_deleted',
      actor: { type: 'user_actor', user_id: 'u1' },
      organization_uuid: 'org-uuid-1',
    };
    const b = { ...a, id: 'a2', type: 'claude_chat_viewed', actor: null, organization_uuid: null };
    const p = preparePage([a, b, a]);
    expect(p.count).toBe(3);
    expect(JSON.parse(p.json)).toEqual({ data: [a, b, a] });
    expect(JSON.parse(p.actors)).toEqual([
      ['user_actor', 'u1', 'org-uuid-1'],
      ['none', null, ''],
      ['user_actor', 'u1', 'org-uuid-1'],
    ]);
    expect(p.contributions.size).toBe(2);
    expect(p.contributions.get('a1')).toMatchObject({
      org: 'org-uuid-1',
      day: '2026-01-01',
      admin: true,
      principals: [['u1', 'user']],
    });
    expect(p.contributions.get('a2')).toMatchObject({ org: '', admin: false, principals: [] });
    expect(preparePage([])).toMatchObject({ actors: '[]', count: 0 });
  });

  it('use the response body as it came when there is one', () => {
    const body =
      '{"data":[{"id":"a1","created_at":"2026-01-01T00:00:00Z","type":"x","actor":null}],"has_more":false,"first_id":"a1","last_id":"a1"}';
    const page = JSON.parse(body) as { data: Array<{ id: string; created_at: string; type: string; actor: null }> };
    expect(preparePage(page.data, body).json).toBe(body);
  });

  it('replace U+0000, which jsonb cannot store, and leave an escaped backslash before "u0000" alone', () => {
    expect(jsonbSafe(JSON.stringify({ s: 'a\u0000b' }))).toBe('{"s":"a\\ufffdb"}');
    expect(JSON.parse(jsonbSafe(JSON.stringify({ s: '\\u0000' })))).toEqual({ s: '\\u0000' });
    expect(jsonbSafe('{"s":"plain"}')).toBe('{"s":"plain"}');
  });
});
