import { badRequest } from './errors.js';

/**
 * Query access with the API's conventions: arrays only as `name[]=…` (the SDK's
 * `arrayFormat: 'brackets'`), nested objects as `name.key` or `name[key]`.
 * Unknown parameters are ignored, as the real API does.
 */
export class Query {
  constructor(readonly params: URLSearchParams) {}

  get(name: string): string | undefined {
    const v = this.params.get(name);
    return v === null ? undefined : v;
  }

  /** `name[]` values; `name[0]`-style indices are accepted too because qs can emit them. */
  list(name: string): string[] {
    const out = this.params.getAll(`${name}[]`);
    for (const [k, v] of this.params)
      if (k.startsWith(`${name}[`) && /^\[\d+\]$/.test(k.slice(name.length))) out.push(v);
    return out;
  }

  /** `created_at.gte` (documented) or `created_at[gte]` (what a qs-style client sends). */
  nested(name: string, key: string): { param: string; value: string } | undefined {
    for (const param of [`${name}.${key}`, `${name}[${key}]`]) {
      const v = this.params.get(param);
      if (v !== null) return { param, value: v };
    }
    return undefined;
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw badRequest(`${name}: Input should be a valid boolean, unable to interpret input`);
  }

  /** Integer in [min, max]; `message` builds the endpoint's own wording. */
  int(name: string, def: number, min: number, max: number, message?: (got: string) => string): number {
    const raw = this.get(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || n < min || n > max) {
      throw badRequest(
        message ? message(raw) : `${name}: Input should be between ${min} and ${max}, inclusive. Got ${raw}.`,
      );
    }
    return n;
  }

  toRecord(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of this.params) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseRfc3339(value: string): number | undefined {
  if (!RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseDate(value: string): number | undefined {
  if (!DATE.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? undefined : ms;
}
