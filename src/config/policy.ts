import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { StewardError } from '../domain/errors.js';
import { assistSection } from './policy/assist.js';
import { campaignSchedule, certificationSection } from './policy/campaigns.js';
import { anomaliesSection, findingsSection } from './policy/findings.js';
import { reviewSection, scheduleSection } from './policy/review.js';
import { exemption, ownerOverride } from './policy/subjects.js';
import { lifecycleSection, syncSection } from './policy/sync.js';

/**
 * The policy file (`STEWARD_POLICY`, YAML or JSON): thresholds, review timing, timeout
 * policy, exemptions, owner overrides, anomaly parameters, schedules. Every field has
 * a default, so Steward runs without one. Unknown keys are errors: a typo must not
 * silently fall back to a default. Each section's schema lives in `policy/`.
 */

export const policySchema = z.strictObject({
  findings: findingsSection,
  anomalies: anomaliesSection,
  review: reviewSection,
  exemptions: z.array(exemption).default([]),
  owners: z.array(ownerOverride).default([]),
  schedule: scheduleSection,
  sync: syncSection,
  lifecycle: lifecycleSection,
  /** Certification campaigns opened on a schedule (issue 16); `/steward campaign start` opens one by hand. */
  campaigns: z.array(campaignSchedule).max(20).default([]),
  certification: certificationSection,
  assist: assistSection,
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
