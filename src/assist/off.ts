import { templateReading } from './explain.js';
import type { Assist } from './types.js';

/**
 * Assist when it is off (no `STEWARD_ASSIST=claude` or no `ANTHROPIC_API_KEY`): the
 * template reading of the evidence, and a `/steward ask` answer saying how to turn it
 * on. It calls nobody and sends nothing anywhere.
 */
export function assistOff(): Assist {
  return {
    explain: async (e) => templateReading(e, null),
    ask: async () => ({
      outcome: 'off',
      text: 'Claude assist is off. An operator can turn it on with `STEWARD_ASSIST=claude` and an `ANTHROPIC_API_KEY` (see the README, “Claude assist”).',
      citations: [],
      model: null,
      toolCalls: 0,
    }),
  };
}
