import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { actors } from '../../src/sim/anthropic/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { rows } from './helpers.js';

/**
 * Issue 17, as Steward wires it (`services.ts`): with ANTHROPIC_ADMIN_KEYS and no
 * ANTHROPIC_COMPLIANCE_KEY each organisation's feed is read with its own Admin key; with the
 * parent's Compliance key, one feed reads them all, as before.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const NOW = '2026-11-20T12:00:00Z';

async function start(env: Record<string, string> = {}): Promise<Harness> {
  h = await startHarness({
    now: NOW,
    anthropic: { orgName: 'Acme Enterprise', emit: { complianceAccess: false } },
    organizations: [{ name: 'Acme Production' }],
    env,
  });
  const [first, prod] = h.anthropic.organizations();
  const at = Date.parse(NOW) - 3_600_000;
  first!.state.addActivity({
    type: 'claude_chat_created',
    actor: actors.user('user_01Ann', 'ann@acme.test'),
    created_at: at,
  });
  prod!.state.addActivity({
    type: 'claude_chat_created',
    actor: actors.user('user_01Bo', 'bo@acme.test'),
    created_at: at,
  });
  return h;
}

const storedOrgs = async (x: Harness) =>
  (
    await rows<{ org: string }>(x.db.db, sql`select raw->>'organization_uuid' as org from activity_events order by 1`)
  ).map((r) => r.org);

describe('the activity feeds Steward reads', { timeout: 120_000 }, () => {
  it("without the parent's Compliance key: each organisation's feed with its own Admin key", async () => {
    const x = await start({ ANTHROPIC_COMPLIANCE_KEY: '' });
    expect(x.config.anthropic.complianceScope).toBe('per-organisation');
    const [first, prod] = x.anthropic.organizations();
    const r = await x.steward.services.sync.run({ sources: ['activities'] });
    expect(r.sources.map((s) => [s.source, s.org?.name, s.status])).toEqual([
      ['activities', 'Acme Enterprise', 'succeeded'],
      ['activities', 'Acme Production', 'succeeded'],
    ]);
    expect(await storedOrgs(x)).toEqual([first!.uuid, prod!.uuid].sort());
    const calls = x.anthropic.calls.byOp('compliance.activities');
    expect(new Set(calls.map((c) => `${c.org} ${c.auth.credential}`))).toEqual(
      new Set([`${first!.uuid} admin`, `${prod!.uuid} admin`]),
    );
    const cps = await rows<{ source: string }>(
      x.db.db,
      sql`select source from sync_checkpoints where source like 'activities%' order by source`,
    );
    expect(cps.map((c) => c.source)).toEqual(['activities', `activities@${prod!.uuid}`]);
  });

  it("with the parent's Compliance key: one feed for every organisation, as before", async () => {
    const x = await start();
    expect(x.config.anthropic.complianceScope).toBe('parent');
    const [first, prod] = x.anthropic.organizations();
    const r = await x.steward.services.sync.run({ sources: ['activities'] });
    expect(r.sources.map((s) => [s.source, s.org?.name, s.status])).toEqual([['activities', undefined, 'succeeded']]);
    expect(await storedOrgs(x)).toEqual([first!.uuid, prod!.uuid].sort());
    const calls = x.anthropic.calls.byOp('compliance.activities');
    expect(new Set(calls.map((c) => c.auth.credential))).toEqual(new Set(['compliance']));
    const cps = await rows<{ source: string }>(
      x.db.db,
      sql`select source from sync_checkpoints where source like 'activities%'`,
    );
    expect(cps.map((c) => c.source)).toEqual(['activities']);
  });
});
