import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditKeyring, rowMac, sameMac } from './mac.js';

const k1 = { id: 'k1', secret: Buffer.alloc(32, 1) };
const k2 = { id: 'k2', secret: Buffer.alloc(32, 2) };
const hash = 'a'.repeat(64);

describe('audit row MAC', () => {
  it('is HMAC-SHA-256 over a versioned label, the key id and the row hash', () => {
    const expected = crypto.createHmac('sha256', k1.secret).update(`steward.audit.row.v1\nk1\n${hash}`).digest('hex');
    expect(rowMac(k1.secret, 'k1', hash)).toBe(expected);
  });

  it('binds the key id: the same key under another id gives another MAC', () => {
    expect(rowMac(k1.secret, 'k1', hash)).not.toBe(rowMac(k1.secret, 'k2', hash));
  });

  it('differs per key and per hash', () => {
    expect(rowMac(k1.secret, 'k', hash)).not.toBe(rowMac(k2.secret, 'k', hash));
    expect(rowMac(k1.secret, 'k', hash)).not.toBe(rowMac(k1.secret, 'k', 'b'.repeat(64)));
  });

  it('a keyring signs with its first key and knows each key by id and age', () => {
    const ring = auditKeyring([k2, k1]);
    expect(ring.signing?.id).toBe('k2');
    expect([ring.age('k2'), ring.age('k1'), ring.age('k0')]).toEqual([0, 1, undefined]);
    expect(ring.mac('k1', hash)).toBe(rowMac(k1.secret, 'k1', hash));
    expect(ring.mac('k0', hash)).toBeUndefined();
    expect(auditKeyring([]).signing).toBeNull();
    expect(() => auditKeyring([k1, k1])).toThrow(/listed twice/);
  });

  it('compares MACs whatever their length', () => {
    const m = rowMac(k1.secret, 'k1', hash);
    expect(sameMac(m, m)).toBe(true);
    expect(sameMac(m, `${m.slice(0, 63)}${m.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(sameMac(m, m.slice(1))).toBe(false);
  });
});
