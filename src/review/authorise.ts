import type { Presentation } from './presentation.js';

export type ReviewOp = 'keep' | 'revoke' | 'not_mine' | 'acknowledge' | 'claim' | 'ask_owner' | 'restore' | 'answer';

export interface AuthorisationInput {
  op: ReviewOp;
  presentation: Presentation;
  /** From the stored review, never from the payload. */
  assigneeSlackId: string | null;
  decidedBySlackId: string | null;
  /** Whom the "was this you?" question went to. */
  askedSlackId?: string | null;
  actorSlackId: string;
  actorIsAdmin: boolean;
  /** The actor maps to an active member of the Claude organisation. */
  actorIsMember: boolean;
  /** A campaign certifies this privileged access and the actor holds it (campaigns/rules.ts `isSelfReview`). */
  selfReview?: boolean;
}

/** Said to whoever tries to certify their own admin role (issue 16). */
export const SELF_REVIEW_REFUSAL = 'Nobody certifies their own privileged access: a second reviewer decides this one.';

export type Authorisation = { allowed: true } | { allowed: false; why: string };

const deny = (why: string): Authorisation => ({ allowed: false, why });
const allow: Authorisation = { allowed: true };

/**
 * Who may do what to a review. Owner reviews: the assigned reviewer or an admin.
 * Security-channel items: admins decide; anyone who is a member of the organisation may
 * claim an unowned one (and becomes accountable for it). Restoring: admins, the person
 * who revoked, or the reviewer.
 */
export function authorise(i: AuthorisationInput): Authorisation {
  const isAssignee = i.assigneeSlackId !== null && i.assigneeSlackId === i.actorSlackId;
  if (i.selfReview && (i.op === 'keep' || i.op === 'revoke' || i.op === 'not_mine' || i.op === 'claim'))
    return deny(SELF_REVIEW_REFUSAL);
  switch (i.op) {
    case 'keep':
    case 'revoke':
    case 'not_mine':
      if (i.actorIsAdmin) return allow;
      if (i.presentation === 'owner' && isAssignee) return allow;
      return deny(
        i.presentation === 'owner'
          ? 'Only the assigned reviewer or a Steward admin can decide this review.'
          : 'Only Steward admins can decide security-channel items.',
      );
    case 'acknowledge':
    case 'ask_owner':
      return i.actorIsAdmin ? allow : deny('Only Steward admins can act on security alerts.');
    case 'claim':
      if (i.presentation !== 'unowned') return deny('Only unowned items can be claimed.');
      return i.actorIsMember
        ? allow
        : deny('Only members of the Claude organisation can claim access: your Slack email is not an active member.');
    case 'restore':
      if (i.actorIsAdmin || isAssignee || (i.decidedBySlackId !== null && i.decidedBySlackId === i.actorSlackId))
        return allow;
      return deny('Only the reviewer, whoever revoked it, or a Steward admin can restore this access.');
    case 'answer':
      return i.askedSlackId && i.askedSlackId === i.actorSlackId
        ? allow
        : deny('This question was asked of someone else.');
  }
}
