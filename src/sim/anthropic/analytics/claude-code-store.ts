import { toMs } from '../clock.js';
import { parseDate } from '../query.js';
import type { TimeInput } from '../state/types.js';

export type ClaudeCodeTool = 'edit_tool' | 'multi_edit_tool' | 'write_tool' | 'notebook_edit_tool';

/** One slice of a person's (or an API key's) Claude Code use on a UTC day. */
export interface ClaudeCodeInput {
  /** UTC day, `YYYY-MM-DD`. */
  date: string;
  /** Who: a user by email (`user_actor`) or an API key by name (`api_actor`, as the report names keys). */
  userEmail?: string;
  apiKeyName?: string;
  /** When it happened (default: the start of `date`); the report shows it once it is an hour old. */
  at?: TimeInput;
  sessions?: number;
  linesAdded?: number;
  linesRemoved?: number;
  commits?: number;
  pullRequests?: number;
  toolActions?: Partial<Record<ClaudeCodeTool, { accepted?: number; rejected?: number }>>;
  models?: {
    model: string;
    input?: number;
    output?: number;
    cacheRead?: number;
    cacheCreation?: number;
    costCents?: number;
  }[];
  customerType?: 'api' | 'subscription';
  subscriptionType?: 'enterprise' | 'team' | null;
  terminalType?: string;
}

export interface ClaudeCodeRow extends Required<Omit<ClaudeCodeInput, 'userEmail' | 'apiKeyName' | 'at'>> {
  day: number;
  at: number;
  actor: { type: 'user_actor'; email_address: string } | { type: 'api_actor'; api_key_name: string };
}

/** Claude Code use by day, behind `GET /v1/organizations/usage_report/claude_code`. */
export class ClaudeCodeStore {
  private readonly byDay = new Map<number, ClaudeCodeRow[]>();

  add(input: ClaudeCodeInput): ClaudeCodeRow {
    const day = parseDate(input.date);
    if (day === undefined) throw new Error(`not a YYYY-MM-DD date: ${input.date}`);
    if ((input.userEmail === undefined) === (input.apiKeyName === undefined))
      throw new Error('Claude Code usage needs exactly one of userEmail or apiKeyName');
    const row: ClaudeCodeRow = {
      date: input.date,
      day,
      at: input.at === undefined ? day : toMs(input.at),
      actor:
        input.userEmail !== undefined
          ? { type: 'user_actor', email_address: input.userEmail }
          : { type: 'api_actor', api_key_name: input.apiKeyName! },
      sessions: input.sessions ?? 1,
      linesAdded: input.linesAdded ?? 0,
      linesRemoved: input.linesRemoved ?? 0,
      commits: input.commits ?? 0,
      pullRequests: input.pullRequests ?? 0,
      toolActions: input.toolActions ?? {},
      models: input.models ?? [],
      customerType: input.customerType ?? 'api',
      subscriptionType: input.subscriptionType === undefined ? null : input.subscriptionType,
      terminalType: input.terminalType ?? 'vscode',
    };
    const rows = this.byDay.get(day);
    if (rows) rows.push(row);
    else this.byDay.set(day, [row]);
    return row;
  }

  /** Rows of one UTC day recorded at or before `visibleBefore`. */
  day(day: number, visibleBefore: number): ClaudeCodeRow[] {
    return (this.byDay.get(day) ?? []).filter((r) => r.at <= visibleBefore);
  }
}
