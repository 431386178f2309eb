import { parseArgs } from 'node:util';
import { parseTarget } from '../../domain/target.js';
import { runReviewCycle } from '../../review/cycle.js';
import { UsageError, type CliCommand } from '../types.js';

const USAGE = `steward review [--target <all | user:<id> | email:<address> | key:<id> | workspace:<id> | org:<id or name>>]

Correlates (no sync first: run \`steward sync\` for fresh data), opens a review for
every open finding of the target that has none, and sends them: DMs to owners, the
security channel for the rest. Prints what was sent. Same as /steward review in Slack.`;

export const reviewCommand: CliCommand = {
  name: 'review',
  summary: 'open and send reviews now for everything, or one person, key or workspace',
  usage: USAGE,
  async run(args, ctx) {
    let values: { target?: string | undefined };
    try {
      ({ values } = parseArgs({ args, options: { target: { type: 'string' } }, allowPositionals: false }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const target = parseTarget(values.target ?? 'all');
    const { services } = await ctx.steward(['slack', 'anthropic', 'security']);
    const { opened, sent, ...cycle } = await runReviewCycle(services, { target });
    ctx.io.out(
      `${cycle.target}: ${cycle.findings} open finding(s), ${cycle.suppressed} exempted or certified; ` +
        `${opened.created} new review(s) (${opened.toOwners} to owners, ${opened.toSecurityChannel} to the security channel); ` +
        `${sent.delivered + sent.rerouted} sent, ${sent.failed} left pending for the next run.`,
    );
    return sent.failed > 0 ? 1 : 0;
  },
};
