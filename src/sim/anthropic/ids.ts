/**
 * Deterministic identifiers shaped like the real ones (`user_01…`, `apikey_01…`),
 * so fixtures are stable across runs and clients never rely on a format we made up.
 */
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** mulberry32: small, fast, good enough to look random and stay reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** A 32-bit mix of an integer, for picking actors/types per synthetic index. */
export function mix32(n: number, salt: number): number {
  let x = (Math.imul(n ^ salt, 0x9e3779b1) + salt) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

export class IdFactory {
  private readonly rand: () => number;
  /** Request ids draw from their own stream so fixture ids do not depend on traffic. */
  private readonly requestRand: () => number;
  private readonly used = new Set<string>();

  constructor(seed: number) {
    this.rand = prng(seed);
    this.requestRand = prng(seed ^ 0x5eed5eed);
  }

  /** `prefix` + "01" + 22 base58 characters, e.g. `user_01WCz1FkmYMm4gnmykNKUu3Q`. */
  tagged(prefix: string): string {
    for (;;) {
      let s = '01';
      for (let i = 0; i < 22; i++) s += BASE58[Math.floor(this.rand() * 58)];
      const id = `${prefix}_${s}`;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }

  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.rand() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** The redacted form the API shows, never a usable key: `sk-ant-api03-R2D...igAA`. */
  keyHint(kind = 'api03'): string {
    const pick = (n: number) => Array.from({ length: n }, () => BASE58[Math.floor(this.rand() * 58)]).join('');
    return `sk-ant-${kind}-${pick(3)}...${pick(4)}`;
  }

  requestId(): string {
    let s = 'req_01';
    for (let i = 0; i < 22; i++) s += BASE58[Math.floor(this.requestRand() * 58)];
    return s;
  }
}

/** Fixed-width Crockford base32 of a non-negative integer below 2^53. */
export function base32(n: number, width: number): string {
  let out = '';
  let v = n;
  for (let i = 0; i < width; i++) {
    out = CROCKFORD[v % 32] + out;
    v = Math.floor(v / 32);
  }
  if (v !== 0) throw new RangeError(`${n} does not fit in ${width} base32 digits`);
  return out;
}

export function parseBase32(s: string): number | undefined {
  let v = 0;
  for (const ch of s) {
    const d = CROCKFORD.indexOf(ch);
    if (d < 0) return undefined;
    v = v * 32 + d;
  }
  return v;
}
