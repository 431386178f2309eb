import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignItems, campaigns, reviewItems } from '../../src/db/schema/index.js';
import type { SimOrganization } from '../../src/sim/anthropic/index.js';
import { eventually } from '../helpers/eventually.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

/**
 * A campaign across two organisations (issue 17: ids are unique per organisation only). One
 * person has the same user id in both (one Claude account) and a key whose id is the same in
 * both: a campaign over everything certifies each access once per organisation, each item
 * carrying and naming its organisation, and a Revoke of the second organisation's key reaches
 * only that organisation's Admin API. `org:<name>` certifies that organisation alone.
 */
const SHARED_USER = 'user_01SharedAnn';
const TWIN_KEY = 'apikey_01TwinKey';

describe('a certification campaign over two organisations', () => {
  let h: Harness;
  let enterprise: SimOrganization;
  let production: SimOrganization;
  let annSlack: string;

  beforeAll(async () => {
    h = await startHarness({
      now: '2026-11-20T12:00:00Z',
      anthropic: { orgName: 'Acme Enterprise' },
      organizations: [{ name: 'Acme Production' }],
    });
    [enterprise, production] = h.anthropic.organizations() as [SimOrganization, SimOrganization];
    annSlack = h.slack.addUser({ name: 'ann', email: 'ann@acme.test', real_name: 'Ann' }).id;
    for (const org of [enterprise, production]) {
      org.state.addUser({ id: SHARED_USER, email: 'ann@acme.test', name: 'Ann', addedAt: '2026-05-01T00:00:00Z' });
      org.state.addApiKey({
        id: TWIN_KEY,
        name: 'twin-key',
        createdAt: '2026-06-01T00:00:00Z',
        createdBy: { id: SHARED_USER, type: 'user' },
        principal: { type: 'user_actor', user_id: SHARED_USER },
      });
    }
    const report = await h.steward.services.sync.run({ sources: ['directory'] });
    const states = report.organizations?.map((o) => `${o.name} ${o.state}`).join(', ');
    if (states !== 'Acme Enterprise ok, Acme Production ok') throw new Error(`the sync read: ${states}`);
  }, 60_000);
  afterAll(async () => h?.stop());

  const itemsOf = async (campaignId: string) =>
    (await h.db.db.select().from(campaignItems).where(eq(campaignItems.campaignId, campaignId))).filter((i) =>
      [SHARED_USER, TWIN_KEY].includes(i.subjectId),
    );
  const start = async (scope: string) => {
    const before = (await h.db.db.select().from(campaigns)).length;
    const r = await h.slack.driver.slashCommand({
      userId: h.admin.id,
      command: '/steward',
      text: `campaign start ${scope}`,
    });
    expect(r.status).toBe(200);
    return eventually(async () => {
      const all = await h.db.db.select().from(campaigns);
      return all.length > before ? all.sort((a, b) => b.number - a.number)[0] : undefined;
    });
  };

  it('certifies the same ids once per organisation, each item in and named with its organisation', async () => {
    const campaign = await start('all');
    const items = await eventually(async () => {
      const rows = await itemsOf(campaign.id);
      return rows.length === 4 ? rows : undefined;
    });
    expect(items.map((i) => `${i.orgId} ${i.accessKind} ${i.subjectId}`).sort()).toEqual(
      [
        `${enterprise.uuid} api_key ${TWIN_KEY}`,
        `${enterprise.uuid} seat ${SHARED_USER}`,
        `${production.uuid} api_key ${TWIN_KEY}`,
        `${production.uuid} seat ${SHARED_USER}`,
      ].sort(),
    );
    // Four reviews, each of its item's organisation (none joined across organisations).
    const reviews = await Promise.all(
      items.map(async (i) => (await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, i.reviewItemId)))[0]!),
    );
    expect(new Set(reviews.map((r) => r.id)).size).toBe(4);
    expect(reviews.map((r) => r.orgId).sort()).toEqual(items.map((i) => i.orgId).sort());

    // Ann gets all four in her one DM, each starting with its organisation's name.
    const dms = await eventually(() => {
      const m = dmMessages(h.slack, annSlack).filter((x) => /twin-key|Seat|seat/.test(blockText(x.blocks)));
      return m.length >= 4 ? m : undefined;
    });
    const keyDms = dms.filter((m) => blockText(m.blocks).includes('twin-key'));
    expect(keyDms.map((m) => (blockText(m.blocks).includes('Acme Production') ? 'P' : 'E')).sort()).toEqual(['E', 'P']);
  });

  it("a Revoke of the second organisation's key reaches only its Admin API", async () => {
    const msg = dmMessages(h.slack, annSlack).find(
      (m) => blockText(m.blocks).includes('twin-key') && blockText(m.blocks).includes('Acme Production'),
    )!;
    const updatesBefore = h.anthropic.calls.byOp('apiKeys.update').length;
    await h.slack.driver.clickButton({
      userId: annSlack,
      channel: msg.channel,
      ts: msg.ts,
      actionId: 'steward_revoke',
    });
    await eventually(() => production.state.apiKeys.get(TWIN_KEY)?.status === 'inactive');
    const updates = h.anthropic.calls.byOp('apiKeys.update').slice(updatesBefore);
    expect(new Set(updates.map((c) => c.org))).toEqual(new Set([production.uuid]));
    expect(enterprise.state.apiKeys.get(TWIN_KEY)?.status).toBe('active');
  });

  it('org:<id> certifies that organisation alone', async () => {
    const campaign = await start(`org:${enterprise.uuid}`);
    const items = await eventually(async () => {
      const rows = await h.db.db.select().from(campaignItems).where(eq(campaignItems.campaignId, campaign.id));
      return rows.length > 0 ? rows : undefined;
    });
    expect(new Set(items.map((i) => i.orgId))).toEqual(new Set([enterprise.uuid]));
    expect(
      items
        .filter((i) => [SHARED_USER, TWIN_KEY].includes(i.subjectId))
        .map((i) => i.accessKind)
        .sort(),
    ).toEqual(['api_key', 'seat']);
  });
});
