import type { ReviewSnapshot } from './snapshot.js';

export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * How the review service talks to people. The Slack adapter implements it; the service
 * never imports Slack. Every method renders from a snapshot of stored state.
 */
export interface ReviewNotifier {
  /** First delivery: a DM to the assignee or a post in the security channel. */
  deliver(review: ReviewSnapshot): Promise<MessageRef>;
  /** Re-render the review's message(s) in place from its current state. */
  refresh(review: ReviewSnapshot): Promise<void>;
  /** The old message of a review that moved to someone else. */
  handedOver(
    ref: MessageRef,
    review: ReviewSnapshot,
    from: { bySlackId: string; how: 'reassigned' | 'claimed' | 'approval' },
  ): Promise<void>;
  /** One message per reviewer listing their open reviews that need attention. */
  remind(slackUserId: string, reviews: ReviewSnapshot[]): Promise<void>;
  /** An overdue review, posted to the security channel. */
  escalate(review: ReviewSnapshot): Promise<MessageRef>;
  /** "Was this you?" to the owner of an anomaly. */
  askOwner(review: ReviewSnapshot, ownerSlackId: string): Promise<MessageRef>;
  /** A line in the thread of the review's message (the security alert). */
  threadReply(ref: MessageRef, text: string): Promise<void>;
}
