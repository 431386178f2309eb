import type { KeyRecord } from '../types.js';
import { dormancyRule, idleDays } from './dormancy.js';

/** An API key that can still be used: active and still listed. */
export const isLiveKey = (key: KeyRecord): boolean => key.status === 'active' && key.removedAt === null;

const createdAt = (key: KeyRecord): Date => key.createdAt ?? key.firstSeenAt;

/** Idle whole days since the key's last use, or since it was created if never used. */
export const keyIdleDays = (key: KeyRecord, today: string): number => idleDays(key.activity, createdAt(key), today);

/** `dormant_key`: an active key with no usage for ≥ N days, never-used keys included. */
export const dormantKey = dormancyRule<KeyRecord>({
  kind: 'dormant_key',
  subjectType: 'api_key',
  live: (s) => [...s.keys.values()].filter(isLiveKey),
  since: createdAt,
  used: (idle, days) => `Not used for ${idle} days (policy: dormant after ${days} days).`,
  neverUsed: (idle, days) => `Never used since it was created ${idle} days ago (policy: dormant after ${days} days).`,
});
