import { DAY_MS, startOfUtcDay, utcDay } from './clock.js';
import { prng } from './ids.js';
import type { SimState } from './index.js';
import type { SimApiKey, SimServiceAccount, SimUser, SimWorkspace } from './state/types.js';

export interface SeedOptions {
  seed?: number;
  /** Members; the first is an admin, the next two are developers with workspace admin roles. */
  users?: number;
  workspaces?: number;
  apiKeys?: number;
  serviceAccounts?: number;
  invites?: number;
  /** Days of per-key usage history before `now`. */
  usageDays?: number;
  /** Users who left: their records are removed, their keys stay (the unowned-key case). */
  departedUsers?: number;
  /** Days of Claude Code use (by email, and for one otherwise dormant key, by key name) before `now`. */
  claudeCodeDays?: number;
}

export interface SeededOrg {
  users: SimUser[];
  departed: SimUser[];
  workspaces: SimWorkspace[];
  serviceAccounts: SimServiceAccount[];
  apiKeys: SimApiKey[];
  /** Keys given no usage in the last 180 days (some never used). */
  dormantKeys: SimApiKey[];
  /** Dormant keys whose only recent use is Claude Code, reported by key name. */
  claudeCodeOnlyKeys: SimApiKey[];
}

const FIRST = [
  'ada',
  'bela',
  'chen',
  'dara',
  'eli',
  'fatima',
  'gus',
  'hana',
  'ivo',
  'jun',
  'kai',
  'lena',
  'mo',
  'nia',
  'oren',
  'pia',
];

/**
 * A plausible organisation for the sandbox and benchmarks, identical for a given
 * seed: admins and developers across workspaces, keys with and without recorded
 * creators, service-account keys, departed owners, dormant keys and usage history.
 */
export function seedOrganization(state: SimState, now: number, opts: SeedOptions = {}): SeededOrg {
  const rand = prng(opts.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const day0 = startOfUtcDay(now);
  const ago = (days: number) => day0 - days * DAY_MS;

  const workspaces = Array.from({ length: opts.workspaces ?? 3 }, (_, i) =>
    state.addWorkspace({
      name: ['Research', 'Support Bot', 'Data Platform', 'Marketing', 'Sandbox'][i] ?? `Team ${i + 1}`,
      createdAt: ago(400 - i),
    }),
  );
  const users = Array.from({ length: opts.users ?? 20 }, (_, i) => {
    const name = FIRST[i % FIRST.length]!;
    const suffix = i >= FIRST.length ? String(Math.floor(i / FIRST.length)) : '';
    return state.addUser({
      email: `${name}${suffix}@example.com`,
      name: `${name[0]!.toUpperCase()}${name.slice(1)}${suffix}`,
      role: i === 0 ? 'admin' : i % 7 === 3 ? 'user' : i % 11 === 5 ? 'billing' : 'developer',
      addedAt: ago(380 - i * 3),
    });
  });
  for (const [i, u] of users.entries()) {
    const ws = workspaces[i % workspaces.length];
    if (ws)
      state.addWorkspaceMember({
        workspaceId: ws.id,
        userId: u.id,
        role: i === 1 || i === 2 ? 'workspace_admin' : 'workspace_developer',
        addedAt: ago(370 - i),
      });
  }
  const serviceAccounts = Array.from({ length: opts.serviceAccounts ?? 3 }, (_, i) =>
    state.addServiceAccount({
      name: `ci-bot-${i + 1}`,
      createdAt: ago(300 - i * 10),
      createdByActorId: users[0]?.id ?? null,
    }),
  );
  for (let i = 0; i < (opts.invites ?? 4); i++) {
    state.addInvite({
      email: `invitee${i + 1}@example.com`,
      role: 'developer',
      invitedAt: ago(i % 2 === 0 ? 3 + i : 30 + i),
    });
  }

  const apiKeys: SimApiKey[] = [];
  for (let i = 0; i < (opts.apiKeys ?? 30); i++) {
    const owner = users.length ? pick(users) : undefined;
    const kind = rand();
    const ws = workspaces.length ? pick(workspaces) : undefined;
    const sa = serviceAccounts.length ? pick(serviceAccounts) : undefined;
    apiKeys.push(
      state.addApiKey({
        name: `${pick(['prod', 'staging', 'ci', 'notebook', 'batch', 'eval'])}-${i + 1}`,
        createdAt: ago(360 - Math.floor(rand() * 300)),
        workspaceId: ws?.id,
        ...(kind < 0.6 && owner
          ? {
              createdBy: { id: owner.id, type: 'user' as const },
              principal: { type: 'user_actor' as const, user_id: owner.id },
            }
          : kind < 0.75 && sa
            ? { createdBy: null, principal: { type: 'service_account_actor' as const, service_account_id: sa.id } }
            : kind < 0.9 && owner
              ? { createdBy: { id: owner.id, type: 'user' as const }, principal: null }
              : { createdBy: null, principal: null }),
        status: rand() < 0.1 ? 'inactive' : 'active',
      }),
    );
  }

  const departed = users.slice(users.length - Math.min(opts.departedUsers ?? 2, Math.max(0, users.length - 2)));
  for (const u of departed) state.removeUser(u.id);

  const dormantKeys = apiKeys.filter((_, i) => i % 5 === 4);
  const usageDays = opts.usageDays ?? 120;
  for (const k of apiKeys) {
    if (k.status !== 'active') continue;
    const dormant = dormantKeys.includes(k);
    const lastDay = dormant ? 200 : 1;
    const perDay = 5 + Math.floor(rand() * 200);
    for (let d = lastDay; d <= usageDays + lastDay && ago(d) >= k.createdAt; d++) {
      if (rand() < 0.25) continue;
      const requests = Math.max(1, Math.round(perDay * (0.5 + rand())));
      state.addKeyUsage({
        apiKeyId: k.id,
        date: utcDay(ago(d)),
        requests,
        uncachedInputTokens: requests * 900,
        outputTokens: requests * 350,
      });
    }
  }
  const claudeCodeOnlyKeys = seedClaudeCode(state, users, dormantKeys, ago, opts.claudeCodeDays ?? 14, opts.seed ?? 7);
  return {
    users: users.filter((u) => u.removedAt === null),
    departed,
    workspaces,
    serviceAccounts,
    apiKeys,
    dormantKeys,
    claudeCodeOnlyKeys,
  };
}

/** Claude Code use for every third member and one dormant key; its own PRNG keeps the rest of a seed unchanged. */
function seedClaudeCode(
  state: SimState,
  users: SimUser[],
  dormantKeys: SimApiKey[],
  ago: (days: number) => number,
  days: number,
  seed: number,
): SimApiKey[] {
  const rand = prng(seed ^ 0xc0de);
  const coders = users.filter((u, i) => i % 3 === 1 && u.removedAt === null);
  const keys = dormantKeys.filter((k) => k.status === 'active').slice(0, 1);
  for (let d = 1; d <= days; d++) {
    const date = utcDay(ago(d));
    for (const u of coders) {
      if (rand() < 0.3) continue;
      const sessions = 1 + Math.floor(rand() * 4);
      state.addClaudeCodeUsage({
        date,
        userEmail: u.email,
        sessions,
        linesAdded: sessions * 40,
        linesRemoved: sessions * 9,
        models: [
          { model: 'claude-sonnet-4-5', input: sessions * 20_000, output: sessions * 4_000, costCents: sessions * 9 },
        ],
      });
    }
    for (const k of keys) state.addClaudeCodeUsage({ date, apiKeyName: k.name, terminalType: 'github-actions' });
  }
  return keys;
}
