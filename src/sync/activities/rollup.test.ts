import { describe, expect, it } from 'vitest';
import { contributionOf, RollupAccumulator, toMicros } from './rollup.js';

const act = (id: string, created_at: string, type: string, actor: Record<string, unknown>) => ({
  id,
  created_at,
  type,
  actor: { type: 'user_actor', ...actor },
});

describe('roll-up contributions', () => {
  it('keep sub-millisecond time and take the UTC day whatever the offset', () => {
    expect(toMicros('2026-01-01T00:00:00.123456Z') - toMicros('2026-01-01T00:00:00.123Z')).toBe(456);
    expect(toMicros('2026-01-01T00:00:00Z')).toBe(Date.parse('2026-01-01T00:00:00Z') * 1000);
    expect(contributionOf(act('a', '2026-01-01T01:30:00+02:00', 'x', { user_id: 'u' })).day).toBe('2025-12-31');
    expect(contributionOf(act('a', '2026-01-01T23:30:00-02:00', 'x', { user_id: 'u' })).day).toBe('2026-01-02');
    expect(contributionOf(act('a', '2026-01-01 23:59:59.999999z', 'x', { user_id: 'u' })).day).toBe('2026-01-01');
  });

  it('read up to six fractional digits, however many are sent', () => {
    const base = Date.parse('2026-01-01T00:00:00Z') * 1000;
    expect(toMicros('2026-01-01T00:00:00.1234Z')).toBe(base + 123_400);
    expect(toMicros('2026-01-01T00:00:00.123456789Z')).toBe(base + 123_456);
    expect(toMicros('2026-01-01T00:00:00.5Z')).toBe(base + 500_000);
    expect(toMicros('2026-01-01T00:00:00.000001+01:00')).toBe(base - 3_600_000_000 + 1);
  });

  it('add up per principal and day, whatever order the activities come in', () => {
    const acts = [
      act('1', '2026-03-01T10:00:00Z', 'claude_chat_viewed', { user_id: 'u1' }),
      act('2', '2026-03-01T12:00:00Z', 'org_user_invite_sent', { user_id: 'u1' }),
      act('3', '2026-03-01T12:00:00Z', 'claude_chat_created', { user_id: 'u1' }),
      act('4', '2026-03-01T08:00:00Z', 'claude_chat_viewed', { user_id: 'u1', api_key_id: 'k1' }),
      act('5', '2026-03-02T00:00:00Z', 'claude_chat_viewed', { user_id: 'u1' }),
    ];
    const rows = (order: number[]) => {
      const acc = new RollupAccumulator();
      for (const i of order) acc.add(contributionOf(acts[i]!));
      return JSON.parse(acc.json()) as Array<Record<string, unknown>>;
    };
    const forward = rows([0, 1, 2, 3, 4]);
    const sorted = (r: Array<Record<string, unknown>>) =>
      [...r].sort((a, b) => `${a.p as string}${a.d as string}`.localeCompare(`${b.p as string}${b.d as string}`));
    expect(sorted(rows([4, 3, 2, 1, 0]))).toEqual(sorted(forward));
    expect(sorted(rows([2, 0, 4, 1, 3]))).toEqual(sorted(forward));
    // Cut into pages whose totals are merged (the COPY path), or added without contribution objects: the same rows.
    const paged = new RollupAccumulator();
    for (const cut of [[3, 1], [4], [0, 2]]) {
      const page = new RollupAccumulator();
      for (const i of cut) page.addActivity(acts[i]!, contributionOf(acts[i]!).principals);
      paged.merge(page);
    }
    expect(paged.size).toBe(3);
    expect(sorted(JSON.parse(paged.json()) as Array<Record<string, unknown>>)).toEqual(sorted(forward));
    expect(sorted(forward)).toEqual([
      {
        o: '',
        p: 'k1',
        d: '2026-03-01',
        t: 'api_key',
        e: 1,
        a: 0,
        v: 1,
        f: '2026-03-01T08:00:00Z',
        l: '2026-03-01T08:00:00Z',
        lt: 'claude_chat_viewed',
      },
      // A tie at 12:00: the greater type name wins, in any order.
      {
        o: '',
        p: 'u1',
        d: '2026-03-01',
        t: 'user',
        e: 4,
        a: 1,
        v: 2,
        f: '2026-03-01T08:00:00Z',
        l: '2026-03-01T12:00:00Z',
        lt: 'org_user_invite_sent',
      },
      {
        o: '',
        p: 'u1',
        d: '2026-03-02',
        t: 'user',
        e: 1,
        a: 0,
        v: 1,
        f: '2026-03-02T00:00:00Z',
        l: '2026-03-02T00:00:00Z',
        lt: 'claude_chat_viewed',
      },
    ]);
  });

  it('keep each organisation apart: one person acting in two organisations, and once in none', () => {
    const inOrg = (id: string, org: string | null, at: string) => ({
      ...act(id, at, 'claude_chat_created', { user_id: 'u1' }),
      organization_uuid: org,
    });
    const acts = [
      inOrg('1', 'org-a', '2026-03-01T10:00:00Z'),
      inOrg('2', 'org-b', '2026-03-01T11:00:00Z'),
      inOrg('3', null, '2026-03-01T12:00:00Z'),
      inOrg('4', 'org-a', '2026-03-01T13:00:00Z'),
    ];
    const byAdd = new RollupAccumulator();
    for (const a of acts) byAdd.add(contributionOf(a));
    // Interleaved organisations through addActivity and merge: the same rows.
    const merged = new RollupAccumulator();
    for (const cut of [
      [0, 1],
      [2, 3],
    ]) {
      const page = new RollupAccumulator();
      for (const i of cut) page.addActivity(acts[i]!, contributionOf(acts[i]!).principals);
      merged.merge(page);
    }
    const rows = (acc: RollupAccumulator) =>
      (JSON.parse(acc.json()) as Array<Record<string, unknown>>)
        .map((r) => `${r.o as string}|${r.p as string}|${r.e as number}|${r.l as string}`)
        .sort();
    expect(rows(byAdd)).toEqual([
      'org-a|u1|2|2026-03-01T13:00:00Z',
      'org-b|u1|1|2026-03-01T11:00:00Z',
      '|u1|1|2026-03-01T12:00:00Z',
    ]);
    expect(rows(merged)).toEqual(rows(byAdd));
    expect(byAdd.size).toBe(3);
    expect(byAdd.copyText().split('\n')[0]!.split('\t')[0]).toBe('org-a');
  });
});
