/** The known organisation's usage: per key per day (one spike), and one seat's analytics day. */
import type { KeyUsageDay, SeatUsageDay } from '../scenario-types.js';
import type { RelativeTime } from './relative-time.js';

export function knownOrgUsage({ dayAgo }: RelativeTime): { keyUsage: KeyUsageDay[]; seatUsage: SeatUsageDay[] } {
  const keyUsage: KeyUsageDay[] = [];
  const use = (apiKeyId: string, daysAgo: number, requests: number) =>
    keyUsage.push({
      apiKeyId,
      date: dayAgo(daysAgo),
      requests,
      uncachedInputTokens: requests * 900,
      outputTokens: requests * 250,
    });
  for (let d = 0; d < 40; d++) use('apikey_01BOBPROD', d, 180 + (d % 5) * 10);
  for (let d = 2; d < 60; d += 3) use('apikey_01NOCREATOR', d, 40);
  use('apikey_01JUDYETL', 13, 500); // the day before Judy was removed
  use('apikey_01JUDYETL', 40, 500);
  for (let d = 0; d < 30; d++) use('apikey_01SVCBATCH', d, 900);
  for (let d = 0; d < 30; d++) use('apikey_01SVCDEPLOY', d, 60);
  for (let d = 2; d < 32; d++) use('apikey_01SPIKY', d, 200);
  use('apikey_01SPIKY', 1, 5000); // 25× its 14-day mean, above the 1,000 floor
  use('apikey_01SPIKY', 0, 300);
  use('apikey_01EXACT30', 30, 70);
  use('apikey_01EXACT30', 95, 70);
  use('apikey_01RECENT29', 29, 70);
  use('apikey_01IVANOLD', 3, 120); // after Ivan's removal 60 days ago
  use('apikey_01IVANOLD', 80, 120);
  use('apikey_01CLAIMED', 5, 30);

  const seatUsage: SeatUsageDay[] = [{ userId: 'user_01PAUL', date: dayAgo(10), actions: 12 }];

  return { keyUsage, seatUsage };
}
