import type { FindingKind } from '../domain/findings.js';
import type { Target } from '../domain/target.js';
import type { DeliverResult } from './deliver.js';
import type { OpenResult } from './open.js';

/**
 * What the cycle needs of correlation: a run over a target that reports the findings
 * open after it. The correlation service is one; review does not import it.
 */
export interface FindingSource {
  correlate(options: { target?: Target }): Promise<{
    target: string;
    findings: ReadonlyArray<{ id: string | null; kind: FindingKind }>;
    resolved: readonly unknown[];
    suppressed: readonly unknown[];
  }>;
}

export interface ReviewCycleDeps {
  correlation: FindingSource;
  review: {
    openReviews(opts: { findingIds?: string[] }): Promise<OpenResult>;
    deliverPending(): Promise<DeliverResult>;
  };
}

export interface ReviewCycleOptions {
  /** Whose access (default: everything). */
  target?: Target;
  /**
   * Only findings of these kinds get reviews (the hourly anomaly pass); then nothing is
   * sent when none of them is open, so owner reviews wait for the daily pass.
   */
  only?: ReadonlySet<FindingKind>;
}

export interface ReviewCycleResult {
  /** The target as correlation describes it (`all`, `user:…`). */
  target: string;
  /** Open findings after correlation (of the `only` kinds, when given). */
  findings: number;
  resolved: number;
  /** Findings that hold but are exempted or certified. */
  suppressed: number;
  opened: OpenResult;
  sent: DeliverResult;
}

const NOTHING_SENT: DeliverResult = { delivered: 0, rerouted: 0, failed: 0 };

/**
 * The review cycle: correlate, open a review for every open finding that has none, and
 * send what is pending (DMs to owners, the security channel for the rest). The daily
 * `correlate` job, the hourly anomaly pass, `/steward review` and `steward review` all
 * run this one function.
 */
export async function runReviewCycle(deps: ReviewCycleDeps, opts: ReviewCycleOptions = {}): Promise<ReviewCycleResult> {
  const result = await deps.correlation.correlate(opts.target ? { target: opts.target } : {});
  const findings = opts.only ? result.findings.filter((f) => opts.only!.has(f.kind)) : result.findings;
  const ids = findings.map((f) => f.id).filter((id): id is string => id !== null);
  const opened = await deps.review.openReviews({ findingIds: ids });
  const sent = opts.only && ids.length === 0 ? NOTHING_SENT : await deps.review.deliverPending();
  return {
    target: result.target,
    findings: findings.length,
    resolved: result.resolved.length,
    suppressed: result.suppressed.length,
    opened,
    sent,
  };
}
