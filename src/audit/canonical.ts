/**
 * The canonical serialisation rows are hashed over: JSON with object keys sorted (UTF-16
 * code-unit order), undefined members dropped, dates as ISO strings. Byte-for-byte the
 * output of `canonicalJson` in config/policy.ts (a test holds them together), written
 * for speed because verify runs it over every row of the log: no intermediate arrays,
 * strings that need no escaping are quoted directly, quoted keys are cached.
 */
export function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'object':
      break;
    default:
      return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonical(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as canonicalJson's comparator does.
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    out += (first ? '' : ',') + quotedKey(key) + canonical(v);
    first = false;
  }
  return `${out}}`;
}

// What JSON.stringify would escape: quote, backslash, control characters (below U+0020)
// and lone surrogates (U+D800–U+DFFF), written as everything but the code units it leaves alone.
const NEEDS_ESCAPE = /[^\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

// Keys come from a small vocabulary (the evidence and details shapes); bounded anyway.
const KEY_CACHE = new Map<string, string>();
const KEY_CACHE_MAX = 10_000;

function quotedKey(key: string): string {
  let q = KEY_CACHE.get(key);
  if (q === undefined) {
    q = `${quote(key)}:`;
    if (KEY_CACHE.size < KEY_CACHE_MAX) KEY_CACHE.set(key, q);
  }
  return q;
}
