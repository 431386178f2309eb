import type { Route } from '../context.js';
import { badRequest } from '../errors.js';
import { parseDate } from '../query.js';
import type { ClaudeCodeRow, ClaudeCodeTool } from './claude-code-store.js';

const TOOLS: readonly ClaudeCodeTool[] = ['edit_tool', 'multi_edit_tool', 'write_tool', 'notebook_edit_tool'];

/**
 * `GET /v1/organizations/usage_report/claude_code`, per
 * https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_claude_code and
 * https://platform.claude.com/docs/en/manage-claude/claude-code-analytics-api: one UTC day per
 * request (`starting_at=YYYY-MM-DD`, required), `limit` default 20 max 1000, opaque `page`; one
 * record per actor (user by email, API key by name) and environment; "only data older than 1
 * hour is included"; "Each pagination session maintains a consistent data boundary", so the page
 * token carries the first page's boundary. Not in the SDK. The record order is not documented:
 * actor, then customer and terminal type.
 */
export const claudeCodeRoutes: Route[] = [
  {
    op: 'usageReport.claudeCode',
    method: 'GET',
    pattern: '/v1/organizations/usage_report/claude_code',
    realm: 'admin',
    handle(ctx) {
      const q = ctx.query;
      const startingAt = q.get('starting_at');
      if (startingAt === undefined) throw badRequest('starting_at: Field required');
      const day = /^\d{4}-\d{2}-\d{2}$/.test(startingAt) ? parseDate(startingAt) : undefined;
      if (day === undefined)
        throw badRequest(`starting_at: Input should be a valid date in YYYY-MM-DD format. Got '${startingAt}'.`);
      const limit = q.int('limit', 20, 1, 1000);
      const token = decodeToken(q.get('page'), startingAt);
      const boundary = token?.boundary ?? ctx.now - ctx.sim.config.claudeCode.lagMs;
      const records = aggregate(ctx.sim.claudeCode.day(day, boundary), ctx.sim.state.org.uuid);
      const offset = token?.offset ?? 0;
      const data = records.slice(offset, offset + limit);
      const more = offset + limit < records.length;
      ctx.emit('read', 'platform_usage_report_claude_code_viewed');
      return {
        body: {
          data,
          has_more: more,
          next_page: more ? encodeToken({ day: startingAt, offset: offset + limit, boundary }) : null,
        },
      };
    },
  },
];

interface Token {
  day: string;
  offset: number;
  boundary: number;
}

function encodeToken(t: Token): string {
  return `page_${Buffer.from(JSON.stringify(t)).toString('base64')}`;
}

function decodeToken(raw: string | undefined, day: string): Token | undefined {
  if (raw === undefined || raw === '') return undefined;
  let t: Partial<Token> | undefined;
  try {
    t = raw.startsWith('page_')
      ? (JSON.parse(Buffer.from(raw.slice(5), 'base64').toString('utf8')) as Partial<Token>)
      : undefined;
  } catch {
    t = undefined;
  }
  if (!t || typeof t.offset !== 'number' || typeof t.boundary !== 'number' || typeof t.day !== 'string')
    throw badRequest('Invalid page token.');
  if (t.day !== day) throw badRequest('The page token was issued for another starting_at; restart without page.');
  return t as Token;
}

function aggregate(rows: readonly ClaudeCodeRow[], orgUuid: string): Record<string, unknown>[] {
  const groups = new Map<string, ClaudeCodeRow[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.actor, r.customerType, r.subscriptionType, r.terminalType]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => record(g, orgUuid));
}

function record(g: ClaudeCodeRow[], orgUuid: string): Record<string, unknown> {
  const first = g[0]!;
  const sum = (f: (r: ClaudeCodeRow) => number) => g.reduce((n, r) => n + f(r), 0);
  const models = new Map<
    string,
    { input: number; output: number; cacheRead: number; cacheCreation: number; cost: number }
  >();
  for (const m of g.flatMap((r) => r.models)) {
    const t = models.get(m.model) ?? { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cost: 0 };
    t.input += m.input ?? 0;
    t.output += m.output ?? 0;
    t.cacheRead += m.cacheRead ?? 0;
    t.cacheCreation += m.cacheCreation ?? 0;
    t.cost += m.costCents ?? 0;
    models.set(m.model, t);
  }
  return {
    // The reference says "YYYY-MM-DD"; both of its examples show RFC 3339 midnight, as sent here.
    date: `${first.date}T00:00:00Z`,
    actor: first.actor,
    organization_id: orgUuid,
    customer_type: first.customerType,
    subscription_type: first.subscriptionType,
    terminal_type: first.terminalType,
    core_metrics: {
      num_sessions: sum((r) => r.sessions),
      lines_of_code: { added: sum((r) => r.linesAdded), removed: sum((r) => r.linesRemoved) },
      commits_by_claude_code: sum((r) => r.commits),
      pull_requests_by_claude_code: sum((r) => r.pullRequests),
    },
    tool_actions: Object.fromEntries(
      TOOLS.map((t) => [
        t,
        {
          accepted: sum((r) => r.toolActions[t]?.accepted ?? 0),
          rejected: sum((r) => r.toolActions[t]?.rejected ?? 0),
        },
      ]),
    ),
    model_breakdown: [...models.entries()].map(([model, t]) => ({
      model,
      tokens: { input: t.input, output: t.output, cache_read: t.cacheRead, cache_creation: t.cacheCreation },
      estimated_cost: { currency: 'USD', amount: t.cost },
    })),
  };
}
