import type { FeedConfig } from '../config.js';
import { badRequest } from '../errors.js';
import { decodeCursor } from './cursor.js';
import { DOCUMENTED_ACTIVITY_TYPES } from './activity-types.js';
import type { FeedPageRequest } from './feed.js';

/**
 * Strict parsing of `GET /v1/compliance/activities` query strings, as documented in
 * https://platform.claude.com/docs/en/api/compliance/activities/list (names, enum, bounds) and
 * https://platform.claude.com/docs/en/manage-claude/compliance-errors#400-bad-request (messages):
 * "the Compliance API rejects unrecognized parameters rather than ignoring them".
 */
const SCALARS = ['limit', 'order', 'after_id', 'before_id'] as const;
const RANGES = ['created_at.gt', 'created_at.gte', 'created_at.lt', 'created_at.lte'] as const;
const ARRAYS = ['activity_types', 'exclude_activity_types', 'actor_ids', 'user_ids', 'organization_ids'] as const;
const KNOWN: ReadonlySet<string> = new Set<string>([...SCALARS, ...RANGES, ...ARRAYS.map((a) => `${a}[]`)]);

const DOCUMENTED: ReadonlySet<string> = new Set(DOCUMENTED_ACTIVITY_TYPES);

export function parseFeedParams(params: URLSearchParams, cfg: FeedConfig): FeedPageRequest {
  for (const name of new Set(params.keys())) {
    if (!KNOWN.has(name)) throw unknownParameter(name);
  }
  const limitRaw = params.get('limit');
  const limit = limitRaw === null ? 100 : integer('limit', limitRaw, 1, 5000);
  const order = params.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw badRequest(`order: Input should be 'asc' or 'desc'`);
  const afterId = params.get('after_id');
  const beforeId = params.get('before_id');
  if (afterId !== null && beforeId !== null) throw badRequest('Only one of after_id or before_id may be provided.');

  const bound = (name: (typeof RANGES)[number]): number | undefined => {
    const raw = params.get(name);
    return raw === null ? undefined : datetime(name, raw);
  };
  const gt = bound('created_at.gt');
  const gte = bound('created_at.gte');
  const lt = bound('created_at.lt');
  const lte = bound('created_at.lte');
  const mins = [gte, gt === undefined ? undefined : gt + 1].filter((v): v is number => v !== undefined);
  const maxs = [lte, lt === undefined ? undefined : lt - 1].filter((v): v is number => v !== undefined);

  const known = cfg.extraActivityTypes.length ? new Set([...DOCUMENTED, ...cfg.extraActivityTypes]) : DOCUMENTED;
  const types = enumList(params, 'activity_types', known);
  const excludeTypes = enumList(params, 'exclude_activity_types', known);
  if (types && excludeTypes) {
    // The reference: "Cannot be combined with `exclude_activity_types[]`" (no verbatim message published).
    throw badRequest('activity_types[] cannot be combined with exclude_activity_types[].');
  }
  // "user_ids[]: Alias for actor_ids[] … If both are provided, the lists are merged."
  const actorIds = [...params.getAll('actor_ids[]'), ...params.getAll('user_ids[]')];
  const orgIds = params.getAll('organization_ids[]');
  return {
    limit,
    order,
    after: afterId === null ? undefined : decodeCursor(afterId),
    before: beforeId === null ? undefined : decodeCursor(beforeId),
    tMin: mins.length ? Math.max(...mins) : undefined,
    tMax: maxs.length ? Math.min(...maxs) : undefined,
    types,
    excludeTypes,
    actorIds: actorIds.length ? new Set(actorIds) : undefined,
    organizationIds: orgIds.length ? new Set(orgIds) : undefined,
    keepNullOrg: cfg.organizationFilterKeepsNullOrg,
  };
}

/** "Unknown query parameter: 'created_at[gte]'. Did you mean 'created_at.gte'?" — with a hint for near misses. */
function unknownParameter(name: string) {
  const bracket = /^created_at\[(gt|gte|lt|lte)\]$/.exec(name);
  const hint = bracket
    ? `created_at.${bracket[1]}`
    : (ARRAYS as readonly string[]).includes(name)
      ? `${name}[]`
      : /^(\w+)\[\d+\]$/.test(name) && (ARRAYS as readonly string[]).includes(name.replace(/\[\d+\]$/, ''))
        ? name.replace(/\[\d+\]$/, '[]')
        : undefined;
  return badRequest(`Unknown query parameter: '${name}'.${hint ? ` Did you mean '${hint}'?` : ''}`);
}

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim())) throw badRequest(`${name}: Input should be a valid integer`);
  const n = Number(raw);
  if (n < min) throw badRequest(`${name}: Input should be greater than or equal to ${min}`);
  if (n > max) throw badRequest(`${name}: Input should be less than or equal to ${max}`);
  return n;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * "created_at.gte: Input should be a valid datetime or date, invalid character in year". A
 * datetime without an offset, or a bare date, is accepted as UTC (the error page says only the
 * local-session list rejects a missing offset).
 */
function datetime(name: string, raw: string): number {
  const m = DATE_TIME.exec(raw);
  if (!m) throw badRequest(`${name}: Input should be a valid datetime or date, ${describe(raw)}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const offset =
    zone === undefined || zone === 'Z' || zone === 'z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${offset}`);
  if (Number.isNaN(ms)) throw badRequest(`${name}: Input should be a valid datetime or date, input is out of range`);
  return ms;
}

function describe(raw: string): string {
  if (!/^\d{4}/.test(raw)) return 'invalid character in year';
  if (raw.length < 10) return 'input is too short';
  return 'invalid character in date';
}

/** "activity_types[].0: Input is not one of the permitted values." */
function enumList(params: URLSearchParams, name: string, known: ReadonlySet<string>): ReadonlySet<string> | undefined {
  const values = params.getAll(`${name}[]`);
  values.forEach((v, i) => {
    if (!known.has(v)) throw badRequest(`${name}[].${i}: Input is not one of the permitted values.`);
  });
  return values.length ? new Set(values) : undefined;
}
