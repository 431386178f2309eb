import { describe, expect, it } from 'vitest';
import { prepareCopyPage } from './copy-writer.js';
import { contributionOf, RollupAccumulator } from './rollup.js';

/** COPY text format back to fields (what PostgreSQL reads). */
function rows(bytes: Buffer): Array<Array<string | null>> {
  const unescape = (f: string) =>
    f === '\\N' ? null : f.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
  return bytes
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t').map(unescape));
}

const AT = '2026-11-20T12:00:00.000Z';

describe('prepareCopyPage', () => {
  it('writes each activity as a row: its fields, the actor, its organisation, its JSON as the body carried it', () => {
    const data = [
      {
        id: 'activity_2',
        created_at: '2026-11-20T10:00:00Z',
        type: 'claude_chat_created',
        actor: { type: 'user_actor', user_id: 'user_1' },
        organization_uuid: 'org-uuid-1',
        n: JSON.parse('12345678901234567890') as number, // what the parse makes of the digits the body carries
      },
      { id: 'activity_1', created_at: '2026-11-20T09:00:00Z', type: 'a_type_from_the_future', actor: null },
    ];
    const body =
      '{"data":[{"id":"activity_2","created_at":"2026-11-20T10:00:00Z","type":"claude_chat_created","actor":{"type":"user_actor","user_id":"user_1"},"organization_uuid":"org-uuid-1","n":12345678901234567890},' +
      '{"id":"activity_1","created_at":"2026-11-20T09:00:00Z","type":"a_type_from_the_future","actor":null}],"has_more":false,"first_id":"activity_2","last_id":"activity_1"}';
    const acc = new RollupAccumulator();
    const page = prepareCopyPage(data, body, AT, acc);
    expect(page).toMatchObject({ count: 2, rows: 2 });
    expect(rows(page.bytes)).toEqual([
      [
        'activity_2',
        '2026-11-20T10:00:00Z',
        'claude_chat_created',
        'user_actor',
        'user_1',
        'org-uuid-1',
        '{"id":"activity_2","created_at":"2026-11-20T10:00:00Z","type":"claude_chat_created","actor":{"type":"user_actor","user_id":"user_1"},"organization_uuid":"org-uuid-1","n":12345678901234567890}',
        AT,
      ],
      [
        'activity_1',
        '2026-11-20T09:00:00Z',
        'a_type_from_the_future',
        'none',
        null,
        '',
        '{"id":"activity_1","created_at":"2026-11-20T09:00:00Z","type":"a_type_from_the_future","actor":null}',
        AT,
      ],
    ]);
    // Its roll-ups are those of the activities, one principal here.
    const expected = new RollupAccumulator();
    expected.add(contributionOf(data[0]!));
    expect(acc.json()).toBe(expected.json());
  });

  it('escapes what COPY would read otherwise, keeps other characters, and U+0000 as jsonb can store it', () => {
    const a = {
      id: 'a\\1',
      created_at: '2026-11-20T10:00:00Z',
      type: 'claude_chat_created',
      actor: { type: 'user_actor', user_id: 'Zoë\t東京' },
      note: 'line\nbreak \u0000',
    };
    const body = JSON.stringify({ data: [a], has_more: false, first_id: a.id, last_id: a.id }, null, 1);
    const [row] = rows(prepareCopyPage([a], body, AT, new RollupAccumulator()).bytes);
    expect(row!.slice(0, 5)).toEqual([
      'a\\1',
      '2026-11-20T10:00:00Z',
      'claude_chat_created',
      'user_actor',
      'Zoë\t東京',
    ]);
    expect(row![5]).toBe('');
    expect(JSON.parse(row![6]!)).toEqual({ ...a, note: 'line\nbreak \ufffd' });
  });

  it('stores a repeat within the page once (the first), and falls back to serialising without a body', () => {
    const a = { id: 'x', created_at: '2026-11-20T10:00:00Z', type: 't', actor: { type: 'api_actor', api_key_id: 'k' } };
    const page = prepareCopyPage([a, { ...a, type: 'other' }], undefined, AT, new RollupAccumulator());
    expect(page).toMatchObject({ count: 2, rows: 1 });
    expect(rows(page.bytes)).toEqual([['x', a.created_at, 't', 'api_actor', 'k', '', JSON.stringify(a), AT]]);
  });
});
