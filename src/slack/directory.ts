import type { WebClient } from '@slack/web-api';
import type { Clock } from '../domain/clock.js';
import type { SlackDirectory, SlackProfile } from '../review/deps.js';
import type { BulkLookup, ListedUser } from './directory-bulk.js';
import { slackErrorCode, toStewardError } from './errors.js';

const PROFILE_TTL_MS = 10 * 60_000;
const MAX_CACHED = 50_000;

export interface SlackDirectoryService extends SlackDirectory {
  /** Profiles a workspace listing returned: later clicks by these people need no users.info. */
  remember(users: ListedUser[]): void;
}

/**
 * The Slack directory over WebClient: email lookups go through the (DB-cached, bulk when
 * many) lookup correlation uses; profiles (users.info, Tier 4: 100 a minute) are cached
 * briefly in memory, since every click needs one for authorisation and audit; a listing
 * of the workspace fills that cache too, and concurrent asks for one person share a call.
 */
export function slackDirectory(client: WebClient, lookup: BulkLookup, now: Clock): SlackDirectoryService {
  const profiles = new Map<string, { at: number; profile: SlackProfile | null }>();
  const inFlight = new Map<string, Promise<SlackProfile | null>>();

  function keep(slackId: string, profile: SlackProfile | null): void {
    profiles.delete(slackId);
    if (profiles.size >= MAX_CACHED) profiles.delete(profiles.keys().next().value!);
    profiles.set(slackId, { at: now().getTime(), profile });
  }

  async function fetchProfile(slackId: string): Promise<SlackProfile | null> {
    let profile: SlackProfile | null;
    try {
      const r = await client.users.info({ user: slackId });
      const u = r.user;
      profile = u
        ? {
            id: u.id ?? slackId,
            email: u.profile?.email ?? null,
            name: u.real_name ?? u.name ?? null,
            isBot: Boolean(u.is_bot) || u.id === 'USLACKBOT',
            deleted: Boolean(u.deleted),
          }
        : null;
    } catch (err) {
      if (slackErrorCode(err) === 'user_not_found') profile = null;
      else throw toStewardError(err, 'users.info');
    }
    keep(slackId, profile);
    return profile;
  }

  return {
    slackIdForEmail: (email) => lookup.lookupByEmail(email),
    slackIdsForEmails: (emails) => lookup.lookupMany(emails),
    async profile(slackId) {
      const hit = profiles.get(slackId);
      if (hit && now().getTime() - hit.at < PROFILE_TTL_MS) return hit.profile;
      let pending = inFlight.get(slackId);
      if (!pending) {
        pending = fetchProfile(slackId).finally(() => inFlight.delete(slackId));
        inFlight.set(slackId, pending);
      }
      return pending;
    },
    remember(users) {
      for (const u of users) keep(u.id, { ...u });
    },
  };
}
