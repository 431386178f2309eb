/**
 * What correlation must conclude from the known organisation: exactly these findings (no
 * more, no fewer), each with how its owner was found or why nobody is accountable, and the
 * prior finding that must be resolved.
 */
import type { ExpectedFinding, KnownOrgScenario } from '../scenario-types.js';

type OwnedVia = Exclude<ExpectedFinding['via'], null>;

/** A finding whose owner is known, and how they were found. */
function owned(
  kind: string,
  subjectType: string,
  subjectId: string,
  via: OwnedVia,
  ownerUserId: string,
): ExpectedFinding {
  return { kind, subjectType, subjectId, via, ownerUserId };
}

/** A finding nobody is accountable for, and why. */
function unowned(kind: string, subjectType: string, subjectId: string, unownedReason: string): ExpectedFinding {
  return { kind, subjectType, subjectId, via: null, unownedReason };
}

/** Built afresh on each call, as each scenario is, so one caller's changes never reach another. */
export function knownOrgExpectedFindings(): ExpectedFinding[] {
  return [
    owned('dormant_seat', 'user', 'user_01CAROL', 'holder', 'user_01CAROL'),
    owned('dormant_seat', 'user', 'user_01DAN', 'holder', 'user_01DAN'),
    owned('dormant_key', 'api_key', 'apikey_01NEVERUSED', 'creator', 'user_01BOB'),
    owned('dormant_key', 'api_key', 'apikey_01EXACT30', 'creator', 'user_01ERIN'),
    unowned('unowned_key', 'api_key', 'apikey_01NOCREATOR', 'no_creator_recorded'),
    unowned('unowned_key', 'api_key', 'apikey_01JUDYETL', 'creator_removed'),
    unowned('unowned_key', 'api_key', 'apikey_01SVCBATCH', 'service_account_unowned'),
    unowned('unowned_key', 'api_key', 'apikey_01IVANOLD', 'creator_removed'),
    owned('stale_admin', 'user', 'user_01FRANK', 'holder', 'user_01FRANK'),
    owned('stale_admin', 'workspace_member', 'wrkspc_01ML/user_01MIA', 'holder', 'user_01MIA'),
    unowned('stale_invite', 'invite', 'invite_01STALE', 'invite_not_accepted'),
    unowned('stale_invite', 'invite', 'invite_01EXACT', 'invite_not_accepted'),
    owned('usage_spike', 'api_key', 'apikey_01SPIKY', 'principal', 'user_01BOB'),
    unowned('activity_after_removal', 'user', 'user_01HEIDI', 'holder_removed'),
    unowned('activity_after_removal', 'api_key', 'apikey_01IVANOLD', 'creator_removed'),
    owned('dormant_resumed', 'user', 'user_01KIM', 'holder', 'user_01KIM'),
    owned('privilege_grant', 'user', 'user_01GRACE', 'holder', 'user_01GRACE'),
    owned('privilege_grant', 'workspace_member', 'wrkspc_01WEB/user_01OSCAR', 'holder', 'user_01OSCAR'),
    owned('privilege_grant', 'api_key', 'admkey_01NEW', 'creator', 'user_01ALICE'),
    unowned('unknown_actor', 'user', 'user_01GHOST', 'actor_not_in_directory'),
  ];
}

export function knownOrgExpectedResolutions(): KnownOrgScenario['expectedResolutions'] {
  return [{ kind: 'dormant_seat', subjectType: 'user', subjectId: 'user_01KIM', reason: 'no_longer_dormant' }];
}
