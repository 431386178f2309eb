import type { Policy } from '../config/policy.js';
import { ANOMALY_KINDS } from '../domain/findings.js';
import type { Target } from '../domain/target.js';
import type { Owner } from '../domain/evidence.js';
import type { Executor } from '../db/types.js';
import { assemble, ownerFor } from './assemble.js';
import { attachRecentCounts, loadSnapshot } from './load/snapshot.js';
import { loadFindingRows, loadOpenReviewFingerprints } from './load/state.js';
import type { OrgPass } from './org-scope.js';
import { resolutionOf, type ResolutionReason } from './resolution.js';
import type { ResolvedFinding } from './result.js';
import { RULES } from './rules/index.js';
import { suppressionOf, type Suppression } from './suppression.js';
import { targetMatcher } from './target.js';
import type { Detection, Finding } from './types.js';

/** What a pass needs besides its organisation: Slack ids are looked up by the service. */
export interface PassInput {
  ex: Executor;
  policy: Policy;
  now: Date;
  target: Target;
  slackIdsFor: (owners: Owner[]) => Promise<Map<string, string | null>>;
  /** Phase durations, added to across passes. */
  lap: (name: string) => void;
}

export interface StoredRow {
  id: string;
  status: string;
  firstDetectedAt: Date;
}

/** One organisation's outcome, computed and not yet written. */
export interface PassOutcome {
  org: OrgPass;
  kept: Finding[];
  fresh: Finding[];
  reopened: Finding[];
  refreshed: Finding[];
  resolved: ResolvedFinding[];
  suppressed: Suppression[];
  /** This organisation's finding rows for the fingerprints kept, by fingerprint. */
  existing: Map<string, StoredRow>;
  reviewOpen: Set<string>;
}

/**
 * One organisation's pass (issue 17): its snapshot (its directory, its usage, its activity and
 * the org-less activity), every rule over it exactly as in a single-organisation Steward, the
 * target, evidence and owners, suppression, and which of its findings are new, refreshed,
 * reopened or resolved. Nothing is written here.
 */
export async function runPass(input: PassInput, org: OrgPass): Promise<PassOutcome> {
  const { ex, policy, now } = input;
  // An `org:` target chose this pass already; within it, it covers everything.
  const target: Target = input.target.kind === 'org' ? { kind: 'all' } : input.target;
  const { snapshot, suppression, params } = await loadSnapshot(ex, policy, now, target, org.scope, org.name);
  input.lap('load');
  const inTarget = targetMatcher(target, snapshot);
  const detections: Detection[] = [];
  for (const rule of Object.values(RULES))
    for (const d of rule(snapshot, policy, now)) if (inTarget(d.subject)) detections.push(d);
  input.lap('rules');

  await attachRecentCounts(
    ex,
    params,
    snapshot,
    new Set(detections.map((d) => d.activityOf).filter((id): id is string => id !== null)),
  );
  const slackIds = await input.slackIdsFor(detections.map((d) => ownerFor(d, snapshot)));
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
  const orgRef = { id: org.id, name: org.name };
  for (const open of snapshot.openFindings) {
    if (keptFingerprints.has(open.fingerprint) || !inTarget(open.subject)) continue;
    const s = suppressionOf(open, suppression, now);
    const reason: ResolutionReason | null = s
      ? s.by === 'exemption'
        ? 'exempted'
        : 'certified'
      : resolutionOf(open, snapshot, policy, now);
    if (reason)
      resolved.push({
        id: open.id,
        fingerprint: open.fingerprint,
        kind: open.kind,
        subject: open.subject,
        reason,
        org: orgRef,
      });
  }

  // Open rows are in the snapshot already; only the others (new, or resolved before) are looked up.
  const existing = new Map<string, StoredRow>(
    snapshot.openFindings.map((o) => [o.fingerprint, { id: o.id, status: 'open', firstDetectedAt: o.firstDetectedAt }]),
  );
  const notOpen = [...keptFingerprints].filter((fp) => !existing.has(fp));
  for (const [fp, row] of await loadFindingRows(ex, org.id, notOpen)) existing.set(fp, row);
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
  const reviewOpen = await loadOpenReviewFingerprints(ex, org.id, [...keptFingerprints]);
  input.lap('evidence');
  return { org, kept, fresh, reopened, refreshed, resolved, suppressed, existing, reviewOpen };
}
