import type { WebClient } from '@slack/web-api';
import type { SlackUserLookup } from '../correlate/slack-identity.js';
import type { Clock } from '../domain/clock.js';
import type { SlackDirectory, SlackProfile } from '../review/deps.js';
import { slackErrorCode, toStewardError } from './errors.js';

const PROFILE_TTL_MS = 10 * 60_000;
const MAX_CACHED = 5000;

/**
 * The Slack directory over WebClient: email lookups go through the (DB-cached) lookup
 * correlation uses; profiles (users.info) are cached briefly in memory, since every
 * click needs one for authorisation and audit.
 */
export function slackDirectory(client: WebClient, lookup: SlackUserLookup, now: Clock): SlackDirectory {
  const profiles = new Map<string, { at: number; profile: SlackProfile | null }>();
  return {
    slackIdForEmail: (email) => lookup.lookupByEmail(email),
    async profile(slackId) {
      const hit = profiles.get(slackId);
      if (hit && now().getTime() - hit.at < PROFILE_TTL_MS) return hit.profile;
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
      if (profiles.size >= MAX_CACHED) profiles.delete(profiles.keys().next().value!);
      profiles.set(slackId, { at: now().getTime(), profile });
      return profile;
    },
  };
}
