import type { Policy } from '../../config/policy.js';
import type { Evidence } from '../../domain/evidence.js';
import { addDays } from '../timing.js';
import { localDate, nextRunAfter, zonedTime } from './next-run.js';

/**
 * How long a Keep in a campaign certifies (issue 16), pure: besides the policy's
 * `review.keep_days`, "until the campaign's next run" (the next tick of the policy's
 * schedule for the campaign's scope; not offered when the scope has no schedule) or
 * "until a chosen date" (through that day in the policy's time zone, from tomorrow up
 * to the longest `keep_days`, so a date cannot certify longer than a duration could).
 */

export interface CampaignKeepOptions {
  /** The next scheduled campaign of this scope, if the policy schedules one. */
  nextRun: Date | null;
  /** The earliest and latest dates a reviewer may choose (YYYY-MM-DD, policy time zone). */
  earliestDate: string;
  latestDate: string;
}

/** The extra Keep choices a campaign item offers; null for reviews outside campaigns. */
export function campaignKeepOptions(
  evidence: Pick<Evidence, 'campaign'> | null | undefined,
  policy: Policy,
  now: Date,
): CampaignKeepOptions | null {
  const scope = evidence?.campaign?.scope;
  if (!scope) return null;
  const tz = policy.schedule.timezone;
  const runs = policy.campaigns
    .filter((c) => c.scope === scope)
    .map((c) => nextRunAfter(c.cron, tz, now))
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime());
  return {
    nextRun: runs[0] ?? null,
    earliestDate: localDate(addDays(now, 1), tz),
    latestDate: localDate(addDays(now, Math.max(...policy.review.keep_days)), tz),
  };
}

export type KeepChoice = { kind: 'days'; days: number } | { kind: 'next_run' } | { kind: 'date'; date: string };

/** A modal's duration value: a number of days, `next_run` or `date` (with the date picked). */
export function parseKeepChoice(value: string | null | undefined, date: string | null | undefined): KeepChoice | null {
  if (value === 'next_run') return { kind: 'next_run' };
  if (value === 'date') return { kind: 'date', date: date ?? '' };
  const days = Number(value);
  return value && Number.isInteger(days) ? { kind: 'days', days } : null;
}

export type KeepUntil = { until: Date } | { error: string; field: 'duration' | 'date' };

/** When a Keep ends, or why the choice is not allowed for this review (checked again at decision time). */
export function certifyUntil(
  choice: KeepChoice,
  options: CampaignKeepOptions | null,
  policy: Policy,
  now: Date,
): KeepUntil {
  const durations = `Keep for one of: ${policy.review.keep_days.join(', ')} days.`;
  if (choice.kind === 'days')
    return policy.review.keep_days.includes(choice.days)
      ? { until: addDays(now, choice.days) }
      : { error: durations, field: 'duration' };
  if (!options) return { error: `${durations} (Other choices are for campaign items.)`, field: 'duration' };
  if (choice.kind === 'next_run')
    return options.nextRun
      ? { until: options.nextRun }
      : { error: `This campaign's scope has no schedule, so there is no next run. ${durations}`, field: 'duration' };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(choice.date);
  if (!m) return { error: 'Choose the date the certification runs until.', field: 'date' };
  if (choice.date < options.earliestDate || choice.date > options.latestDate)
    return {
      error: `Choose a date from ${options.earliestDate} to ${options.latestDate} (at most ${Math.max(...policy.review.keep_days)} days).`,
      field: 'date',
    };
  // Through the chosen day: until the start of the next one, in the policy's time zone.
  return {
    until: new Date(zonedTime(Number(m[1]), Number(m[2]), Number(m[3]) + 1, 0, 0, 0, policy.schedule.timezone)),
  };
}
