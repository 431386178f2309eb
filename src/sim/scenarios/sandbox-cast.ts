import type { OrganizationUser } from '@anthropic-ai/sdk/resources/organization/index.js';
import { sandboxPeople, type SandboxPerson } from './sandbox-people.js';

/** The size and history of the sandbox's company, and the instant its history ends. */
export interface SandboxScenarioOptions {
  people: number;
  keys: number;
  days: number;
  now: Date;
}

export const SANDBOX_LIMITS = {
  people: { min: 12, max: 2000, default: 50 },
  keys: { min: 16, max: 5000, default: 80 },
  days: { min: 90, max: 365, default: 120 },
} as const;

const DAY = 86_400_000;

/**
 * Who plays which part in the sandbox's company, and the clock of its history: the
 * planted people (see sandbox-org.ts) by position, the dormant and active rest, the
 * moments the directory is listed at, and each person's organisation role.
 */
export function sandboxCast(opts: SandboxScenarioOptions) {
  for (const k of ['people', 'keys', 'days'] as const) {
    const { min, max } = SANDBOX_LIMITS[k];
    if (!Number.isInteger(opts[k]) || opts[k] < min || opts[k] > max)
      throw new RangeError(`${k} must be a whole number from ${min} to ${max}`);
  }
  const { now, days } = opts;
  const ago = (d: number, hour = 10): string => {
    const t = new Date(now.getTime() - d * DAY);
    t.setUTCHours(hour, 0, 0, 0);
    return t.toISOString();
  };
  const dayAgo = (d: number) => ago(d).slice(0, 10);
  const org = { id: 'org_01SANDBOX', uuid: '5a4db0c5-0000-4000-8000-0000000005a7', name: 'Acme Robotics' };
  const people = sandboxPeople(opts.people);
  const at = (i: number) => people[i]!;
  const [lead, priya, stale, promoted, contractor, viewer, leaverA, leaverB, newHire] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(
    at,
  ) as [
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
    SandboxPerson,
  ];
  const rest = people.slice(9);
  const dormantCount = Math.max(2, Math.round(opts.people * 0.16));
  const dormantPeople = rest.slice(0, dormantCount);
  const activePeople = rest.slice(dormantCount);
  const leaverAGone = 20;
  const leaverBGone = 12;
  const historyStart = ago(days, 9);
  /**
   * The moments the directory is listed at before `now` (history start, the stale invite,
   * each leaver's removal, the new hire): something made between two listings is first seen
   * at the next one, so replaying the history costs a handful of syncs.
   */
  const moments = [historyStart, ago(20, 11), ago(leaverAGone, 15), ago(leaverBGone, 15), ago(5, 9)];
  const listedFrom = (at: string) => moments.find((m) => m >= at) ?? at;
  const roleOf = (p: SandboxPerson): OrganizationUser['role'] =>
    p === lead
      ? 'primary_owner'
      : [priya, stale, promoted].includes(p)
        ? 'admin'
        : p.index % 3 === 0
          ? 'developer'
          : 'user';
  return {
    opts,
    now,
    days,
    ago,
    dayAgo,
    org,
    people,
    lead,
    priya,
    stale,
    promoted,
    contractor,
    viewer,
    leaverA,
    leaverB,
    newHire,
    dormantPeople,
    activePeople,
    leaverAGone,
    leaverBGone,
    historyStart,
    listedFrom,
    roleOf,
  };
}

export type SandboxCast = ReturnType<typeof sandboxCast>;
