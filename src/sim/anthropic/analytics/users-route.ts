import { DAY_MS, iso, startOfUtcDay, utcDay } from '../clock.js';
import type { Route, RouteContext } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import { decodePageToken, encodePageToken } from '../pagination.js';
import { parseDate } from '../query.js';
import { addPatch, type MetricsPatch } from './user-activity-store.js';

const tools = () => ({ accepted_count: 0, rejected_count: 0 });
const office = () => ({
  connectors_used_count: 0,
  distinct_connectors_used_count: 0,
  distinct_session_count: 0,
  distinct_skills_used_count: 0,
  message_count: 0,
  skills_used_count: 0,
});

/** A row with every metric zero: the shape `AnalyticsUserActivity` promises. */
function zeroRow(): MetricsPatch {
  return {
    chat_metrics: {
      connectors_used_count: 0,
      distinct_artifacts_created_count: 0,
      distinct_connectors_used_count: 0,
      distinct_conversation_count: 0,
      distinct_files_uploaded_count: 0,
      distinct_projects_created_count: 0,
      distinct_projects_used_count: 0,
      distinct_shared_artifacts_viewed_count: 0,
      distinct_skills_used_count: 0,
      message_count: 0,
      shared_conversations_viewed_count: 0,
      thinking_message_count: 0,
    },
    claude_code_metrics: {
      core_metrics: {
        artifacts_created_count: 0,
        commit_count: 0,
        distinct_session_count: 0,
        lines_of_code: { added_count: 0, removed_count: 0 },
        pull_request_count: 0,
      },
      tool_actions: { edit_tool: tools(), multi_edit_tool: tools(), notebook_edit_tool: tools(), write_tool: tools() },
    },
    cowork_metrics: {
      action_count: 0,
      artifacts_created_count: 0,
      connectors_used_count: 0,
      dispatch_turn_count: 0,
      distinct_connectors_used_count: 0,
      distinct_plugins_used_count: 0,
      distinct_session_count: 0,
      distinct_skills_used_count: 0,
      edit_tool_count: 0,
      file_edit_count: 0,
      message_count: 0,
      multi_edit_tool_count: 0,
      notebook_edit_tool_count: 0,
      plugins_used_count: 0,
      sessions_with_file_edits_count: 0,
      skills_used_count: 0,
      write_tool_count: 0,
    },
    design_metrics: {
      distinct_projects_created_count: 0,
      distinct_projects_used_count: 0,
      distinct_session_count: 0,
      message_count: 0,
    },
    office_metrics: { excel: office(), outlook: office(), powerpoint: office(), word: office() },
    science_metrics: {
      delegation_count: 0,
      distinct_session_count: 0,
      message_count: 0,
      remote_compute_job_count: 0,
      skills_used_count: 0,
    },
    web_search_count: 0,
  };
}

interface Window {
  from: number;
  to: number;
}

/** `client.organization.analytics.users.list` → `GET /v1/organizations/analytics/users` (PageCursor). */
export const analyticsUserRoutes: Route[] = [
  {
    op: 'analytics.users',
    method: 'GET',
    pattern: '/v1/organizations/analytics/users',
    realm: 'analytics',
    handle(ctx) {
      if (ctx.sim.config.orgType !== 'enterprise') {
        // The endpoint exists only for Claude Enterprise organisations.
        throw new ApiError(
          404,
          'Not found: the Analytics API is available to organizations on a Claude Enterprise plan.',
        );
      }
      const q = ctx.query;
      const limit = q.int('limit', 20, 1, 1000);
      const token = decodePageToken<{ from: number; to: number; after: string | null }>(q);
      const win: Window = token ?? parseWindow(ctx);
      const userFilter = parseFilters(q.list('filter'));
      const groupBy = q.list('group_by');
      for (const g of groupBy) if (g !== 'rbac_group_id') throw badRequest(`group_by: unsupported dimension '${g}'.`);
      const order = q.get('order') ?? 'asc';
      if (order !== 'asc' && order !== 'desc')
        throw badRequest(`order: Input should be 'asc' or 'desc'. Got '${order}'.`);

      const activity = ctx.sim.userActivity.window(win.from, win.to);
      const reportLast = ctx.sim.config.analyticsUsers.lastActivityReporting;
      const people = new Map<string, { id: string; email: string }>();
      for (const u of ctx.sim.state.activeUsers()) people.set(u.id, { id: u.id, email: u.email });
      for (const id of activity.keys()) {
        const u = ctx.sim.state.user(id);
        if (u && !people.has(id)) people.set(id, { id, email: u.email });
      }
      let rows = [...people.values()]
        .filter((p) => userFilter.ok && (!userFilter.userIds || userFilter.userIds.has(p.id)))
        .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.id < b.id ? -1 : 1));
      if (order === 'desc') rows.reverse();
      // No RBAC groups exist in the sim, so a grouped report has no rows.
      if (groupBy.length) rows = [];

      const afterKey = token?.after ?? null;
      const start = afterKey === null ? 0 : rows.findIndex((r) => `${r.email}\u0000${r.id}` === afterKey) + 1;
      const page = rows.slice(start, start + limit);
      const last = page[page.length - 1];
      const more = start + limit < rows.length;
      return {
        body: {
          data: page.map((p) => {
            const act = activity.get(p.id);
            return {
              user: { id: p.id, email_address: p.email, type: 'user' },
              ...addPatch(zeroRow(), act?.patch ?? {}),
              distinct_user_count: null,
              // "Most recent UTC day on which the user had any counted activity, within the requested
              // window … Omitted from the response while last-activity reporting is not enabled"
              // (SDK `AnalyticsUserActivity.last_activity_date`).
              ...(reportLast ? { last_activity_date: act ? utcDay(act.lastDay) : null } : {}),
            };
          }),
          has_more: more,
          next_page:
            more && last
              ? encodePageToken({ from: win.from, to: win.to, after: `${last.email}\u0000${last.id}` }, q)
              : null,
        },
      };
    },
  },
];

function parseWindow(ctx: RouteContext): Window {
  const q = ctx.query;
  const cfg = ctx.sim.config.analyticsUsers;
  const today = startOfUtcDay(ctx.now);
  const latest = today - cfg.lagDays * DAY_MS;
  const earliest = parseDate(cfg.earliest) ?? 0;
  const day = (name: string): number | undefined => {
    const raw = q.get(name);
    if (raw === undefined) return undefined;
    const ms = parseDate(raw);
    if (ms === undefined) throw badRequest(`${name}: Input should be a valid date in YYYY-MM-DD format. Got '${raw}'.`);
    if (ms < earliest) throw badRequest(`${name} must be no earlier than ${cfg.earliest}.`);
    return ms;
  };
  const date = day('date');
  const startingDate = day('starting_date');
  const endingDate = day('ending_date');
  if (date !== undefined && startingDate !== undefined) throw badRequest('Use either date or starting_date, not both.');
  if (endingDate !== undefined && startingDate === undefined)
    throw badRequest('ending_date is only valid with starting_date.');
  const tooRecent = (name: string) =>
    badRequest(`${name} is too recent: the latest day with available data is ${utcDay(latest)}.`);
  if (date !== undefined) {
    if (date > latest) throw tooRecent('date');
    return { from: date, to: date + DAY_MS };
  }
  if (startingDate === undefined) throw badRequest('date: Field required (or pass starting_date for a date range).');
  if (startingDate > latest) throw tooRecent('starting_date');
  const to = endingDate ?? today;
  if (to > today) throw badRequest(`ending_date can be at most today (${iso(today).slice(0, 10)}).`);
  if (to <= startingDate) throw badRequest('ending_date must be after starting_date.');
  if (to - startingDate > 366 * DAY_MS) throw badRequest('ending_date may be at most 366 days after starting_date.');
  return { from: startingDate, to };
}

/** `filter[]=dimension:value`; only `user_id` can match anything in the sim. */
function parseFilters(filters: string[]): { ok: boolean; userIds: Set<string> | undefined } {
  if (filters.length > 100) throw badRequest('filter: at most 100 entries.');
  let userIds: Set<string> | undefined;
  let ok = true;
  for (const f of filters) {
    const i = f.indexOf(':');
    const dim = i < 0 ? f : f.slice(0, i);
    if (!['project_id', 'rbac_group_id', 'user_id'].includes(dim) || i < 0)
      throw badRequest(`filter: unsupported dimension '${dim}'.`);
    if (dim === 'user_id') (userIds ??= new Set()).add(f.slice(i + 1));
    else ok = false;
  }
  return { ok, userIds };
}
