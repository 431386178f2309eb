import { HOUR_MS, iso } from '../clock.js';
import type { Route } from '../context.js';
import { badRequest } from '../errors.js';
import { decodePageToken, encodePageToken } from '../pagination.js';
import { report } from './usage-report.js';
import { parseUsageRequest } from './usage-request.js';

const BETA = 'analytics-usage-cost-2026-08-24';

/** `client.beta.organization.analytics.usage.list` → `GET /v1/organizations/analytics/usage` (ReportPageCursor). */
export const usageRoutes: Route[] = [
  {
    op: 'analytics.usage',
    method: 'GET',
    pattern: '/v1/organizations/analytics/usage',
    realm: 'usage',
    handle(ctx) {
      const betas = String(ctx.headers['anthropic-beta'] ?? '')
        .split(',')
        .map((s) => s.trim());
      if (!betas.includes(BETA))
        throw badRequest(`This endpoint is in beta: requests must send \`anthropic-beta: ${BETA}\`.`);
      const req = parseUsageRequest(ctx);
      const rows = report(ctx, req);
      const offset = decodePageToken<number>(ctx.query) ?? 0;
      const page = rows.slice(offset, offset + req.limit);
      const more = offset + req.limit < rows.length;
      ctx.emit('read', 'platform_usage_report_messages_viewed');
      return {
        body: {
          data: page,
          has_more: more,
          next_page: more ? encodePageToken(offset + req.limit, ctx.query) : null,
          data_refreshed_at: iso(Math.floor((ctx.now - ctx.sim.config.usage.lagMs) / HOUR_MS) * HOUR_MS),
        },
      };
    },
  },
];
