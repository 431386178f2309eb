import type { Route, RouteContext } from '../context.js';
import { badRequest } from '../errors.js';
import { invalidFormat, isWellFormedActivityId } from './cursor.js';
import { CursorNotFound } from './feed.js';
import { parseFeedParams } from './params.js';

/**
 * `GET /v1/compliance/activities`, per
 * https://platform.claude.com/docs/en/manage-claude/compliance-activity-feed and
 * https://platform.claude.com/docs/en/api/compliance/activities/list. Its own use is recorded as
 * `compliance_api_accessed` by the server (every authenticated request, with its status).
 */
export const complianceRoutes: Route[] = [
  {
    op: 'compliance.activities',
    method: 'GET',
    pattern: '/v1/compliance/activities',
    realm: 'compliance',
    handle(ctx: RouteContext) {
      const parsed = parseFeedParams(ctx.query.params, ctx.sim.config.feed);
      const req = ctx.feedScope ? { ...parsed, onlyOrg: ctx.feedScope.uuid } : parsed;
      try {
        return { body: ctx.sim.feed.page(req) };
      } catch (err) {
        if (err instanceof CursorNotFound)
          throw isWellFormedActivityId(err.value) ? badRequest(err.message) : invalidFormat(err.value);
        throw err;
      }
    },
  },
];
