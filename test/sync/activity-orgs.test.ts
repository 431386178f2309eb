import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { actors } from '../../src/sim/anthropic/index.js';
import { HOUR } from './feed-fixtures.js';
import { NOW, rows, startRig, type SyncRig } from './helpers.js';

let rig: SyncRig;
afterEach(async () => rig?.close());

/**
 * Issue 17: every activity is stored with the organisation it names (`organization_uuid`, the
 * id `/v1/organizations/me` answers), or '' when it names none, and its roll-ups and
 * summaries are that organisation's. The catch-up stores through COPY, the incremental pass
 * through INSERT: both are read here.
 */
describe('activities carry their organisation', { timeout: 120_000 }, () => {
  it('stores, rolls up and summarises each activity under the organisation it names', async () => {
    let now = NOW.getTime();
    const clock = () => new Date(now);
    rig = await startRig({ now: clock });
    const own = rig.sim.state.org.uuid;
    const other = '7d9e0c7a-0000-4000-8000-00000000b2b2';
    const dana = actors.user('user_01Dana', 'dana@example.com');
    const at = (h: number) => NOW.getTime() - h * HOUR;
    const add = (id: number, org: string | null, h: number) =>
      rig.sim.state.addActivity({
        type: 'claude_chat_created',
        actor: dana,
        created_at: at(h),
        claude_chat_id: `chat_${id}`,
        organization_uuid: org,
        organization_id: org === null ? null : `org_${id}`,
      });
    add(1, own, 30);
    add(2, other, 29);
    add(3, null, 28);
    const service = rig.service({ activityPageSize: 2, now: clock });
    expect((await service.run({ sources: ['activities'] })).ok).toBe(true);
    // Three hours later, read by the incremental pass.
    now += 3 * HOUR;
    add(4, other, -1);
    add(5, null, -2);
    const second = await service.run({ sources: ['activities'] });
    expect(second.sources[0]?.counts).toMatchObject({ inserted: 2 });

    const events = await rows<{ id: string; org_id: string }>(
      rig.db.db,
      sql`select raw->>'claude_chat_id' as id, org_id from activity_events where actor_id = 'user_01Dana' order by 1`,
    );
    expect(events).toEqual([
      { id: 'chat_1', org_id: own },
      { id: 'chat_2', org_id: other },
      { id: 'chat_3', org_id: '' },
      { id: 'chat_4', org_id: other },
      { id: 'chat_5', org_id: '' },
    ]);
    const daily = await rows<{ org_id: string; events: number }>(
      rig.db.db,
      sql`select org_id, sum(events)::int as events from principal_activity_daily
          where principal_id = 'user_01Dana' group by org_id order by org_id`,
    );
    expect(daily).toEqual(
      [
        { org_id: '', events: 2 },
        { org_id: own, events: 1 },
        { org_id: other, events: 2 },
      ].sort((a, b) => (a.org_id < b.org_id ? -1 : 1)),
    );
    const summaries = await rows<{ org_id: string; last: string }>(
      rig.db.db,
      sql`select org_id, last_event_at as last from principal_activity_summary
          where principal_id = 'user_01Dana' order by org_id`,
    );
    const lastOf = (org: string) => new Date(summaries.find((s) => s.org_id === org)!.last).getTime();
    expect(summaries.map((s) => s.org_id)).toEqual(daily.map((d) => d.org_id));
    expect(lastOf(own)).toBe(at(30));
    expect(lastOf(other)).toBe(at(-1));
    expect(lastOf('')).toBe(at(-2));
  });
});
