import Anthropic, {
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicSim, toolResults, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { eventually } from '../helpers/eventually.js';

/** The Messages API of the Anthropic simulator, driven through the real SDK. */

let sim: AnthropicSim;
let client: Anthropic;

beforeEach(async () => {
  sim = await startAnthropicSim({ seed: 3 });
  client = new Anthropic({ apiKey: sim.messages.apiKey, baseURL: sim.url, maxRetries: 0 });
});
afterEach(async () => sim.close());

const SCHEMA = {
  type: 'object',
  properties: { summary: { type: 'string' }, confidence: { type: 'number' } },
  required: ['summary'],
  additionalProperties: false,
} as const;

const ask = (extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}) =>
  client.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 200,
    messages: [{ role: 'user', content: 'Summarise.' }],
    ...extra,
  });

describe('POST /v1/messages', () => {
  it('answers with the documented Message shape, usage, request-id and rate-limit headers', async () => {
    const { data, response } = await ask({
      output_config: { format: { type: 'json_schema', schema: SCHEMA } },
    }).withResponse();
    expect(data).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      stop_reason: 'end_turn',
      stop_sequence: null,
      stop_details: null,
    });
    expect(data.id).toMatch(/^msg_01/);
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    // Without a script the answer is a value of the requested schema.
    const block = data.content[0];
    expect(block?.type).toBe('text');
    expect(JSON.parse((block as Anthropic.TextBlock).text)).toEqual({ summary: 'Simulated summary.' });
    expect(response.headers.get('request-id')).toMatch(/^req_01/);
    expect(Number(response.headers.get('anthropic-ratelimit-requests-remaining'))).toBeGreaterThanOrEqual(0);
    expect(sim.messages.calls).toHaveLength(1);
  });

  it('runs a tool_use / tool_result exchange and checks that results answer the calls', async () => {
    sim.messages.reply({ text: 'Looking.', toolUses: [{ name: 'lookup', input: { id: 'apikey_1' } }] }, (req) => ({
      text: `saw ${toolResults(req)[0]?.content}`,
    }));
    const tools: Anthropic.Tool[] = [
      { name: 'lookup', description: 'Look a key up', input_schema: { type: 'object', properties: {} } },
    ];
    const first = await ask({ tools });
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    expect(use).toMatchObject({ name: 'lookup', input: { id: 'apikey_1' } });
    expect(use.id).toMatch(/^toolu_01/);

    const history: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Summarise.' },
      { role: 'assistant', content: first.content },
    ];
    // A result for an id nobody asked for is refused, as the docs say.
    await expect(
      ask({
        tools,
        messages: [
          ...history,
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'x' }] },
        ],
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    // Text before the tool_result is a 400 too.
    await expect(
      ask({
        tools,
        messages: [
          ...history,
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Here:' },
              { type: 'tool_result', tool_use_id: use.id, content: 'x' },
            ],
          },
        ],
      }),
    ).rejects.toThrow(/must come first/);
    const second = await ask({
      tools,
      messages: [
        ...history,
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'active' }] },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect((second.content[0] as Anthropic.TextBlock).text).toBe('saw active');
  });

  it('refuses other kinds of key and requests without the required fields', async () => {
    const admin = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 0 });
    await expect(
      admin.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(AuthenticationError);
    const res = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': sim.messages.apiKey,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    const noVersion = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': sim.messages.apiKey, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noVersion.status).toBe(400);
  });

  it('follows the API version: 2026-10-21 refuses temperature, 2023-06-01 accepts it', async () => {
    const post = (version: string) =>
      fetch(`${sim.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': sim.messages.apiKey, 'anthropic-version': version, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-haiku-4-5',
          max_tokens: 10,
          temperature: 1,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
    const current = await post('2026-10-21');
    expect(current.status).toBe(400);
    expect(await current.json()).toMatchObject({ error: { message: 'temperature: Extra inputs are not permitted' } });
    expect((await post('2023-06-01')).status).toBe(200);
  });

  it('faults: 429 with retry-after, 500, 529, malformed body, refusal', async () => {
    sim.messages.faults.add({ kind: 'rate_limit', retryAfter: 7 });
    const limited = await ask().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers?.get('retry-after')).toBe('7');
    expect((limited as RateLimitError).type).toBe('rate_limit_error');

    sim.messages.faults.add({ kind: 'server_error' });
    await expect(ask()).rejects.toBeInstanceOf(InternalServerError);
    sim.messages.faults.add({ kind: 'overloaded' });
    await expect(ask()).rejects.toMatchObject({ status: 529 });

    sim.messages.faults.add({ kind: 'malformed' });
    await expect(ask()).rejects.toThrow(/JSON/);

    sim.messages.faults.add({ kind: 'refusal', category: 'cyber' });
    const refused = await ask();
    expect(refused.stop_reason).toBe('refusal');
    expect(refused.stop_details).toEqual({ type: 'refusal', category: 'cyber', explanation: null });
    // Faults are used up: the next request is answered normally.
    expect((await ask()).stop_reason).toBe('end_turn');
    expect(sim.messages.calls.map((c) => c.status)).toEqual([429, 500, 529, 200, 200, 200]);
  });

  it('a slow answer still comes, complete', async () => {
    sim.messages.faults.add({ kind: 'slow', delayMs: 50 });
    expect((await ask()).stop_reason).toBe('end_turn');
    expect(sim.messages.calls[0]).toMatchObject({ status: 200, fault: 'slow', abortedByClient: false });
  });

  it('a hung request is abandoned by the client timeout and the sim records the abort', async () => {
    sim.messages.faults.add({ kind: 'hang' });
    const quick = new Anthropic({ apiKey: sim.messages.apiKey, baseURL: sim.url, maxRetries: 0, timeout: 200 });
    await expect(
      quick.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    await eventually(() => sim.messages.calls[0]?.abortedByClient);
    expect(sim.messages.calls[0]?.status).toBeNull();
  });

  it('enforces a per-minute request limit with 429 and retry-after', async () => {
    sim.messages.requestsPerMinute = 2;
    await ask();
    await ask();
    const third = await ask().catch((e: unknown) => e);
    expect(third).toBeInstanceOf(RateLimitError);
    expect(Number((third as RateLimitError).headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
