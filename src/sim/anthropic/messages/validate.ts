import { ApiError } from '../errors.js';

/**
 * Request validation for `POST /v1/messages`, as the Messages API documents it:
 * https://platform.claude.com/docs/en/api/messages/create (required `model`,
 * `max_tokens`, `messages`; roles `user` | `assistant`; `system`; `tools`;
 * `tool_choice`; `output_config.format`) and the tool-use rules in
 * https://platform.claude.com/docs/en/agents-and-tools/tool-use/handle-tool-calls
 * ("Tool result blocks must immediately follow their corresponding tool use blocks";
 * "the tool_result blocks must come FIRST in the content array", else a 400).
 *
 * The docs do not give the wording of every validation message; where they are silent
 * the message names the offending path and the rule (`messages.1.content.0: …`), the
 * form the documented Compliance API errors use.
 */

export interface TextBlockIn {
  type: 'text';
  text: string;
}
export interface ToolUseBlockIn {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}
export interface ToolResultBlockIn {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | TextBlockIn[];
  is_error?: boolean;
}
export type BlockIn = TextBlockIn | ToolUseBlockIn | ToolResultBlockIn;

export interface MessageIn {
  role: 'user' | 'assistant';
  content: string | BlockIn[];
}

export interface ToolIn {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

/** A request the simulator accepted, as a scripted responder sees it. */
export interface MessagesRequest {
  model: string;
  max_tokens: number;
  messages: MessageIn[];
  system?: string | TextBlockIn[];
  tools?: ToolIn[];
  tool_choice?: { type: 'auto' | 'any' | 'tool' | 'none'; name?: string };
  /** Structured outputs: https://platform.claude.com/docs/en/build-with-claude/structured-outputs */
  output_config?: { format?: { type: 'json_schema'; schema: Record<string, unknown> } | null };
  [key: string]: unknown;
}

// https://platform.claude.com/docs/en/agents-and-tools/tool-use/define-tools:
// "The name of the tool. Must match the regex ^[a-zA-Z0-9_-]{1,64}$."
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const bad = (path: string, rule: string): ApiError => new ApiError(400, `${path}: ${rule}`);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * API version 2026-10-21 (what SDK 1.x sends) removed `temperature`, `top_p` and `top_k`
 * ("returns a 400 error" even at their defaults) and refuses non-empty `citations` on text
 * blocks of user messages: https://platform.claude.com/docs/en/api/versioning and
 * https://platform.claude.com/docs/en/api/migration-2026-10-21. 2023-06-01 keeps them.
 */
const V2026 = '2026-10-21';

export function validateMessagesRequest(body: unknown, version = V2026): MessagesRequest {
  if (!isObject(body)) throw new ApiError(400, 'The request body must be a JSON object.');
  const current = version >= V2026;
  if (current) {
    for (const removed of ['temperature', 'top_p', 'top_k'])
      if (removed in body) throw bad(removed, 'Extra inputs are not permitted');
  }
  if (typeof body['model'] !== 'string' || body['model'] === '') throw bad('model', 'Field required');
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined) throw bad('max_tokens', 'Field required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
    throw bad('max_tokens', 'Input should be a positive integer');
  // The simulator answers non-streaming requests only (Steward never streams); the
  // real API would stream. Refusing says so instead of pretending.
  if (body['stream'] === true) throw bad('stream', 'the simulator does not stream');
  validateSystem(body['system']);
  const tools = validateTools(body['tools']);
  validateToolChoice(body['tool_choice'], tools);
  validateOutputConfig(body['output_config']);
  validateMessages(body['messages'], current);
  return body as MessagesRequest;
}

function validateSystem(system: unknown): void {
  if (system === undefined || typeof system === 'string') return;
  if (!Array.isArray(system)) throw bad('system', 'Input should be a string or a list of text blocks');
  system.forEach((b, i) => {
    if (!isObject(b) || b['type'] !== 'text' || typeof b['text'] !== 'string')
      throw bad(`system.${i}`, 'Input should be a text block');
  });
}

function validateTools(tools: unknown): Set<string> {
  const names = new Set<string>();
  if (tools === undefined) return names;
  if (!Array.isArray(tools)) throw bad('tools', 'Input should be a valid list');
  tools.forEach((t, i) => {
    if (!isObject(t)) throw bad(`tools.${i}`, 'Input should be an object');
    const name = t['name'];
    if (typeof name !== 'string' || !TOOL_NAME.test(name))
      throw bad(`tools.${i}.name`, 'String should match pattern ^[a-zA-Z0-9_-]{1,64}$');
    if (names.has(name)) throw bad(`tools.${i}.name`, `Tool names must be unique: ${name}`);
    names.add(name);
    const schema = t['input_schema'];
    if (!isObject(schema) || schema['type'] !== 'object')
      throw bad(`tools.${i}.input_schema.type`, "Input should be 'object'");
    if (t['description'] !== undefined && typeof t['description'] !== 'string')
      throw bad(`tools.${i}.description`, 'Input should be a valid string');
  });
  return names;
}

function validateToolChoice(choice: unknown, tools: Set<string>): void {
  if (choice === undefined) return;
  if (!isObject(choice) || !['auto', 'any', 'tool', 'none'].includes(String(choice['type'])))
    throw bad('tool_choice.type', "Input should be 'auto', 'any', 'tool' or 'none'");
  if (choice['type'] === 'tool' && !tools.has(String(choice['name'])))
    throw bad('tool_choice.name', 'must name one of the tools');
}

function validateOutputConfig(config: unknown): void {
  if (config === undefined) return;
  if (!isObject(config)) throw bad('output_config', 'Input should be an object');
  const format = config['format'];
  if (format === undefined || format === null) return;
  if (!isObject(format) || format['type'] !== 'json_schema')
    throw bad('output_config.format.type', "Input should be 'json_schema'");
  if (!isObject(format['schema'])) throw bad('output_config.format.schema', 'Input should be an object');
}

function validateMessages(messages: unknown, current: boolean): void {
  if (messages === undefined) throw bad('messages', 'Field required');
  if (!Array.isArray(messages) || messages.length === 0) throw bad('messages', 'List should have at least 1 item');
  // Tool use ids the previous assistant turn asked for, which this user turn must answer.
  let pending: Set<string> = new Set();
  messages.forEach((m, i) => {
    if (!isObject(m)) throw bad(`messages.${i}`, 'Input should be an object');
    const role = m['role'];
    if (role !== 'user' && role !== 'assistant')
      throw bad(`messages.${i}.role`, "Input should be 'user' or 'assistant'");
    const blocks = blocksOf(m['content'], `messages.${i}.content`);
    if (current && role === 'user')
      blocks.forEach((b, j) => {
        const citations = (b as unknown as Record<string, unknown>)['citations'];
        if (b.type === 'text' && Array.isArray(citations) && citations.length > 0)
          throw bad(`messages.${i}.content.${j}.citations`, 'text blocks in user messages cannot carry citations');
      });
    const results = blocks.filter((b): b is ToolResultBlockIn => b.type === 'tool_result');
    const uses = blocks.filter((b): b is ToolUseBlockIn => b.type === 'tool_use');
    if (role === 'assistant' && results.length)
      throw bad(`messages.${i}.content`, '`tool_result` blocks can only be in `user` messages');
    if (role === 'user' && uses.length)
      throw bad(`messages.${i}.content`, '`tool_use` blocks can only be in `assistant` messages');
    if (pending.size > 0) {
      const answered = new Set(results.map((r) => r.tool_use_id));
      const missing = [...pending].filter((id) => !answered.has(id));
      if (role !== 'user' || missing.length)
        throw bad(
          `messages.${i}`,
          `\`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ') || [...pending].join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
    }
    results.forEach((r) => {
      if (!pending.has(r.tool_use_id))
        throw bad(
          `messages.${i}.content`,
          `unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${r.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        );
    });
    const firstOther = blocks.findIndex((b) => b.type !== 'tool_result');
    if (results.length && firstOther >= 0 && firstOther < results.length)
      throw bad(`messages.${i}.content`, '`tool_result` blocks must come first in the content array');
    pending = role === 'assistant' ? new Set(uses.map((u) => u.id)) : new Set();
  });
  if (pending.size > 0)
    throw bad(`messages.${messages.length - 1}`, 'the last message asks for tools; send their `tool_result` blocks');
}

function blocksOf(content: unknown, path: string): BlockIn[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content) || content.length === 0) throw bad(path, 'Input should be a string or a list of blocks');
  return content.map((b, j) => {
    const p = `${path}.${j}`;
    if (!isObject(b)) throw bad(p, 'Input should be an object');
    switch (b['type']) {
      case 'text':
        if (typeof b['text'] !== 'string') throw bad(`${p}.text`, 'Field required');
        return b as unknown as TextBlockIn;
      case 'tool_use':
        if (typeof b['id'] !== 'string' || typeof b['name'] !== 'string' || !isObject(b['input']))
          throw bad(p, '`tool_use` blocks need `id`, `name` and an object `input`');
        return b as unknown as ToolUseBlockIn;
      case 'tool_result': {
        if (typeof b['tool_use_id'] !== 'string') throw bad(`${p}.tool_use_id`, 'Field required');
        const c = b['content'];
        if (c !== undefined && typeof c !== 'string' && !Array.isArray(c))
          throw bad(`${p}.content`, 'Input should be a string or a list of blocks');
        return b as unknown as ToolResultBlockIn;
      }
      default:
        // Images, documents, thinking … exist in the API; Steward sends none of them, and
        // the simulator says so rather than accepting what it cannot answer faithfully.
        throw bad(`${p}.type`, `the simulator does not model \`${String(b['type'])}\` blocks`);
    }
  });
}

/** The text of the last user turn (what a scripted responder usually looks at). */
export function lastUserText(req: MessagesRequest): string {
  const last = [...req.messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content
    .filter((b): b is TextBlockIn => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
}

/** Every tool result sent so far, oldest first, with the tool it answers. */
export function toolResults(req: MessagesRequest): Array<{ name: string; input: unknown; content: string }> {
  const names = new Map<string, { name: string; input: unknown }>();
  const out: Array<{ name: string; input: unknown; content: string }> = [];
  for (const m of req.messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type === 'tool_use') names.set(b.id, { name: b.name, input: b.input });
      if (b.type === 'tool_result') {
        const use = names.get(b.tool_use_id);
        const content =
          typeof b.content === 'string' ? b.content : (b.content ?? []).map((t) => t.text ?? '').join('\n');
        out.push({ name: use?.name ?? '', input: use?.input, content });
      }
    }
  }
  return out;
}
