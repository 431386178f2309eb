import { parseArgs } from 'node:util';
import { loadPolicy } from '../../config/index.js';
import { parseTarget } from '../../domain/target.js';
import { wireServices } from '../../steward.js';
import { UsageError, type CliCommand } from '../types.js';

const USAGE = `steward review [--target <all | user:<id> | email:<address> | key:<id> | workspace:<id>>]

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
    const config = ctx.config(['slack', 'anthropic', 'security']);
    const policy = loadPolicy(config.policyPath);
    const database = await ctx.database(config);
    const services = wireServices(config, ctx.logger(config), database, policy);
    const result = await services.correlation.correlate({ target });
    const opened = await services.review.openReviews({
      findingIds: result.findings.map((f) => f.id).filter((id): id is string => id !== null),
    });
    const sent = await services.review.deliverPending();
    ctx.io.out(
      `${result.target}: ${result.findings.length} open finding(s), ${result.suppressed.length} exempted or certified; ` +
        `${opened.created} new review(s) (${opened.toOwners} to owners, ${opened.toSecurityChannel} to the security channel); ` +
        `${sent.delivered + sent.rerouted} sent, ${sent.failed} left pending for the next run.`,
    );
    await services.outbox.stop();
    return sent.failed > 0 ? 1 : 0;
  },
};
