import type { Route, RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { parseRfc3339, type Query } from '../query.js';
import { CursorNotFound, type FeedPageRequest } from './feed.js';

/**
 * `GET /v1/compliance/activities`, per
 * https://platform.claude.com/docs/en/manage-claude/compliance-activity-feed and
 * https://platform.claude.com/docs/en/api/compliance/activities/list
 */
export const complianceRoutes: Route[] = [
  {
    op: 'compliance.activities',
    method: 'GET',
    pattern: '/v1/compliance/activities',
    realm: 'compliance',
    handle(ctx: RouteContext) {
      const req = parseFeedRequest(ctx.query);
      try {
        return { body: ctx.sim.feed.page(req) };
      } catch (err) {
        if (err instanceof CursorNotFound) throw badRequest(err.message);
        throw err;
      } finally {
        // After serving, so a call never sees its own access record.
        ctx.emit('compliance', 'compliance_api_accessed');
      }
    },
  },
];

export function parseFeedRequest(q: Query): FeedPageRequest {
  const limit = q.int(
    'limit',
    100,
    1,
    5000,
    (got) => `The limit parameter must be between 1 and 5000, inclusive. Got ${got}.`,
  );
  const afterId = q.get('after_id');
  const beforeId = q.get('before_id');
  if (afterId !== undefined && beforeId !== undefined)
    throw badRequest('Only one of `after_id` or `before_id` may be set.');
  const bound = (key: 'gt' | 'gte' | 'lt' | 'lte'): number | undefined => {
    const p = q.nested('created_at', key);
    if (!p) return undefined;
    const ms = parseRfc3339(p.value);
    if (ms === undefined) {
      throw badRequest(
        `The \`created_at.${key}\` parameter contains an invalid timestamp format. Timestamps must be provided in RFC 3339 format e.g., "2024-03-01T00:00:00Z". Got "${p.value}".`,
      );
    }
    return ms;
  };
  const gt = bound('gt');
  const gte = bound('gte');
  const lt = bound('lt');
  const lte = bound('lte');
  const mins = [gte, gt === undefined ? undefined : gt + 1].filter((v): v is number => v !== undefined);
  const maxs = [lte, lt === undefined ? undefined : lt - 1].filter((v): v is number => v !== undefined);
  return {
    limit,
    afterId,
    beforeId,
    tMin: mins.length ? Math.max(...mins) : undefined,
    tMax: maxs.length ? Math.min(...maxs) : undefined,
    types: set(q.list('activity_types')),
    actorIds: set(q.list('actor_ids')),
    organizationIds: set(q.list('organization_ids')),
  };
}

function set(values: string[]): ReadonlySet<string> | undefined {
  return values.length ? new Set(values) : undefined;
}
