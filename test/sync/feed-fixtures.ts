import { actors, type Activity, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { NOW } from './helpers.js';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const alice = actors.user('user_01Alice', 'alice@example.com');
export const bob = actors.user('user_01Bob', 'bob@example.com');
export const key = actors.api('apikey_01Key');
export const adminKey = actors.adminApiKey('apikey_01Admin');
export const bot = actors.serviceAccount('svac_01Bot');
export const scim = actors.scim('directory_01', 'evt_1');

/**
 * A feed with every known actor type, unknown types and actor types, an activity whose
 * actor names both a user and a key, and a synthetic bulk spread over `days`.
 */
export function seedFeed(sim: AnthropicSim, opts: { synthetic?: number; days?: number } = {}): { all(): Activity[] } {
  const t = (h: number) => NOW.getTime() - h * HOUR;
  const explicit = [
    sim.state.addActivity({ type: 'claude_chat_created', actor: alice, created_at: t(50), claude_chat_id: 'chat_1' }),
    sim.state.addActivity({
      type: 'org_user_invite_sent',
      actor: alice,
      created_at: t(49),
      email_address: 'x@example.com',
    }),
    sim.state.addActivity({
      type: 'claude_user_role_updated',
      actor: bob,
      created_at: t(30),
      user_id: 'user_01Alice',
      previous_role: 'developer',
      role: 'admin',
    }),
    sim.state.addActivity({ type: 'compliance_api_accessed', actor: key, created_at: t(29) }),
    sim.state.addActivity({
      type: 'admin_api_key_created',
      actor: adminKey,
      created_at: t(28),
      admin_api_key_id: 'apikey_new',
    }),
    sim.state.addActivity({ type: 'platform_service_account_updated', actor: bot, created_at: t(27) }),
    sim.state.addActivity({ type: 'org_user_created', actor: scim, created_at: t(26) }),
    sim.state.addActivity({
      type: 'a_type_from_the_future',
      actor: alice,
      created_at: t(25),
      shiny: { nested: [1, 2, 3] },
    }),
    sim.state.addActivity({
      type: 'claude_chat_viewed',
      actor: { type: 'hologram_actor', hologram_id: 'h1', user_id: 'user_01Bob' },
      created_at: t(24),
    }),
    sim.state.addActivity({
      type: 'claude_chat_viewed',
      actor: { type: 'api_actor', api_key_id: 'apikey_01Key', user_id: 'user_01Alice' },
      created_at: t(23),
    }),
    sim.state.addActivity({ type: 'user_logged_out', actor: actors.anthropic(), created_at: t(22) }),
  ];
  const synthetic = opts.synthetic
    ? sim.state.addSyntheticActivities({
        count: opts.synthetic,
        start: NOW.getTime() - (opts.days ?? 5) * DAY,
        end: NOW.getTime() - 2 * HOUR,
        actors: [alice, bob, key, bot, adminKey],
        types: [
          'claude_chat_viewed',
          'claude_chat_created',
          'org_user_invite_sent',
          'platform_api_key_updated',
          'sso_login_succeeded',
        ],
      })
    : undefined;
  return {
    all: () => [
      ...explicit,
      ...(synthetic ? Array.from({ length: synthetic.count }, (_, i) => synthetic.activityAt(i)) : []),
    ],
  };
}

/** The administrative types in these fixtures, listed by hand. */
export const ADMIN_TYPES = new Set([
  'org_user_invite_sent',
  'claude_user_role_updated',
  'admin_api_key_created',
  'platform_service_account_updated',
  'platform_api_key_updated',
  'org_user_created',
]);

/** What the roll-ups must say, computed independently of the ingester. */
export function expectedRollups(
  activities: readonly Activity[],
): Map<string, { events: number; admin: number; first: number; last: number }> {
  const out = new Map<string, { events: number; admin: number; first: number; last: number }>();
  for (const a of activities) {
    const actor = (a['actor'] ?? {}) as Record<string, unknown>;
    const ids = new Set(
      ['user_id', 'api_key_id', 'service_account_id', 'admin_api_key_id']
        .map((f) => actor[f])
        .filter((v): v is string => typeof v === 'string'),
    );
    const at = Date.parse(a.created_at);
    const day = new Date(at).toISOString().slice(0, 10);
    for (const id of ids) {
      const k = `${id}|${day}`;
      const cur = out.get(k);
      const admin = ADMIN_TYPES.has(a.type) ? 1 : 0;
      if (cur) {
        cur.events += 1;
        cur.admin += admin;
        cur.first = Math.min(cur.first, at);
        cur.last = Math.max(cur.last, at);
      } else out.set(k, { events: 1, admin, first: at, last: at });
    }
  }
  return out;
}
