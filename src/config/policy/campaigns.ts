import { z } from 'zod';
import { cron, days, slackUserId } from './fields.js';

/** `seats`, `keys`, `admins`, `workspace:<id>` or `all` (issue 16; parsed again in review/campaigns/scope.ts). */
const campaignScope = z
  .string()
  .regex(
    /^(seats|keys|admins|all|workspace:[A-Za-z0-9_-]+|org:\S{1,200})$/,
    'must be seats, keys, admins, workspace:<id>, org:<id or name> or all',
  );

export const campaignSchedule = z.strictObject({
  scope: campaignScope,
  /** When a new campaign of this scope opens. */
  cron,
  /** Days reviewers have to decide. */
  due_days: days(14),
  /**
   * Two-level review (issue 16): after the reviewer decides, this person (a Slack id) or
   * one of the Steward `admins` confirms or overrides; for every campaign of this scope.
   */
  approver: z.union([z.literal('admins'), slackUserId]).optional(),
});

/** Who certifies what in a campaign, and what closing does with what is left. */
export const certificationSection = z
  .strictObject({
    /** Second reviewers for privileged access (admin and owner roles, workspace admins); default: Steward admins. */
    privileged_reviewers: z.array(slackUserId).max(50).default([]),
    /** A workspace's seats and keys go to these reviewers instead of their owners. */
    workspace_reviewers: z
      .array(z.strictObject({ workspace: z.string().min(1), reviewers: z.array(slackUserId).min(1).max(50) }))
      .default([]),
    /** What `/steward campaign close <id>` does with undecided items when it names nothing. */
    close: z.enum(['skip', 'revoke', 'escalate']).default('skip'),
  })
  .prefault({});
