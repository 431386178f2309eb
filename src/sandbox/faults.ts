/**
 * `--faults`: a bad day at both providers. Every few requests the Anthropic simulator
 * answers 429 (with retry-after) or 500, and Slack answers some calls with 429 or 503, as
 * their documented error responses look; Steward's clients must retry them and lose
 * nothing. The faults are steady (every Nth request), so a run is reproducible.
 */
import type { AnthropicSim } from '../sim/anthropic/index.js';
import type { SlackSim } from '../sim/slack/index.js';

/** Slack methods Steward calls for every review, with the fault each meets now and then. */
const SLACK_FAULTS: Array<[string, { kind: 'rate_limit' | 'server_error'; status?: number }]> = [
  ['chat.postMessage', { kind: 'rate_limit' }],
  ['chat.update', { kind: 'server_error', status: 503 }],
  ['conversations.open', { kind: 'rate_limit' }],
  ['users.lookupByEmail', { kind: 'server_error', status: 500 }],
  ['views.publish', { kind: 'rate_limit' }],
];

export function armFaults(slack: SlackSim, anthropic: AnthropicSim): { rearm(): void } {
  let n = 0;
  // https://platform.claude.com/docs/en/api/errors: 429 rate_limit_error, 500 api_error.
  anthropic.faults.add({ op: () => ++n % 11 === 0, kind: 'rate_limit', retryAfter: 1, times: Infinity });
  anthropic.faults.add({ op: () => n % 11 === 5 && n % 3 === 0, kind: 'server_error', times: Infinity });
  // Slack's faults fire once each after a few good calls; every move of the clock arms them again.
  const removers: Array<() => void> = [];
  const rearm = () => {
    for (const remove of removers.splice(0)) remove();
    for (const [method, spec] of SLACK_FAULTS)
      removers.push(slack.faults.add(method, { ...spec, retryAfter: 1, after: 2, times: 1 }));
  };
  rearm();
  return { rearm };
}
