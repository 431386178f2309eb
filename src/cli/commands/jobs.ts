import { desc, eq } from 'drizzle-orm';
import { jobRuns } from '../../db/schema/index.js';
import { runJob } from '../../jobs/run-job.js';
import { UsageError, type CliCommand } from '../types.js';

const USAGE = `steward jobs list
steward jobs run <sync|correlate|reminders|audit_witness>

list   the scheduled jobs, their cron expressions (policy file) and their last runs
run    runs one job now, exactly as the scheduler would: if another replica is running
       it, this run is skipped (exit 0 with a note). Exit 1 if the job fails.`;

export const jobsCommand: CliCommand = {
  name: 'jobs',
  summary: 'list the scheduled jobs, or run one now',
  usage: USAGE,
  async run(args, ctx) {
    const [sub, name, ...rest] = args;
    if (sub !== 'list' && sub !== 'run') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'say list or run');
    if (rest.length) throw new UsageError(`unexpected argument ${rest[0]}`);
    const { policy, database, logger, services } = await ctx.steward(
      sub === 'run' ? ['slack', 'anthropic', 'security'] : [],
    );
    if (sub === 'list') {
      for (const job of services.jobs) {
        const [last] = await database.db
          .select()
          .from(jobRuns)
          .where(eq(jobRuns.job, job.name))
          .orderBy(desc(jobRuns.startedAt))
          .limit(1);
        const lastRun = last
          ? `last ${last.status} ${last.startedAt.toISOString()}${last.finishedAt ? ` (${((last.finishedAt.getTime() - last.startedAt.getTime()) / 1000).toFixed(1)} s)` : ''}`
          : 'never run';
        ctx.io.out(`${job.name.padEnd(13)} "${job.schedule}" (${policy.policy.schedule.timezone})  ${lastRun}`);
      }
      ctx.io.out('outbox        continuous on every replica');
      return 0;
    }
    const job = services.jobs.find((j) => j.name === name);
    if (!job)
      throw new UsageError(`unknown job "${name ?? ''}": one of ${services.jobs.map((j) => j.name).join(', ')}`);
    const outcome = await runJob({ database, logger, policyVersion: policy.version, now: ctx.now }, job);
    // The outbox may have work from this run (e.g. timeout revocations): run it to completion here.
    if (outcome.status === 'succeeded') await services.outbox.drain();
    switch (outcome.status) {
      case 'succeeded':
        ctx.io.out(
          `${job.name}: done in ${outcome.seconds.toFixed(1)} s — ${Object.entries(outcome.counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        );
        return 0;
      case 'skipped':
        ctx.io.out(
          `${job.name}: skipped, ${outcome.reason === 'running_elsewhere' ? 'another replica is running it' : 'this tick already ran'}.`,
        );
        return 0;
      case 'failed':
        ctx.io.err(`${job.name} failed: ${outcome.error}`);
        return 1;
    }
  },
};
