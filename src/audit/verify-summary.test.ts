import { describe, expect, it } from 'vitest';
import { describeMac } from './verify-summary.js';

const none = { checked: false, unkeyedRows: 0, keyedFrom: null, keyedRows: 0, keys: [] };

describe('describeMac', () => {
  it('no key anywhere: chained but not keyed', () => {
    expect(describeMac({ ...none, unkeyedRows: 5 }, 5)).toBe(
      'Chained but not keyed: no row carries a MAC, and STEWARD_AUDIT_KEY is not set.',
    );
  });

  it('keyed rows but no key to check them with: says the MACs were not checked', () => {
    const text = describeMac({ ...none, unkeyedRows: 3, keyedFrom: 4, keyedRows: 7 }, 10);
    expect(text).toMatch(/^Chained; MACs NOT checked: STEWARD_AUDIT_KEY is not set, so the MACs of rows 4–10/);
    expect(text).toContain('rows 1–3 predate the key');
  });

  it('a key but no keyed row yet', () => {
    expect(describeMac({ ...none, checked: true, unkeyedRows: 2 }, 2)).toMatch(
      /^Chained but not keyed: no row carries a MAC yet \(all 2 were written before STEWARD_AUDIT_KEY was set\)/,
    );
  });

  it('every row keyed: names each key and its rows', () => {
    const mac = {
      checked: true,
      unkeyedRows: 0,
      keyedFrom: 1,
      keyedRows: 9,
      keys: [
        { id: 'k1', from: 1, to: 4 },
        { id: 'k2', from: 5, to: 9 },
      ],
    };
    expect(describeMac(mac, 9)).toBe(
      'Chained and keyed: every row\'s MAC checked (key "k1" rows 1–4, key "k2" rows 5–9).',
    );
  });

  it('the boundary between rows from before the key and keyed rows', () => {
    const mac = { checked: true, unkeyedRows: 1, keyedFrom: 2, keyedRows: 1, keys: [{ id: 'k1', from: 2, to: 2 }] };
    expect(describeMac(mac, 2)).toBe(
      'Row 1 is chained but not keyed (written before STEWARD_AUDIT_KEY was set); from row 2 on, chained and keyed: every MAC checked (key "k1" row 2).',
    );
  });

  it('an empty log', () => {
    expect(describeMac(none, 0)).toMatch(/not set: rows will be chained but not keyed/);
    expect(describeMac({ ...none, checked: true }, 0)).toMatch(/Rows will be keyed/);
  });
});
