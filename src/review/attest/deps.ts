import type { LoadedPolicy } from '../../config/policy.js';
import type { attestations } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../log.js';
import type { SlackDirectory } from '../deps.js';
import type { MessageRef } from '../notifier.js';

export type Attestation = typeof attestations.$inferSelect;

/** How attestation talks to people; the Slack adapter implements it (review never imports Slack). */
export interface AttestNotifier {
  /** The DM to whoever created or granted the access: Attest / I didn't do this. */
  request(a: Attestation): Promise<MessageRef>;
  /** Re-render that DM from the stored answer. */
  refresh(a: Attestation): Promise<void>;
  /** "I didn't do this": the security channel, at once. */
  disowned(a: Attestation): Promise<MessageRef>;
}

export interface AttestDeps {
  db: Db;
  logger: Logger;
  policy: LoadedPolicy;
  /** Slack ids from STEWARD_ADMINS: may answer for anyone. */
  admins: readonly string[];
  slack: SlackDirectory;
  notifier: AttestNotifier;
  now: Clock;
}

/** The longest purpose kept (the modal says so too). */
export const MAX_PURPOSE = 500;
export const MIN_PURPOSE = 3;
