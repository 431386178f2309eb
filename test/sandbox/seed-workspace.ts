/**
 * A simulated Slack workspace holding what Steward posts during a review, produced by
 * Steward's own Block Kit builders and posted through the real WebClient; plus stand-ins
 * for the organisation panel and the clock (the sandbox's composition root provides the
 * real ones over Steward's database, the Anthropic simulator and Steward's jobs).
 */
import type { WebClient } from '@slack/web-api';
import type { Writable } from 'node:stream';
import type { KnownBlock } from '@slack/types';
import { escalationMessage, reminderMessage } from '../../src/slack/blocks/followup.js';
import { homeView } from '../../src/slack/blocks/home.js';
import { reviewMessage } from '../../src/slack/blocks/review.js';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import type { OrgPanel, OrgPanelSource, TimeAdvance, TimeControl } from '../../src/sandbox/page/index.js';
import { simClient } from '../helpers/slack-client.js';
import { makeSnapshot } from '../support/steward-fixtures.js';

const DAY = 86_400_000;

export interface SeededWorkspace {
  sim: SlackSim;
  web: WebClient;
  clock: { now(): number; set(ms: number): void };
  people: { sam: string; ada: string; bob: string; grace: string };
  security: string;
  adaDm: string;
  /** Ada's review of the ci-deploy key (Keep / Revoke / Not mine). */
  adaReview: { ts: string; snapshot: ReturnType<typeof makeSnapshot> };
  /** The unowned key in the security channel (Claim / Revoke). */
  unownedTs: string;
}

/** Starts a sim (rate limits off: the page tests measure rendering, not Slack's tiers) and seeds it. */
export async function seedWorkspace(
  requestUrl: string,
  start = Date.UTC(2026, 2, 10, 9, 30),
): Promise<SeededWorkspace> {
  let nowMs = start;
  const clock = { now: () => nowMs, set: (ms: number) => void (nowMs = ms) };
  const sim = await startSlackSim({
    requestUrl,
    now: clock.now,
    team: { name: 'Acme Corp', domain: 'acme' },
    rateLimits: 'none',
  });
  const add = (name: string, real_name: string, is_admin = false) =>
    sim.addUser({ name, real_name, email: `${name}@acme.example`, is_admin }).id;
  const people = {
    sam: add('sam', 'Sam Rivera', true),
    ada: add('ada', 'Ada Lovelace'),
    bob: add('bob', 'Bob Martin'),
    grace: add('grace', 'Grace Hopper'),
  };
  const security = sim.addChannel({
    name: 'security',
    members: Object.values(people),
    topic: 'Access reviews and alerts from Steward',
  }).id;
  const web = simClient(sim);
  const now = new Date(nowMs);
  const post = async (channel: string, r: { blocks: KnownBlock[]; text: string }, thread_ts?: string) =>
    (await web.chat.postMessage({ channel, blocks: r.blocks, text: r.text, ...(thread_ts ? { thread_ts } : {}) })).ts!;

  const adaDm = (await web.conversations.open({ users: people.ada })).channel!.id!;
  const snapshot = makeSnapshot({
    kind: 'dormant_key',
    subject: { type: 'api_key', id: 'apikey_01CiDeploy', label: 'ci-deploy' },
    assigneeSlackId: people.ada,
    ownerEmail: 'ada@acme.example',
    now,
  });
  const adaTs = await post(adaDm, reviewMessage(snapshot, now));
  snapshot.item.slackChannel = adaDm;
  snapshot.item.slackTs = adaTs;
  clock.set(nowMs + 60_000);
  await post(adaDm, reminderMessage([snapshot], new Date(nowMs)));

  const bobDm = (await web.conversations.open({ users: people.bob })).channel!.id!;
  const seat = makeSnapshot({
    kind: 'dormant_seat',
    subject: { type: 'user', id: 'user_01Bob', label: 'bob@acme.example' },
    assigneeSlackId: people.bob,
    ownerEmail: 'bob@acme.example',
    rule: 'No Claude activity for 64 days (threshold 30).',
    lastActivityDaysAgo: 64,
    weekly: [4, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    now,
  });
  await post(bobDm, reviewMessage(seat, now));

  const unowned = makeSnapshot({
    kind: 'unowned_key',
    subject: { type: 'api_key', id: 'apikey_01LegacyEtl', label: 'legacy-etl' },
    rule: 'Its creator left the organisation; nobody else is accountable for it.',
    route: 'security_channel',
    now,
  });
  const unownedTs = await post(security, reviewMessage(unowned, now));
  const spike = makeSnapshot({
    kind: 'usage_spike',
    subject: { type: 'api_key', id: 'apikey_01Analytics', label: 'analytics-batch' },
    ownerEmail: 'grace@acme.example',
    rule: '41,200 requests on 2026-03-09, 12× its 30-day daily median (3,400).',
    route: 'security_channel',
    lastActivityDaysAgo: 0,
    weekly: [3, 4, 3, 5, 4, 3, 4, 4, 3, 4, 5, 48],
    now,
  });
  await post(security, reviewMessage(spike, now));
  const overdue = makeSnapshot({
    kind: 'stale_admin',
    subject: { type: 'user', id: 'user_01Grace', label: 'grace@acme.example' },
    access: { kind: 'org_admin', role: 'admin' },
    assigneeSlackId: people.grace,
    ownerEmail: 'grace@acme.example',
    rule: 'No administrative action for 120 days (threshold 90).',
    lastActivityDaysAgo: 120,
    now,
  });
  overdue.item.dueAt = new Date(nowMs - 2 * DAY);
  overdue.item.deliveredAt = new Date(nowMs - 16 * DAY);
  const escalationTs = await post(security, escalationMessage(overdue, now));
  await web.chat.postMessage({
    channel: security,
    thread_ts: escalationTs,
    text: `:bell: <@${people.grace}> was reminded twice (<!date^${Math.floor((nowMs - 9 * DAY) / 1000)}^{date_short}|earlier> and <!date^${Math.floor((nowMs - 2 * DAY) / 1000)}^{date_short}|earlier>).`,
  });

  await web.views.publish({ user_id: people.ada, view: homeView({ reviews: [snapshot], status: null, now }) });
  return { sim, web, clock, people, security, adaDm, adaReview: { ts: adaTs, snapshot }, unownedTs };
}

/** A fixed organisation panel, as the real source would report after one revocation. */
export function standInOrg(seed: SeededWorkspace): OrgPanelSource & { changed(): void } {
  const at = new Date(seed.clock.now() - 3_600_000);
  const listeners = new Set<() => void>();
  const hash = (n: number) =>
    `${n.toString(16).padStart(4, '0')}9f2c4e7d1b8a6f3e5c2d9b0a7e4f1c6d8b3a5e2f7c9d1b4e6a8f0c3d5b7e9a1c`.slice(0, 64);
  const panel: OrgPanel = {
    organisation: {
      name: 'Acme Corp (Claude organisation)',
      stats: [
        { label: 'members', value: 48 },
        { label: 'active keys', value: 79 },
        { label: 'open reviews', value: 5 },
      ],
    },
    changes: [
      {
        at,
        kind: 'deactivate_key',
        summary: 'API key deactivated',
        target: { type: 'api_key', id: 'apikey_01OldScraper', label: 'old-scraper' },
        status: 'succeeded',
        requestedBy: seed.people.sam,
        request: { method: 'POST', path: '/v1/organizations/api_keys/apikey_01OldScraper', status: 200 },
      },
    ],
    audit: {
      rows: [3, 2, 1].map((seq) => ({
        seq,
        at: new Date(at.getTime() - (3 - seq) * 60_000),
        actor:
          seq === 1
            ? { type: 'system', slackId: null, label: 'correlate' }
            : { type: 'slack_user', slackId: seed.people.sam, label: 'Sam Rivera' },
        action: ['review.opened', 'review.decided', 'action.executed'][seq - 1]!,
        subject: { type: 'api_key', id: 'apikey_01OldScraper' },
        outcome: ['sent', 'revoked', 'succeeded'][seq - 1]!,
        reviewItemId: null,
        hash: hash(seq),
      })),
      chain: { ok: true, rows: 3, head: { seq: 3, hash: hash(3) }, checkedAt: at },
    },
  };
  return {
    snapshot: async () => panel,
    writeEvidenceReport: async (out: Writable) =>
      void out.write('<!doctype html><title>Evidence report</title><h1>Evidence report</h1>'),
    writeCsvExport: async (out: Writable) => void out.write('seq,at,decision\n2,2026-03-10T08:30:00.000Z,revoke\n'),
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    changed: () => listeners.forEach((l) => l()),
  };
}

/** Moves the shared clock and reports the jobs a scheduler would have run. */
export function standInTime(seed: SeededWorkspace): TimeControl & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    now: () => new Date(seed.clock.now()),
    advance: async (days: number): Promise<TimeAdvance> => {
      calls.push(days);
      seed.clock.set(seed.clock.now() + days * DAY);
      return {
        now: new Date(seed.clock.now()),
        ran: [
          { job: 'sync', ok: true },
          { job: 'reminders', ok: true, summary: '1 reminder' },
        ],
      };
    },
  };
}
