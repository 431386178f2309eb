import type { FindingKind } from '../../domain/findings.js';
import { activityAfterRemoval } from './activity-after-removal.js';
import { dormantKey } from './dormant-key.js';
import { dormantResumed } from './dormant-resumed.js';
import { dormantSeat } from './dormant-seat.js';
import { privilegeGrant } from './privilege-grant.js';
import { revocationUndone } from './revocation-undone.js';
import { staleAdmin } from './stale-admin.js';
import { staleInvite } from './stale-invite.js';
import type { Rule } from './types.js';
import { unknownActor } from './unknown-actor.js';
import { unownedKey } from './unowned-key.js';
import { usageSpike } from './usage-spike.js';
import { unattestedAccess } from './unattested-access.js';
import { leaver } from './leaver.js';

/** One rule per finding kind, in the order findings are listed. */
export const RULES: Record<FindingKind, Rule> = {
  dormant_seat: dormantSeat,
  dormant_key: dormantKey,
  unowned_key: unownedKey,
  stale_admin: staleAdmin,
  stale_invite: staleInvite,
  usage_spike: usageSpike,
  activity_after_removal: activityAfterRemoval,
  dormant_resumed: dormantResumed,
  privilege_grant: privilegeGrant,
  unknown_actor: unknownActor,
  unattested_access: unattestedAccess,
  leaver,
  revocation_undone: revocationUndone,
};

export type { Rule };
