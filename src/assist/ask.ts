import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { appendAudit } from '../audit/append.js';
import type { Policy } from '../config/policy.js';
import type { Db } from '../db/types.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import { callClaude, textOf, withDeadline, type CallFailure } from './call.js';
import { utcDay } from './explain.js';
import { takeCall } from './store.js';
import type { AskTool } from './tools/index.js';
import type { AskAnswer, AskQuestion, Citation } from './types.js';

/**
 * `/steward ask`: Claude answers an admin's question with the read-only tools Steward
 * already has (tool use: https://platform.claude.com/docs/en/agents-and-tools/tool-use/handle-tool-calls),
 * citing the rows the tools returned. It never decides or acts: there is no tool that
 * writes, and the answer is text. The question, every tool call and the answer are
 * audited; the whole exchange is bounded by `ask_timeout_ms`, a number of turns, the
 * daily budget (each turn is a call) and `max_answer_chars`.
 */
export interface AskDeps {
  client: Anthropic;
  db: Db;
  logger: Logger;
  settings: Policy['assist'];
  policyVersion: string;
  tools: readonly AskTool[];
  now: Clock;
}

/** Turns (calls) one question may take: enough for a few tool rounds and an answer. */
export const MAX_TURNS = 6;
const MAX_TOKENS = 1024;
/** A tool result larger than this is cut before it is sent back. */
const MAX_RESULT_CHARS = 12_000;

const CITATION_KINDS = ['finding', 'api_key', 'user', 'service_account', 'audit', 'campaign'] as const;

const SYSTEM = [
  'You answer questions from administrators of Steward, which governs access to a Claude organisation.',
  "Use the tools to read Steward's data; answer only from what they return, and cite every row you rely on",
  '(finding ids, key ids, user ids, service account ids, audit seq numbers, campaign numbers) in `citations`.',
  'You cannot change anything and must not suggest that you did: any action stays a button a person clicks in Slack.',
  'Answer in plain English, briefly; no links, no @-mentions, no markup.',
].join(' ');

const ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    answer: { type: 'string' },
    citations: {
      type: 'array',
      items: {
        type: 'object',
        properties: { kind: { type: 'string', enum: [...CITATION_KINDS] }, id: { type: 'string' } },
        required: ['kind', 'id'],
        additionalProperties: false,
      },
    },
  },
  required: ['answer', 'citations'],
  additionalProperties: false,
};

const answerShape = z.strictObject({
  answer: z
    .string()
    .trim()
    .min(1)
    .refine((s) => !/https?:\/\/|www\.|[<>]|@(channel|here|everyone)\b/i.test(s), 'contains a link, mention or markup'),
  citations: z.array(z.strictObject({ kind: z.enum(CITATION_KINDS), id: z.string().min(1).max(200) })).max(50),
});

type Outcome = 'answered' | 'budget' | 'too_many_turns' | CallFailure;

const UNANSWERED: Record<Exclude<Outcome, 'answered'>, string> = {
  budget: "Claude assist has used today's call budget (policy `assist.daily_calls`). Try again tomorrow.",
  too_many_turns: 'Claude could not settle on an answer within the allowed number of steps. Try a narrower question.',
  timeout: 'Claude did not answer in time (policy `assist.ask_timeout_ms`). Try a narrower question.',
  rate_limited: 'The Claude API is rate limiting Steward right now. Try again in a minute.',
  unavailable: 'The Claude API is unavailable right now. Try again later.',
  refused: 'Claude declined to answer this question.',
  invalid_output: 'Claude’s answer could not be read, so it is not shown.',
  failed: 'The question could not be sent to Claude. It has been logged.',
};

export function claudeAsker(deps: AskDeps): (q: AskQuestion) => Promise<AskAnswer> {
  const { settings } = deps;
  const toolDefs: Anthropic.Tool[] = deps.tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.inputSchema as Anthropic.Tool.InputSchema,
  }));

  return async (q) => {
    const actor = { type: 'slack_user' as const, slackId: q.askedBySlackId };
    const audit = (action: string, outcome: string, details: Record<string, unknown>) =>
      appendAudit(deps.db, { actor, action, outcome, details, policyVersion: deps.policyVersion, at: deps.now() });
    await audit('assist.asked', 'asked', { question: q.text, model: settings.model });

    const state = { toolCalls: 0, returned: new Map<string, Citation>() };
    const unanswered = (outcome: Exclude<Outcome, 'answered'>): AskAnswer => ({
      outcome,
      text: UNANSWERED[outcome],
      citations: [],
      model: settings.model,
      toolCalls: state.toolCalls,
    });

    const answer = await withDeadline(
      settings.ask_timeout_ms,
      async (signal): Promise<AskAnswer> => {
        const messages: Anthropic.MessageParam[] = [{ role: 'user', content: q.text }];
        for (let turn = 0; turn < MAX_TURNS; turn++) {
          // Past the bound the answer is already given: spend no more calls, run no more tools.
          if (signal.aborted) return unanswered('timeout');
          if (!(await takeCall(deps.db, utcDay(deps.now()), settings.daily_calls, deps.now())))
            return unanswered('budget');
          const result = await callClaude(
            deps.client,
            {
              model: settings.model,
              max_tokens: MAX_TOKENS,
              system: SYSTEM,
              tools: toolDefs,
              messages,
              output_config: { format: { type: 'json_schema', schema: ANSWER_SCHEMA } },
            },
            signal,
          );
          if (!result.ok) return unanswered(result.reason);
          const m = result.message;
          const uses = m.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
          if (m.stop_reason === 'tool_use' && uses.length > 0) {
            const results: Anthropic.ToolResultBlockParam[] = [];
            for (const use of uses) {
              if (signal.aborted) return unanswered('timeout');
              results.push(await runTool(deps, use, state, audit));
            }
            messages.push({ role: 'assistant', content: asParams(m.content) }, { role: 'user', content: results });
            continue;
          }
          return final(textOf(m), m.model, state, settings.max_answer_chars);
        }
        return unanswered('too_many_turns');
      },
      () => unanswered('timeout'),
      (err) => {
        deps.logger.error({ err }, 'assist: /steward ask failed');
        return unanswered('failed');
      },
    );

    await audit('assist.answered', answer.outcome, {
      question: q.text,
      answer: answer.text,
      citations: answer.citations,
      model: answer.outcome === 'answered' ? answer.model : null,
      toolCalls: answer.toolCalls,
    });
    return answer;
  };
}

async function runTool(
  deps: AskDeps,
  use: Anthropic.ToolUseBlock,
  state: { toolCalls: number; returned: Map<string, Citation> },
  audit: (action: string, outcome: string, details: Record<string, unknown>) => Promise<unknown>,
): Promise<Anthropic.ToolResultBlockParam> {
  state.toolCalls++;
  const tool = deps.tools.find((t) => t.name === use.name);
  const called = tool
    ? await tool.call(deps.db, use.input, deps.now())
    : ({ ok: false, error: `no such tool: ${use.name}` } as const);
  if (!called.ok) {
    await audit('assist.tool_called', 'refused', { tool: use.name, input: use.input, error: called.error });
    return { type: 'tool_result', tool_use_id: use.id, content: called.error, is_error: true };
  }
  for (const row of called.output.rows) state.returned.set(citationKey(row), row);
  await audit('assist.tool_called', 'ran', { tool: use.name, input: called.input, rows: called.output.rows });
  const text = JSON.stringify(called.output.result);
  return {
    type: 'tool_result',
    tool_use_id: use.id,
    content: text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…(cut)` : text,
  };
}

/** The answer as shown: checked, cut to length, citing only rows a tool returned. */
function final(
  raw: string,
  model: string,
  state: { toolCalls: number; returned: Map<string, Citation> },
  maxChars: number,
): AskAnswer {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const parsed = answerShape.safeParse(json);
  if (!parsed.success)
    return {
      outcome: 'invalid_output',
      text: UNANSWERED.invalid_output,
      citations: [],
      model,
      toolCalls: state.toolCalls,
    };
  const cited = new Map<string, Citation>();
  for (const c of parsed.data.citations) {
    const key = citationKey(c);
    if (state.returned.has(key)) cited.set(key, state.returned.get(key)!);
  }
  const text =
    parsed.data.answer.length > maxChars ? `${parsed.data.answer.slice(0, maxChars - 1)}…` : parsed.data.answer;
  return { outcome: 'answered', text, citations: [...cited.values()], model, toolCalls: state.toolCalls };
}

const citationKey = (c: Citation): string => `${c.kind}:${c.id}`;

/** The assistant turn sent back: its text and tool calls only. */
function asParams(content: Anthropic.ContentBlock[]): Anthropic.ContentBlockParam[] {
  const out: Anthropic.ContentBlockParam[] = [];
  for (const b of content) {
    if (b.type === 'text' && b.text !== '') out.push({ type: 'text', text: b.text });
    if (b.type === 'tool_use') out.push({ type: 'tool_use', id: b.id, name: b.name, input: b.input });
  }
  return out;
}
