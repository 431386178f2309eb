import { toMs, startOfUtcDay, DAY_MS } from '../clock.js';
import type { OrgState } from '../state/org-state.js';
import type { TimeInput } from '../state/types.js';

/** One recorded slice of API usage (at whatever granularity the test likes). */
export interface UsageInput {
  /** The key that authenticated the requests; null for usage no key authenticated. */
  apiKeyId: string | null;
  /** A UTC day (`YYYY-MM-DD`, usage placed at 00:00) or an exact instant. */
  date?: string;
  at?: TimeInput;
  requests?: number;
  uncachedInputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreation1hInputTokens?: number;
  cacheCreation5mInputTokens?: number;
  webSearchRequests?: number;
  model?: string;
  /** Defaults to the key's workspace (the default workspace's real id for org-level keys). */
  workspaceId?: string | null;
  product?: string;
  serviceTier?: string | null;
  contextWindow?: string | null;
  inferenceGeo?: string | null;
  speed?: string | null;
}

export interface UsageRow {
  at: number;
  apiKeyId: string | null;
  workspaceId: string | null;
  model: string | null;
  product: string | null;
  serviceTier: string | null;
  contextWindow: string | null;
  inferenceGeo: string | null;
  speed: string | null;
  requests: number;
  uncached: number;
  output: number;
  cacheRead: number;
  cache1h: number;
  cache5m: number;
  webSearch: number;
}

/** Usage rows bucketed by UTC day, so a ≤31-day report touches ≤32 buckets. */
export class UsageStore {
  private readonly byDay = new Map<number, UsageRow[]>();

  constructor(private readonly state: OrgState) {}

  add(input: UsageInput): UsageRow {
    const at =
      input.at !== undefined ? toMs(input.at) : input.date !== undefined ? toMs(`${input.date}T00:00:00Z`) : undefined;
    if (at === undefined) throw new Error('usage needs `date` or `at`');
    const key = input.apiKeyId ? this.state.apiKey(input.apiKeyId) : undefined;
    if (input.apiKeyId && !key) throw new Error(`no API key ${input.apiKeyId} in the simulated organisation`);
    const row: UsageRow = {
      at,
      apiKeyId: input.apiKeyId,
      workspaceId:
        input.workspaceId !== undefined ? input.workspaceId : (key?.workspaceId ?? this.state.defaultWorkspace.id),
      model: input.model ?? 'claude-sonnet-4-5',
      product: input.product ?? 'messages_api',
      serviceTier: input.serviceTier ?? 'standard',
      contextWindow: input.contextWindow ?? '0-200k',
      inferenceGeo: input.inferenceGeo ?? 'global',
      speed: input.speed ?? 'standard',
      requests: input.requests ?? 1,
      uncached: input.uncachedInputTokens ?? 0,
      output: input.outputTokens ?? 0,
      cacheRead: input.cacheReadInputTokens ?? 0,
      cache1h: input.cacheCreation1hInputTokens ?? 0,
      cache5m: input.cacheCreation5mInputTokens ?? 0,
      webSearch: input.webSearchRequests ?? 0,
    };
    const day = startOfUtcDay(at);
    const rows = this.byDay.get(day);
    if (rows) rows.push(row);
    else this.byDay.set(day, [row]);
    return row;
  }

  /** Rows with `from <= at < to`. */
  *range(from: number, to: number): Generator<UsageRow> {
    for (let day = startOfUtcDay(from); day < to; day += DAY_MS) {
      for (const row of this.byDay.get(day) ?? []) if (row.at >= from && row.at < to) yield row;
    }
  }
}
