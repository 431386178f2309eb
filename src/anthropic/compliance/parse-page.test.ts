import { describe, expect, it } from 'vitest';
import { StewardError } from '../../domain/errors.js';
import { bodyText, parsePage } from './client.js';
import { feedPageSchema, isWellFormedPage } from './schema.js';

const ok = {
  data: [
    {
      id: 'activity_2',
      created_at: '2026-01-01T00:00:01Z',
      type: 'a_brand_new_type',
      actor: { type: 'a_new_actor', whatever: 1 },
      extra: { x: 1 },
    },
    { id: 'activity_1', created_at: '2026-01-01T00:00:00.5+02:00', type: 'claude_chat_viewed', actor: null },
  ],
  has_more: true,
  first_id: 'activity_2',
  last_id: 'activity_1',
};

describe('feed page parsing', () => {
  it('keeps unknown types, actor types and fields as they are', () => {
    const page = parsePage(JSON.stringify(ok), 'reading');
    expect(page).toEqual({
      data: ok.data,
      hasMore: true,
      firstId: 'activity_2',
      lastId: 'activity_1',
      body: JSON.stringify(ok),
    });
  });

  it('refuses a body that is not JSON, saying so', () => {
    const err = (() => {
      try {
        parsePage('{"data": [{"id": "trunc', 'reading the activity feed', 'req_7');
      } catch (e) {
        return e;
      }
    })() as StewardError;
    expect(err).toBeInstanceOf(StewardError);
    expect(err.code).toBe('anthropic_malformed_response');
    expect(err.message).toMatch(
      /reading the activity feed returned a body that is not valid JSON \(request-id req_7\)/,
    );
  });

  it('refuses the wrong shape, naming the fields', () => {
    expect(() =>
      parsePage('{"type":"unexpected","data":"not-a-list","has_more":"perhaps","first_id":7}', 'reading'),
    ).toThrow(/wrong shape: data: .*; has_more: .*; first_id: .* \(and 1 more\)/);
    const bad = {
      ...ok,
      data: [
        { ...ok.data[0], created_at: 'yesterday' },
        { ...ok.data[1], id: '' },
      ],
    };
    expect(() => parsePage(JSON.stringify(bad), 'reading')).toThrow(
      /data\.0\.created_at: must be an RFC 3339 timestamp; data\.1\.id: must be a non-empty string/,
    );
  });

  it('refuses has_more without a cursor to continue from', () => {
    expect(() => parsePage(JSON.stringify({ ...ok, last_id: null }), 'reading')).toThrow(
      /has_more but gives no last_id/,
    );
  });
});

describe('the quick page check', () => {
  const activity = { id: 'a', created_at: '2026-01-01T00:00:00Z', type: 't', actor: { type: 'user_actor' } };
  const page = (data: unknown[], over: Record<string, unknown> = {}) => ({
    data,
    has_more: false,
    first_id: null,
    last_id: null,
    ...over,
  });
  const cases: unknown[] = [
    ok,
    page([]),
    page([activity, { ...activity, actor: null }, { ...activity, actor: undefined, extra: [1] }]),
    page([{ ...activity, created_at: '2026-01-01T00:00:00.123456+05:30' }]),
    page([{ ...activity, created_at: '2026-01-01 00:00:00z' }]),
    null,
    [],
    'text',
    { has_more: false, first_id: null, last_id: null },
    page([activity], { has_more: 'no' }),
    page([activity], { first_id: 3 }),
    { data: [activity], has_more: false, first_id: null },
    page([null]),
    page([[activity]]),
    page([{ ...activity, id: '' }]),
    page([{ ...activity, id: 7 }]),
    page([{ ...activity, type: '' }]),
    page([{ ...activity, created_at: '2026-01-01' }]),
    page([{ ...activity, created_at: '2026-01-01T00:00:00' }]),
    page([{ ...activity, created_at: 1767225600 }]),
    page([{ ...activity, actor: 'alice' }]),
    page([{ ...activity, actor: [] }]),
    page([{ ...activity, actor: { type: '' } }]),
    page([{ ...activity, actor: { id: 'x' } }]),
    page([activity, { ...activity, type: null }]),
  ];

  it('accepts exactly what the schema accepts', () => {
    const verdicts = cases.map((c) => ({ c, quick: isWellFormedPage(c), schema: feedPageSchema.safeParse(c).success }));
    for (const v of verdicts) expect(v.quick, JSON.stringify(v.c)).toBe(v.schema);
    // Both kinds are among the cases.
    expect(verdicts.filter((v) => v.schema)).toHaveLength(5);
  });
});

describe('reading a body', () => {
  it('reads ASCII and UTF-8 bodies as the text they carry', () => {
    expect(bodyText(Buffer.from('{"a":"plain"}'))).toBe('{"a":"plain"}');
    const text = '{"name":"Zoë – 東京","e":"\u00e9"}';
    expect(bodyText(Buffer.from(text, 'utf8'))).toBe(text);
    // A byte-order mark is dropped, as Response.text() drops it.
    expect(bodyText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"é":1}')]))).toBe('{"é":1}');
  });
});
