import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/append.js';
import type { LoadedPolicy } from '../config/policy.js';
import { ANOMALY_KINDS, type FindingKind, type Subject } from '../domain/findings.js';
import { orgScope } from './org-scope.js';
import { runAuditDetails } from './run-audit.js';
import type { Db } from '../db/types.js';
import type { Logger } from '../log.js';
import { assemble, ownerFor } from './assemble.js';
import { attachRecentCounts, loadSnapshot } from './load/snapshot.js';
import { loadFindingRows, loadOpenReviewFingerprints } from './load/state.js';
import { insertFindings, refreshFindings, resolveFindings } from './persist.js';
import { resolutionOf, type ResolutionReason } from './resolution.js';
import { RULES } from './rules/index.js';
import { normaliseEmail, readSlackCache, type SlackUserLookup } from './slack-identity.js';
import { suppressionOf, type Suppression } from './suppression.js';
import { targetMatcher } from './target.js';
import { describeTarget, type Target } from '../domain/target.js';
import type { Detection, Finding } from './types.js';
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

export interface CorrelatedFinding extends Finding {
  /** The stored finding's id; null in a dry run for a finding not stored yet. */
  id: string | null;
  /** `new` (first time), `open` (already open, refreshed) or `reopened` (held again after resolving). */
  state: 'new' | 'open' | 'reopened';
  firstDetectedAt: string;
  /** A review item for this fingerprint is already pending or open: do not open another. */
  hasOpenReview: boolean;
}

export interface ResolvedFinding {
  id: string;
  fingerprint: string;
  kind: FindingKind;
  subject: Subject;
  reason: ResolutionReason;
}

export interface CorrelationResult {
  runAt: string;
  dryRun: boolean;
  target: string;
  policyVersion: string;
  /** Every finding that holds now and is not suppressed, i.e. open after the run. */
  findings: CorrelatedFinding[];
  /** Fingerprints opened this run (new or reopened). */
  opened: string[];
  /** Fingerprints that were open and got fresh evidence. */
  refreshed: string[];
  resolved: ResolvedFinding[];
  /** Findings that hold but are exempted or certified: not stored, not reviewed. */
  suppressed: Suppression[];
}

export interface CorrelationService {
  correlate(options?: CorrelateOptions): Promise<CorrelationResult>;
}

// Serialises the write phase of concurrent runs (replicas, CLI next to the service).
const CORRELATE_LOCK = 0x5737_c0e1;

/**
 * Correlation: load the snapshot, run every rule, keep what the target covers, attach
 * evidence and owners, drop what is exempted or certified, then upsert findings by
 * fingerprint and resolve open ones that no longer hold, with one audit row per run.
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
      // Phase durations go to the log line, so a slow run says where its time went.
      const phases: Record<string, number> = {};
      let mark = started;
      const lap = (name: string) => {
        const t = performance.now();
        phases[name] = Math.round(t - mark);
        mark = t;
      };
      const now = clock();
      const dryRun = options.dryRun ?? false;
      const target = options.target ?? { kind: 'all' };
      const policy = deps.policy.policy;

      // `org:<id or name>` (issue 17): the whole snapshot, kept to that organisation's subjects.
      const inOrg = await orgScope(deps.db, target);
      const { snapshot, suppression } = await loadSnapshot(deps.db, policy, now, inOrg ? { kind: 'all' } : target);
      lap('load');
      const inTarget = inOrg ?? targetMatcher(target, snapshot);
      const detections: Detection[] = [];
      for (const rule of Object.values(RULES))
        for (const d of rule(snapshot, policy, now)) if (inTarget(d.subject)) detections.push(d);

      lap('rules');
      await attachRecentCounts(
        deps.db,
        snapshot,
        new Set(detections.map((d) => d.activityOf).filter((id): id is string => id !== null)),
      );
      const owners = detections.map((d) => ownerFor(d, snapshot));
      const slackIds = await slackIdsFor(deps, owners, policy.review.slack_lookup_ttl_hours, now, dryRun);
      const produced = detections.map((d) => assemble(d, snapshot, slackIds, now));

      const kept: Finding[] = [];
      const suppressed: Suppression[] = [];
      for (const f of produced) {
        const s = suppressionOf(f, suppression, now);
        if (s) suppressed.push(s);
        else kept.push(f);
      }
      const keptFingerprints = new Set(kept.map((f) => f.fingerprint));

      const resolved: ResolvedFinding[] = [];
      for (const open of snapshot.openFindings) {
        if (keptFingerprints.has(open.fingerprint) || !inTarget(open.subject)) continue;
        const s = suppressionOf(open, suppression, now);
        const reason: ResolutionReason | null = s
          ? s.by === 'exemption'
            ? 'exempted'
            : 'certified'
          : resolutionOf(open, snapshot, policy, now);
        if (reason)
          resolved.push({ id: open.id, fingerprint: open.fingerprint, kind: open.kind, subject: open.subject, reason });
      }

      // Open rows are in the snapshot already; only the others (new, or resolved before) are looked up.
      const existing = new Map(
        snapshot.openFindings.map((o) => [
          o.fingerprint,
          { id: o.id, status: 'open', firstDetectedAt: o.firstDetectedAt },
        ]),
      );
      const notOpen = [...keptFingerprints].filter((fp) => !existing.has(fp));
      for (const [fp, row] of await loadFindingRows(deps.db, notOpen)) existing.set(fp, row);
      const fresh: Finding[] = [];
      const reopened: Finding[] = [];
      const refreshed: Finding[] = [];
      for (const f of kept) {
        const row = existing.get(f.fingerprint);
        if (!row) fresh.push(f);
        else if (row.status === 'open') refreshed.push(f);
        // A handled anomaly stays handled; a state that holds again is a new episode.
        else if (!ANOMALY_KINDS.has(f.kind)) reopened.push(f);
      }
      const reviewOpen = await loadOpenReviewFingerprints(deps.db, [...keptFingerprints]);
      lap('evidence');

      let insertedIds = new Map<string, string>();
      if (!dryRun) {
        insertedIds = await deps.db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(${CORRELATE_LOCK})`);
          const ids = await insertFindings(tx, fresh, now);
          await refreshFindings(tx, refreshed, now, false);
          await refreshFindings(tx, reopened, now, true);
          await resolveFindings(tx, resolved, now);
          await appendAudit(tx, {
            actor: { type: 'system', job: 'correlate' },
            action: 'correlate.completed',
            outcome: 'succeeded',
            at: now,
            policyVersion: deps.policy.version,
            details: runAuditDetails(target, kept, fresh, reopened, refreshed, resolved, suppressed),
          });
          return ids;
        });
        lap('write');
      }

      const stateOf = new Map<Finding, CorrelatedFinding['state']>();
      for (const f of fresh) stateOf.set(f, 'new');
      for (const f of reopened) stateOf.set(f, 'reopened');
      for (const f of refreshed) stateOf.set(f, 'open');
      const findings: CorrelatedFinding[] = [...stateOf].map(([f, state]) => {
        const row = existing.get(f.fingerprint);
        return {
          ...f,
          id: insertedIds.get(f.fingerprint) ?? row?.id ?? null,
          state,
          firstDetectedAt: (state === 'open' && row ? row.firstDetectedAt : now).toISOString(),
          hasOpenReview: reviewOpen.has(f.fingerprint),
        };
      });
      findings.sort((a, b) => order(a) - order(b) || (a.fingerprint < b.fingerprint ? -1 : 1));

      const result: CorrelationResult = {
        runAt: now.toISOString(),
        dryRun,
        target: describeTarget(target),
        policyVersion: deps.policy.version,
        findings,
        opened: [...fresh, ...reopened].map((f) => f.fingerprint),
        refreshed: refreshed.map((f) => f.fingerprint),
        resolved,
        suppressed,
      };
      log.info(
        {
          dryRun,
          target: result.target,
          findings: findings.length,
          opened: result.opened.length,
          refreshed: result.refreshed.length,
          resolved: resolved.length,
          suppressed: suppressed.length,
          ms: Math.round(performance.now() - started),
          phases,
        },
        'correlation finished',
      );
      return result;
    },
  };
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
