/**
 * Forwards the Slack simulator's change feed to the pages: each change is one event, and
 * Slack changes also hint that the organisation panel may have moved (Steward updates its
 * messages after acting on the organisation).
 */
import type { SlackSim } from '../../sim/slack/index.js';
import type { LiveFeed } from './live.js';

export function watchSim(sim: SlackSim, live: LiveFeed, opts: { org: boolean }): () => void {
  return sim.onChange((change) => {
    live.publish({ type: 'slack', change });
    if (opts.org) live.orgChanged();
  });
}
