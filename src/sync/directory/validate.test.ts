import { describe, expect, it } from 'vitest';
import { trips } from './brake.js';
import { checkRecord, rejectionNote } from './validate.js';

describe('checkRecord', () => {
  it('accepts a complete key, and one whose optional fields are absent or null', () => {
    expect(checkRecord('api_keys', { id: 'apikey_1', name: 'k', status: 'active' }, 1).ok).toBe(true);
    expect(checkRecord('api_keys', { id: 'apikey_1', name: '', status: 'active', created_by: null }, 1).ok).toBe(true);
  });
  it.each([
    [{ name: 'k', status: 'active' }, '#3', 'id is missing'],
    [{ id: 'apikey_1', status: 'active' }, 'apikey_1', 'name is missing'],
    [{ id: 'apikey_1', name: 'k', status: 7 }, 'apikey_1', 'status must be a non-empty string'],
    [
      { id: 'apikey_1', name: 'k', status: 'active', created_by: { id: 'u' } },
      'apikey_1',
      'created_by must be null or an object with id and type',
    ],
    [{ id: 'has spaces and ; stuff', name: 'k' }, '#3', 'status is missing'],
  ])('names %j as %s: %s', (item, record, problem) => {
    const r = checkRecord('api_keys', item, 3);
    if (r.ok) throw new Error('expected a rejection');
    expect(r.rejected.record).toBe(record);
    expect(r.rejected.problem).toBe(problem);
  });
  it('names members by user id', () => {
    const r = checkRecord('members', { user_id: 'user_1' }, 2);
    expect(r.ok ? null : r.rejected).toEqual({
      listing: 'members',
      record: 'user_1',
      problem: 'workspace_role is missing',
    });
  });
  it('summarises at most ten in a note', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      listing: 'users' as const,
      record: `#${i + 1}`,
      problem: 'id is missing',
    }));
    expect(rejectionNote('users', many)).toMatch(
      /^users: skipped 12 malformed records: #1 \(id is missing\), .*#10 \(id is missing\), and 2 more$/,
    );
  });
});

describe('the brake threshold', () => {
  const s = { percent: 20, atLeast: 5 };
  it('trips above the share and at or above the minimum', () => {
    expect(trips(10, 10, s)).toBe(true);
    expect(trips(100, 21, s)).toBe(true);
    expect(trips(100, 20, s)).toBe(false); // exactly 20% is not more than 20%
    expect(trips(10, 4, s)).toBe(false); // 40%, but fewer than 5
    expect(trips(0, 0, s)).toBe(false);
  });
});
