import { z } from 'zod';

/**
 * The Activity Feed's page and activity shapes. Only what Steward relies on is
 * checked; every other field (and every unknown `type` or actor type) passes through
 * untouched, because the whole object is stored as `raw`.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export const activitySchema = z.looseObject({
  id: z.string().min(1, 'must be a non-empty string'),
  created_at: z.string().regex(RFC3339, 'must be an RFC 3339 timestamp'),
  type: z.string().min(1, 'must be a non-empty string'),
  actor: z
    .looseObject({ type: z.string().min(1, 'must be a non-empty string') })
    .nullable()
    .optional(),
});

export const feedPageSchema = z.looseObject({
  data: z.array(activitySchema),
  has_more: z.boolean(),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
});

export type Activity = z.infer<typeof activitySchema>;

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const idOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

/**
 * Whether `feedPageSchema` accepts the parsed body, decided without zod's copy of every
 * activity (a catch-up checks a million of them; the copies and their collection cost
 * more than the parse itself). Accepts exactly what the schema accepts (parse-page.test.ts
 * holds the two to the same cases); a page it refuses is parsed by the schema, whose
 * issues name what is wrong.
 */
export function isWellFormedPage(json: unknown): boolean {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const p = json as Record<string, unknown>;
  if (typeof p['has_more'] !== 'boolean' || !idOrNull(p['first_id']) || !idOrNull(p['last_id'])) return false;
  const data = p['data'];
  if (!Array.isArray(data)) return false;
  for (const a of data as unknown[]) {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return false;
    const r = a as Record<string, unknown>;
    if (!nonEmpty(r['id']) || !nonEmpty(r['type'])) return false;
    const at = r['created_at'];
    if (typeof at !== 'string' || !RFC3339.test(at)) return false;
    const actor = r['actor'];
    if (actor === undefined || actor === null) continue;
    if (typeof actor !== 'object' || Array.isArray(actor) || !nonEmpty((actor as Record<string, unknown>)['type']))
      return false;
  }
  return true;
}

export interface FeedPage {
  data: Activity[];
  hasMore: boolean;
  firstId: string | null;
  lastId: string | null;
  /**
   * The response body exactly as received (the validated page), so a consumer can
   * hand the activities on without serialising them again.
   */
  body: string;
  /** The organisation's shared Compliance API budget after this request, when the response reported it. */
  rateLimit?: RateLimitState;
  /**
   * The round trip of the request that returned the page (ms), without pacing waits or
   * earlier failed attempts: what a reader waits per page (it sizes a parallel catch-up).
   */
  elapsedMs?: number;
}

/**
 * `anthropic-ratelimit-requests-{limit,remaining,reset}`: one budget of requests per minute shared
 * by every key and `/v1/compliance/*` endpoint of the parent organisation
 * (https://platform.claude.com/docs/en/manage-claude/compliance-errors#429-too-many-requests).
 */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the window resets and the full budget is back. */
  resetAt: Date;
}

/** The budget a response reports; undefined when any header is missing or unreadable. */
export function readRateLimit(headers: { get(name: string): string | null }): RateLimitState | undefined {
  const limit = Number(headers.get('anthropic-ratelimit-requests-limit') ?? Number.NaN);
  const remaining = Number(headers.get('anthropic-ratelimit-requests-remaining') ?? Number.NaN);
  const resetAt = new Date(headers.get('anthropic-ratelimit-requests-reset') ?? Number.NaN);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || Number.isNaN(resetAt.getTime())) return undefined;
  return { limit, remaining, resetAt };
}

/** `data.3.created_at: must be an RFC 3339 timestamp` — the first few problems, named by path. */
export function describeIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(page)'}: ${i.message}`);
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
