import { parseDate } from '../query.js';

/** Any subset of the per-user metrics tree of `AnalyticsUserActivity`. */
export type MetricsPatch = { [k: string]: number | null | MetricsPatch };

export interface UserActivityInput {
  userId: string;
  /** UTC day, `YYYY-MM-DD`. */
  date: string;
  /** Shorthands for the counters most checks need. */
  chatMessages?: number;
  claudeCodeSessions?: number;
  coworkMessages?: number;
  webSearches?: number;
  /** Anything else, deep-merged onto the zero row (numbers add up). */
  metrics?: MetricsPatch;
}

/** Per-user daily activity behind `GET /v1/organizations/analytics/users`. */
export class UserActivityStore {
  /** day (epoch ms) → userId → metrics patch */
  private readonly days = new Map<number, Map<string, MetricsPatch>>();

  add(input: UserActivityInput): void {
    const day = parseDate(input.date);
    if (day === undefined) throw new Error(`not a YYYY-MM-DD date: ${input.date}`);
    const patch: MetricsPatch = structuredClone(input.metrics ?? {});
    const bump = (path: string[], n: number | undefined) => {
      if (n === undefined) return;
      let node = patch;
      for (const k of path.slice(0, -1)) node = (node[k] ??= {}) as MetricsPatch;
      const leaf = path[path.length - 1]!;
      node[leaf] = ((node[leaf] as number | undefined) ?? 0) + n;
    };
    bump(['chat_metrics', 'message_count'], input.chatMessages);
    bump(['claude_code_metrics', 'core_metrics', 'distinct_session_count'], input.claudeCodeSessions);
    bump(['cowork_metrics', 'message_count'], input.coworkMessages);
    bump(['web_search_count'], input.webSearches);
    let users = this.days.get(day);
    if (!users) this.days.set(day, (users = new Map()));
    users.set(input.userId, addPatch(users.get(input.userId) ?? {}, patch));
  }

  /** Summed patches per user over `[from, to)` days. */
  window(from: number, to: number): Map<string, { patch: MetricsPatch; lastDay: number }> {
    const out = new Map<string, { patch: MetricsPatch; lastDay: number }>();
    for (const [day, users] of this.days) {
      if (day < from || day >= to) continue;
      for (const [userId, patch] of users) {
        const prev = out.get(userId);
        out.set(userId, { patch: addPatch(prev?.patch ?? {}, patch), lastDay: Math.max(prev?.lastDay ?? day, day) });
      }
    }
    return out;
  }
}

export function addPatch(a: MetricsPatch, b: MetricsPatch): MetricsPatch {
  const out: MetricsPatch = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (v !== null && typeof v === 'object')
      out[k] = addPatch(prev !== null && typeof prev === 'object' ? prev : {}, v);
    else if (typeof v === 'number') out[k] = (typeof prev === 'number' ? prev : 0) + v;
    else out[k] = v;
  }
  return out;
}
