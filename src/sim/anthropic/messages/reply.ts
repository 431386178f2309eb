import type { MessagesRequest } from './validate.js';

/**
 * What a scripted answer may say, and the `Message` object the API returns for it
 * (https://platform.claude.com/docs/en/api/messages/create, response; field list as
 * `Message` in the SDK's resources/messages/messages.d.ts: id, type, role, model,
 * content, stop_reason, stop_sequence, stop_details, container, usage).
 */
export type StopReason =
  'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded';

export interface ScriptedReply {
  /** One text block with this text. */
  text?: string;
  /** One text block holding this value as JSON (a structured-output answer). */
  json?: unknown;
  /** Tool calls, in order (ids are assigned, `toolu_…`). */
  toolUses?: Array<{ name: string; input: Record<string, unknown> }>;
  /** Default: `tool_use` when the reply calls tools, else `end_turn`. */
  stopReason?: StopReason;
  /**
   * https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons and the
   * SDK's `RefusalStopDetails`: `{type: 'refusal', category, explanation}`.
   */
  refusal?: { category: string | null; explanation: string | null };
}

/** A scripted answer, or a function of the request (tests read ids the request carries). */
export type Responder = ScriptedReply | ((req: MessagesRequest) => ScriptedReply | Promise<ScriptedReply>);

export interface IdSource {
  next(prefix: 'msg' | 'toolu'): string;
}

export function messageResponse(req: MessagesRequest, reply: ScriptedReply, ids: IdSource): Record<string, unknown> {
  const content: Array<Record<string, unknown>> = [];
  if (reply.text !== undefined) content.push({ type: 'text', text: reply.text, citations: null });
  if (reply.json !== undefined) content.push({ type: 'text', text: JSON.stringify(reply.json), citations: null });
  for (const t of reply.toolUses ?? []) {
    content.push({ type: 'tool_use', id: ids.next('toolu'), name: t.name, input: t.input, caller: { type: 'direct' } });
  }
  const stopReason: StopReason = reply.refusal
    ? 'refusal'
    : (reply.stopReason ?? (reply.toolUses?.length ? 'tool_use' : 'end_turn'));
  return {
    id: ids.next('msg'),
    type: 'message',
    role: 'assistant',
    model: req.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: reply.refusal
      ? { type: 'refusal', category: reply.refusal.category, explanation: reply.refusal.explanation }
      : null,
    container: null,
    usage: usageOf(req, content),
  };
}

/**
 * Token counts are estimates (about four characters a token); the docs say counts do
 * not match the visible content one-to-one anyway. Field set per the SDK's `Usage`.
 */
function usageOf(req: MessagesRequest, content: unknown[]): Record<string, unknown> {
  const tokens = (v: unknown) => Math.max(1, Math.ceil(JSON.stringify(v ?? '').length / 4));
  return {
    input_tokens: tokens(req.messages) + tokens(req.system) + tokens(req.tools),
    output_tokens: tokens(content),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: null,
    server_tool_use: null,
    service_tier: 'standard',
  };
}

/**
 * With no script, the sim answers like constrained decoding would: a value of the
 * requested JSON schema (strings filled with a plain sentence naming the field), or a
 * short text. It never calls tools on its own. The docs promise schema-valid output
 * under `output_config.format` (structured-outputs page); the content is ours.
 */
export function defaultReply(req: MessagesRequest): ScriptedReply {
  const schema = req.output_config?.format?.schema;
  if (schema) return { json: fill(schema, 'answer') };
  return { text: 'Simulated answer.' };
}

function fill(schema: Record<string, unknown>, name: string): unknown {
  if (Array.isArray(schema['enum']) && schema['enum'].length) return schema['enum'][0];
  switch (schema['type']) {
    case 'object': {
      const props = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((schema['required'] as string[] | undefined) ?? Object.keys(props));
      return Object.fromEntries(
        Object.entries(props)
          .filter(([k]) => required.has(k))
          .map(([k, v]) => [k, fill(v, k)]),
      );
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return `Simulated ${name.replace(/_/g, ' ')}.`;
  }
}
