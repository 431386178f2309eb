import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validate as validCron } from 'node-cron';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { StewardError } from '../domain/errors.js';
import { FINDING_KINDS, SUBJECT_TYPES, type SubjectType } from '../domain/findings.js';

/**
 * The policy file (`STEWARD_POLICY`, YAML or JSON): thresholds, review timing, timeout
 * policy, exemptions, owner overrides, anomaly parameters, schedules. Every field has
 * a default, so Steward runs without one. Unknown keys are errors: a typo must not
 * silently fall back to a default.
 */

const days = (def: number) =>
  z.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(3650).default(def);
const flag = (def = true) => z.boolean().default(def);
const isoDate = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const d = v instanceof Date ? v : new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be a date (YYYY-MM-DD or an ISO 8601 time)' });
    return z.NEVER;
  }
  return d;
});
const cron = z.string().refine((v) => validCron(v), 'must be a valid cron expression (5 or 6 fields)');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as UTC or Europe/Paris');

/** A subject is named by exactly one of these keys. */
const subjectKeys = {
  user: z.string().min(1).optional(),
  api_key: z.string().min(1).optional(),
  service_account: z.string().min(1).optional(),
  invite: z.string().min(1).optional(),
  workspace_member: z.string().min(1).optional(),
};

function oneSubject<T extends Partial<Record<SubjectType, string | undefined>>>(v: T, ctx: z.RefinementCtx): void {
  const named = SUBJECT_TYPES.filter((k) => v[k] !== undefined);
  if (named.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `must name exactly one subject (one of: ${SUBJECT_TYPES.join(', ')})` });
  }
}

const exemption = z
  .strictObject({
    ...subjectKeys,
    finding: z.enum(FINDING_KINDS).optional(),
    reason: z.string().trim().min(3, 'must say why (at least 3 characters)'),
    expires: isoDate,
  })
  .superRefine(oneSubject);

const ownerOverride = z
  .strictObject({
    api_key: z.string().min(1).optional(),
    service_account: z.string().min(1).optional(),
    email: z.email('must be an email address').optional(),
    slack: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (e.g. U0123ABCD)')
      .optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.api_key === undefined) === (v.service_account === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must name exactly one of api_key or service_account' });
    }
    if (v.email === undefined && v.slack === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must give the owner as email, slack, or both' });
    }
  });

/** A Slack user id, as Slack writes them (U… or W…). */
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (e.g. U0123ABCD)');

/** `seats`, `keys`, `admins`, `workspace:<id>` or `all` (issue 16; parsed again in review/campaigns/scope.ts). */
const campaignScope = z
  .string()
  .regex(/^(seats|keys|admins|all|workspace:[A-Za-z0-9_-]+)$/, 'must be seats, keys, admins, workspace:<id> or all');

const campaignSchedule = z.strictObject({
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

export const policySchema = z.strictObject({
  findings: z
    .strictObject({
      dormant_seat: z
        .strictObject({
          enabled: flag(),
          days: days(30),
          /**
           * Whether `*_viewed` activities count as use. The feed records them when the app loads
           * content, possibly in the background, so by default they do not keep a seat from dormancy.
           */
          count_views: z.boolean('must be true or false').default(false),
        })
        .prefault({}),
      dormant_key: z.strictObject({ enabled: flag(), days: days(30) }).prefault({}),
      unowned_key: z.strictObject({ enabled: flag() }).prefault({}),
      stale_admin: z.strictObject({ enabled: flag(), days: days(60) }).prefault({}),
      stale_invite: z.strictObject({ enabled: flag(), days: days(14) }).prefault({}),
      /** Access created after Steward's first complete sync whose creator has not attested it within `attest_days`. */
      unattested_access: z.strictObject({ enabled: flag(), attest_days: days(7) }).prefault({}),
    })
    .prefault({}),
  anomalies: z
    .strictObject({
      /**
       * How far back correlation looks for new anomalies (spikes, grants, unknown actors).
       * A few days covers usage data that lags about a day and a missed daily run.
       */
      lookback_days: days(7),
      usage_spike: z
        .strictObject({
          enabled: flag(),
          /** Daily requests above factor × the trailing mean … */
          factor: z.number().gt(1, 'must be greater than 1').default(5),
          /** … of this many previous days … */
          baseline_days: days(14),
          /** … and above this floor, so a key going from 2 to 20 requests is not an alarm. */
          min_requests: z.number().int().min(0).default(1000),
        })
        .prefault({}),
      activity_after_removal: z.strictObject({ enabled: flag() }).prefault({}),
      dormant_resumed: z.strictObject({ enabled: flag() }).prefault({}),
      privilege_grant: z.strictObject({ enabled: flag() }).prefault({}),
      unknown_actor: z.strictObject({ enabled: flag() }).prefault({}),
      /** A person matched to Slack before whose Slack account is deactivated or gone, still holding access. */
      leaver: z.strictObject({ enabled: flag() }).prefault({}),
      /** A key Steward deactivated on a decision, set back to active by someone else. */
      revocation_undone: z.strictObject({ enabled: flag() }).prefault({}),
    })
    .prefault({}),
  review: z
    .strictObject({
      due_days: days(7),
      /** Days after a review opens on which its reviewer is reminded (batched per reviewer). */
      reminder_days: z.array(z.number().int().min(1)).max(10).default([3, 6]),
      /** What happens when the due date passes without a decision. */
      timeout: z.enum(['escalate', 'revoke', 'none']).default('escalate'),
      keep_days: z
        .array(z.number().int().min(1).max(3650))
        .min(1, 'must offer at least one duration')
        .max(5)
        .default([30, 90, 180]),
      /**
       * `revoke`: decisions call the Admin API. `notify`: the whole flow runs and people are
       * told, but nothing is revoked ("not revoked, recorded"), for teams starting gently.
       */
      actions: z.enum(['revoke', 'notify']).default('revoke'),
      /** How long a deactivated key can be restored from its message. */
      restore_grace_days: days(7),
      /** Anthropic users → Slack users cache lifetime. */
      slack_lookup_ttl_hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(24),
    })
    .prefault({}),
  exemptions: z.array(exemption).default([]),
  owners: z.array(ownerOverride).default([]),
  schedule: z
    .strictObject({
      timezone: timeZone.default('UTC'),
      sync: cron.default('0 * * * *'),
      correlate: cron.default('30 8 * * *'),
      reminders: cron.default('0 10 * * *'),
      /** Posts the audit chain's head to the security channel, a witness outside the database. */
      audit_witness: cron.default('55 23 * * *'),
    })
    .prefault({}),
  sync: z
    .strictObject({
      /** How far back the first sync reads the Compliance activity feed. */
      activity_backfill_days: days(365),
      /**
       * Each incremental feed pass re-reads this many minutes before the last one's end,
       * so activities indexed late are still caught (duplicates are dropped by id).
       */
      activity_overlap_minutes: z
        .number()
        .int('must be a whole number of minutes')
        .min(1, 'must be at least 1 minute')
        .max(1440)
        .default(10),
      /** How far back the first sync reads key usage and seat activity (the API keeps at most 365 days). */
      usage_backfill_days: days(365),
      /** Recent days of usage re-read on every sync, because the API revises them. */
      usage_refresh_days: days(7),
      /**
       * The mass-change brake: a listing that would mark more than `percent` of its known
       * rows removed, and at least `at_least` of them, applies no removals until an admin accepts.
       */
      removal_brake: z
        .strictObject({
          percent: z.number().min(0).max(100).default(20),
          at_least: z.number().int().min(1).default(5),
        })
        .prefault({}),
      /**
       * Share of the organisation's Compliance API rate limit (600 requests a minute, shared by every
       * reader of the feed) Steward takes per window, leaving the rest to others such as a SIEM.
       */
      feed_rate_share: z
        .number('must be a number')
        .gt(0, 'must be more than 0')
        .max(1, 'must be at most 1 (the whole budget)')
        .default(0.5),
    })
    .prefault({}),
  /** Joiner–mover–leaver (issue 20): attestation at creation, leavers. */
  lifecycle: z
    .strictObject({
      /** Ask whoever creates a key or grants an admin role to attest it (purpose, business owner, end date). */
      attest: flag(),
      /**
       * Access that existed before Steward's first complete sync is not attested, unless this
       * is above 0: then that many existing accesses a day are (campaigns cover the rest).
       */
      attest_existing_per_day: z.number().int().min(0).max(1000).default(0),
      /** A leaver's access: `alert` the security channel (Revoke all), or `revoke` it all and then alert. */
      leaver: z.enum(['alert', 'revoke']).default('alert'),
    })
    .prefault({}),
  /** Certification campaigns opened on a schedule (issue 16); `/steward campaign start` opens one by hand. */
  campaigns: z.array(campaignSchedule).max(20).default([]),
  /** Who certifies what in a campaign, and what closing does with what is left. */
  certification: z
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
    .prefault({}),
  /**
   * Claude assist (issue 18), used only when STEWARD_ASSIST=claude and ANTHROPIC_API_KEY
   * are set: which model, how many calls a day, and how long anything may wait for it.
   */
  assist: z
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
    .prefault({}),
});

export type Policy = z.infer<typeof policySchema>;

export interface LoadedPolicy {
  policy: Policy;
  /** Content hash of the effective policy (defaults applied), recorded with every audit row. */
  version: string;
  /** Where it came from: a path, or `defaults`. */
  source: string;
}

export class PolicyError extends StewardError {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super('policy_invalid', message, { retry: false, details: { problems } });
    this.name = 'PolicyError';
  }
}

export function defaultPolicy(): LoadedPolicy {
  return withVersion(policySchema.parse({}), 'defaults');
}

/** Parses policy text (YAML, which includes JSON). `source` names it in messages. */
export function parsePolicy(text: string, source: string): LoadedPolicy {
  let doc: unknown;
  try {
    // An alias bomb (a few lines expanding to millions of nodes) is refused by the alias limit.
    doc = text.trim() === '' ? {} : parseYaml(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    const reason = String((err as Error).message)
      .split('\n')[0]!
      .replace(/ at line \d+, column \d+:?$/, '');
    throw new PolicyError(`The policy file ${source} is not valid YAML or JSON${where}: ${reason}.`, [reason]);
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new PolicyError(`The policy file ${source} must be a mapping of settings at the top level.`, []);
  }
  const parsed = policySchema.safeParse(doc);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${describeIssue(i)}`,
    );
    throw new PolicyError(
      `The policy file ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      problems,
    );
  }
  return withVersion(parsed.data, source);
}

export function loadPolicy(path: string | undefined): LoadedPolicy {
  if (!path) return defaultPolicy();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyError(
      `The policy file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
      [],
    );
  }
  return parsePolicy(text, path);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type')
    return `must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}`;
  if (issue.code === 'invalid_value' && 'values' in issue)
    return `must be one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

function withVersion(policy: Policy, source: string): LoadedPolicy {
  return { policy, source, version: createHash('sha256').update(canonicalJson(policy)).digest('hex').slice(0, 16) };
}

/** Stable JSON: object keys sorted, dates as ISO strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
