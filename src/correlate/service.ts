import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import type { LoadedPolicy } from '../config/policy.js';
import type { FindingKind } from '../domain/findings.js';
import { correlationPasses, identifiedOrganizations } from './org-scope.js';
import { unknownPolicyOrgs } from './policy-orgs.js';
import { runAuditDetails } from './run-audit.js';
import type { Db } from '../db/types.js';
import type { Logger } from '../log.js';
import { runPass, type PassInput, type PassOutcome } from './pass.js';
import { insertFindings, refreshFindings, resolveFindings } from './persist.js';
import type { CorrelatedFinding, CorrelationResult } from './result.js';
import { RULES } from './rules/index.js';
import { normaliseEmail, readSlackCache, type SlackUserLookup } from './slack-identity.js';
import { describeTarget, type Target } from '../domain/target.js';
import type { Finding } from './types.js';
import type { Owner } from '../domain/evidence.js';
import type { Clock } from '../domain/clock.js';

export interface CorrelationDeps {
  db: Db;
  logger: Logger;
  policy: LoadedPolicy;
  now: Clock;
  /**
   * Resolves owners' Slack ids that the cache does not hold (wrap it in
   * `cachedSlackLookup`). Without it, correlation uses cached ids only and leaves the
   * rest for review assignment. Never called in a dry run.
   */
  slack?: SlackUserLookup;
}

export interface CorrelateOptions {
  /** Compute everything, write nothing (not even the audit row). */
  dryRun?: boolean;
  target?: Target;
}

export type { CorrelatedFinding, CorrelationResult, OrgRef, ResolvedFinding } from './result.js';

export interface CorrelationService {
  correlate(options?: CorrelateOptions): Promise<CorrelationResult>;
}

// Serialises the write phase of concurrent runs (replicas, CLI next to the service).
const CORRELATE_LOCK = 0x5737_c0e1;

/**
 * Correlation: one pass per organisation (`pass.ts`: load its snapshot, run every rule, keep
 * what the target covers, attach evidence and owners, drop what is exempted or certified),
 * then, in one transaction, upsert each organisation's findings by fingerprint and resolve its
 * open ones that no longer hold, with one audit row for the run.
 *
 * Suppressed findings are not stored: the exemption or certification is the record,
 * and when it lapses the finding is created (or reopened) and reviewed again. An open
 * finding that becomes suppressed is resolved as `exempted` or `certified`.
 */
export function createCorrelationService(deps: CorrelationDeps): CorrelationService {
  const clock = deps.now;
  const log = deps.logger.child({ job: 'correlate' });

  return {
    async correlate(options = {}) {
      const started = performance.now();
      // Phase durations (summed over the passes) go to the log line, so a slow run says where its time went.
      const phases: Record<string, number> = {};
      let mark = started;
      const lap = (name: string) => {
        const t = performance.now();
        phases[name] = (phases[name] ?? 0) + Math.round(t - mark);
        mark = t;
      };
      const now = clock();
      const dryRun = options.dryRun ?? false;
      const target = options.target ?? { kind: 'all' };
      const policy = deps.policy.policy;

      // Issue 17: one pass per organisation, each over that organisation's world only.
      const passes = await correlationPasses(deps.db, target);
      const ttl = policy.review.slack_lookup_ttl_hours;
      const input: PassInput = {
        ex: deps.db,
        policy,
        now,
        target,
        slackIdsFor: (owners) => slackIdsFor(deps, owners, ttl, now, dryRun),
        lap,
      };
      const outcomes: PassOutcome[] = [];
      for (const pass of passes) outcomes.push(await runPass(input, pass));

      let insertedIds = new Map<PassOutcome, Map<string, string>>();
      if (!dryRun) {
        insertedIds = await deps.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(${CORRELATE_LOCK})`);
          const ids = new Map<PassOutcome, Map<string, string>>();
          for (const o of outcomes) {
            ids.set(o, await insertFindings(tx, o.org.id, o.fresh, now));
            await refreshFindings(tx, o.org.id, o.refreshed, now, false);
            await refreshFindings(tx, o.org.id, o.reopened, now, true);
            await resolveFindings(tx, o.resolved, now);
          }
          await appendAudit(tx, {
            actor: { type: 'system', job: 'correlate' },
            action: 'correlate.completed',
            outcome: 'succeeded',
            at: now,
            policyVersion: deps.policy.version,
            details: runAuditDetails(target, outcomes),
          });
          return ids;
        });
        lap('write');
      }

      const findings = outcomes.flatMap((o) => correlatedFindings(o, insertedIds.get(o), now));
      findings.sort(
        (a, b) =>
          order(a) - order(b) ||
          (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0) ||
          (a.org.id < b.org.id ? -1 : 1),
      );
      const orgOf = (o: PassOutcome) => ({ id: o.org.id, name: o.org.name });
      const result: CorrelationResult = {
        runAt: now.toISOString(),
        dryRun,
        target: describeTarget(target),
        policyVersion: deps.policy.version,
        organizations: outcomes.map(orgOf),
        findings,
        opened: outcomes.flatMap((o) => [...o.fresh, ...o.reopened].map((f) => f.fingerprint)),
        refreshed: outcomes.flatMap((o) => o.refreshed.map((f) => f.fingerprint)),
        resolved: outcomes.flatMap((o) => o.resolved),
        suppressed: outcomes.flatMap((o) => o.suppressed.map((s) => ({ ...s, org: orgOf(o) }))),
        notices: unknownPolicyOrgs(policy, await identifiedOrganizations(deps.db)),
      };
      for (const notice of result.notices) log.warn({ notice }, 'policy entry names an unknown organisation');
      log.info(
        {
          dryRun,
          target: result.target,
          organizations: outcomes.length,
          findings: findings.length,
          opened: result.opened.length,
          refreshed: result.refreshed.length,
          resolved: result.resolved.length,
          suppressed: result.suppressed.length,
          ms: Math.round(performance.now() - started),
          phases,
        },
        'correlation finished',
      );
      return result;
    },
  };
}

/** A pass's findings as the run reports them: with their row, state, organisation and review. */
function correlatedFindings(o: PassOutcome, inserted: Map<string, string> | undefined, now: Date): CorrelatedFinding[] {
  const stateOf = new Map<Finding, CorrelatedFinding['state']>();
  for (const f of o.fresh) stateOf.set(f, 'new');
  for (const f of o.reopened) stateOf.set(f, 'reopened');
  for (const f of o.refreshed) stateOf.set(f, 'open');
  return [...stateOf].map(([f, state]) => {
    const row = o.existing.get(f.fingerprint);
    return {
      ...f,
      id: inserted?.get(f.fingerprint) ?? row?.id ?? null,
      org: { id: o.org.id, name: o.org.name },
      state,
      firstDetectedAt: (state === 'open' && row ? row.firstDetectedAt : now).toISOString(),
      hasOpenReview: o.reviewOpen.has(f.fingerprint),
    };
  });
}

const KIND_ORDER = Object.keys(RULES) as FindingKind[];
const order = (f: Finding) => KIND_ORDER.indexOf(f.kind);

/**
 * Slack ids for owners who have an email but no id from an override or claim: from the
 * cache, then (outside dry runs, when a lookup is wired) from Slack for the rest.
 */
async function slackIdsFor(
  deps: CorrelationDeps,
  owners: Owner[],
  ttlHours: number,
  now: Date,
  dryRun: boolean,
): Promise<Map<string, string | null>> {
  const emails = new Set<string>();
  for (const o of owners) if (o.email && !o.slackId) emails.add(normaliseEmail(o.email));
  const ids = await readSlackCache(deps.db, emails, ttlHours, now);
  if (deps.slack?.lookupMany && !dryRun) {
    const missing = [...emails].filter((e) => !ids.has(e));
    try {
      if (missing.length > 0) for (const [e, id] of await deps.slack.lookupMany(missing)) ids.set(e, id);
    } catch (err) {
      deps.logger.warn({ err, job: 'correlate' }, 'Slack lookup failed; owners left without a Slack id');
    }
  } else if (deps.slack && !dryRun) {
    for (const email of emails) {
      if (ids.has(email)) continue;
      try {
        ids.set(email, await deps.slack.lookupByEmail(email));
      } catch (err) {
        // Unresolved now is not fatal: review assignment looks the owner up again.
        deps.logger.warn({ err, job: 'correlate' }, 'Slack lookup failed; owner left without a Slack id');
      }
    }
  }
  return ids;
}
