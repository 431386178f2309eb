import { z } from 'zod';

/**
 * Claude assist (issue 18), used only when STEWARD_ASSIST=claude and ANTHROPIC_API_KEY
 * are set: which model, how many calls a day, and how long anything may wait for it.
 */
export const assistSection = z
  .strictObject({
    model: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{2,63}$/, 'must be a Claude model name such as claude-haiku-4-5')
      .default('claude-haiku-4-5'),
    /** Messages API calls per UTC day across every replica (each turn of /steward ask counts). */
    daily_calls: z
      .number()
      .int('must be a whole number of calls')
      .min(0, 'must be 0 or more')
      .max(1_000_000)
      .default(500),
    /** A summary or triage waits at most this long; then the review goes out with the template text. */
    timeout_ms: z
      .number()
      .int('must be a whole number of milliseconds')
      .min(100, 'must be at least 100 ms')
      .max(10_000, 'must be at most 10000 ms (reviews must not wait on Claude)')
      .default(3_000),
    /** /steward ask: the whole exchange (every turn and tool call) within this time. */
    ask_timeout_ms: z
      .number()
      .int('must be a whole number of milliseconds')
      .min(1_000, 'must be at least 1000 ms')
      .max(120_000, 'must be at most 120000 ms')
      .default(20_000),
    /** /steward ask: the longest answer shown, in characters. */
    max_answer_chars: z.number().int().min(200).max(2_900).default(1_500),
  })
  .prefault({});
