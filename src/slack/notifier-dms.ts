import { eq, sql } from 'drizzle-orm';
import { slackDmChannels } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import type { Clock } from '../domain/clock.js';

/** Where Steward's DM with each person is: learnt from Slack once, then stored. */
export interface DmChannels {
  /** The stored `D…` channel, or undefined when Steward never wrote to this person. */
  get(slackUserId: string): Promise<string | undefined>;
  put(slackUserId: string, channelId: string): Promise<void>;
  /** Slack no longer knows the channel (it answered channel_not_found): learn it again. */
  forget(slackUserId: string): Promise<void>;
}

const MAX_REMEMBERED = 100_000;

/** The table, with the answers of this process kept in memory (a channel never changes). */
export function storedDmChannels(db: Db, now: Clock): DmChannels {
  const known = new Map<string, string>();
  const remember = (user: string, channel: string) => {
    if (known.size >= MAX_REMEMBERED) known.clear();
    known.set(user, channel);
  };
  return {
    async get(user) {
      const hit = known.get(user);
      if (hit) return hit;
      const [row] = await db
        .select({ channelId: slackDmChannels.channelId })
        .from(slackDmChannels)
        .where(eq(slackDmChannels.slackUserId, user));
      if (row) remember(user, row.channelId);
      return row?.channelId;
    },
    async put(user, channel) {
      if (known.get(user) === channel) return;
      await db
        .insert(slackDmChannels)
        .values({ slackUserId: user, channelId: channel, openedAt: now() })
        .onConflictDoUpdate({ target: slackDmChannels.slackUserId, set: { channelId: sql`excluded.channel_id` } });
      remember(user, channel);
    },
    async forget(user) {
      known.delete(user);
      await db.delete(slackDmChannels).where(eq(slackDmChannels.slackUserId, user));
    },
  };
}
