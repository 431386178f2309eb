import type { LoadedPolicy } from '../config/policy.js';
import type { Db } from '../db/types.js';
import type { Logger } from '../log.js';
import type { ReviewNotifier } from './notifier.js';
import type { Clock } from '../domain/clock.js';
import type { Evidence, EvidenceReading } from '../domain/evidence.js';

/** A Slack user as Slack describes them (users.info), for authorisation and audit. */
export interface SlackProfile {
  id: string;
  email: string | null;
  name: string | null;
  isBot: boolean;
  deleted: boolean;
}

/** The Slack directory as the review service needs it. */
export interface SlackDirectory {
  /** Anthropic user's email → Slack user id; null when Slack has no such user. */
  slackIdForEmail(email: string): Promise<string | null>;
  /** Many at once (a first run, a campaign): one workspace listing instead of a call each. Keyed as given. */
  slackIdsForEmails(emails: string[]): Promise<Map<string, string | null>>;
  /** null when Slack doesn't know the user. */
  profile(slackId: string): Promise<SlackProfile | null>;
}

/**
 * Reads evidence in plain language for the reviewer (Claude assist, or its template
 * when assist is off). Never throws, and answers within its own time bound.
 */
export interface EvidenceExplainer {
  explain(evidence: Evidence): Promise<EvidenceReading>;
}

export interface ReviewDeps {
  db: Db;
  logger: Logger;
  policy: LoadedPolicy;
  /** Slack ids from STEWARD_ADMINS: may decide any review and run admin commands. */
  admins: readonly string[];
  notifier: ReviewNotifier;
  slack: SlackDirectory;
  /** The reading shown above a review's buttons, made just before delivery. */
  explainer: EvidenceExplainer;
  /** Wakes the outbox worker after a revoke is enqueued. */
  onActionEnqueued?: () => void;
  now: Clock;
}
