import type { ReviewDeps } from './deps.js';
import { answerOwnerQuestion, askOwner } from './anomaly.js';
import { decide, type DecideInput } from './decide.js';
import { deliverPending } from './deliver.js';
import { followUp } from './followup.js';
import { claim, reassign } from './handover.js';
import { openReviews } from './open.js';
import { campaignStatus, findingsPage, openReviewsFor } from './queries.js';
import { restore, retryAction } from './restore.js';
import { revokeHolding, type RevokeHoldingInput } from './leaver-items.js';
import { loadSnapshot } from './snapshot.js';
import { preflight, recordRefusal, recordUnknownClick } from './preflight.js';
import type { ReviewOp } from './authorise.js';
import type { Evidence } from '../domain/evidence.js';
import { campaignKeepOptions } from './campaigns/keep.js';

/** The review service: one factory over explicit deps; Slack listeners call these. */
export function createReviewService(deps: ReviewDeps) {
  return {
    /** Open reviews for open findings (optionally only these), then deliver what is pending. */
    async openAndDeliver(opts: { findingIds?: string[] } = {}) {
      const opened = await openReviews(deps, opts);
      const delivered = await deliverPending(deps);
      return { ...opened, ...delivered };
    },
    openReviews: (opts: { findingIds?: string[] } = {}) => openReviews(deps, opts),
    deliverPending: (opts: { limit?: number; concurrency?: number; ids?: string[] } = {}) => deliverPending(deps, opts),
    decide: (input: DecideInput) => decide(deps, input),
    preflight: (input: { itemId: string; actorSlackId: string; op: ReviewOp }) => preflight(deps, input),
    recordRefusal: (input: { itemId: string; actorSlackId: string; op: ReviewOp; why: string }) =>
      recordRefusal(deps, input),
    recordUnknownClick: (input: { actorSlackId: string; action: string; value: string; why: string }) =>
      recordUnknownClick(deps, input),
    reassign: (input: Parameters<typeof reassign>[1]) => reassign(deps, input),
    claim: (input: Parameters<typeof claim>[1]) => claim(deps, input),
    askOwner: (input: { itemId: string; actorSlackId: string }) => askOwner(deps, input),
    answerOwnerQuestion: (input: { itemId: string; actorSlackId: string; answer: 'yes' | 'no' }) =>
      answerOwnerQuestion(deps, input),
    restore: (input: { itemId: string; actorSlackId: string }) => restore(deps, input),
    /** One access of a leaver alert (issue 20). */
    revokeHolding: (input: RevokeHoldingInput) => revokeHolding(deps, input),
    retryAction: (input: { actionId: string; actorSlackId: string }) => retryAction(deps, input),
    followUp: () => followUp(deps),
    status: () => campaignStatus(deps.db, deps.now()),
    findings: (page: number) => findingsPage(deps.db, page),
    openReviewsFor: (slackId: string) => openReviewsFor(deps.db, slackId, deps.policy.policy),
    snapshot: (id: string) => loadSnapshot(deps.db, id, deps.policy.policy),
    /** A campaign item's extra Keep choices (next run, a date), for the Keep modal. */
    keepOptions: (evidence: Pick<Evidence, 'campaign'>) =>
      campaignKeepOptions(evidence, deps.policy.policy, deps.now()),
    isAdmin: (slackId: string) => deps.admins.includes(slackId),
    policy: deps.policy,
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
