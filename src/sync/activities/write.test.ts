import { describe, expect, it } from 'vitest';
import { BatchBuilder, jsonbSafe } from './write.js';

describe('activity batches', () => {
  it('drops repeats within a batch and keeps what Steward derives next to each activity', () => {
    const b = new BatchBuilder();
    const a = { id: 'a1', created_at: '2026-01-01T00:00:00Z', type: 'org_user_deleted', actor: { type: 'user_actor', user_id: 'u1' } };
    b.add([a, { ...a, id: 'a2', type: 'claude_chat_viewed', actor: null }]);
    b.add([a]);
    expect(b.size).toBe(2);
    expect(b.repeated).toBe(1);
    const { raw, meta } = b.json();
    expect(JSON.parse(raw)).toEqual([a, { ...a, id: 'a2', type: 'claude_chat_viewed', actor: null }]);
    expect(JSON.parse(meta)).toEqual([
      ['user_actor', 'u1', true, [['u1', 'user']]],
      ['none', null, false, []],
    ]);
    expect(new BatchBuilder().json()).toEqual({ raw: '[]', meta: '[]' });
  });

  it('replaces U+0000, which jsonb cannot store, and leaves an escaped backslash before "u0000" alone', () => {
    expect(jsonbSafe(JSON.stringify({ s: 'a\u0000b' }))).toBe('{"s":"a\\ufffdb"}');
    expect(JSON.parse(jsonbSafe(JSON.stringify({ s: '\\u0000' })))).toEqual({ s: '\\u0000' });
    expect(jsonbSafe('{"s":"plain"}')).toBe('{"s":"plain"}');
  });
});
