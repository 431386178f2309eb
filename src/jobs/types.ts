import type { Logger } from '../log.js';

/** `campaign:<scope>`: a certification campaign the policy schedules (issue 16). */
export type JobName = 'sync' | 'correlate' | 'reminders' | 'audit_witness' | `campaign:${string}`;

/** What a job run gets: a logger scoped to the run, the tick it belongs to, a stop signal. */
export interface JobContext {
  logger: Logger;
  /** The cron tick (null when run by hand). */
  scheduledFor: Date | null;
  signal: AbortSignal;
}

export interface Job {
  name: JobName;
  /** Cron expression, from the policy. */
  schedule: string;
  run(ctx: JobContext): Promise<Record<string, number>>;
}
