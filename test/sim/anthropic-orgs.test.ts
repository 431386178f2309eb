import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actors, startAnthropicSim, type Activity, type AnthropicSim } from '../../src/sim/anthropic/index.js';

/** A parent with two organisations (issue 17): separate Admin keys, one Activity Feed. */

const NOW = Date.parse('2026-11-20T12:00:00Z');
let sim: AnthropicSim;

beforeEach(async () => {
  sim = await startAnthropicSim({ now: () => NOW, orgName: 'Acme Enterprise', emit: { complianceAccess: false } });
});
afterEach(async () => {
  await sim.close();
});

const client = (apiKey: string) => new Anthropic({ apiKey, baseURL: sim.url, maxRetries: 0 });

async function feed(key: string, query = ''): Promise<{ status: number; data: Activity[] }> {
  const res = await fetch(`${sim.url}/v1/compliance/activities${query}`, { headers: { 'x-api-key': key } });
  const body = (await res.json()) as { data?: Activity[] };
  return { status: res.status, data: body.data ?? [] };
}

describe('a parent with several organisations', () => {
  it('without a second organisation, the simulator is the single organisation it was', async () => {
    expect(sim.organizations()).toHaveLength(1);
    const me = await client(sim.config.adminKey).organization.retrieve();
    expect(me).toEqual({ id: sim.state.org.uuid, type: 'organization', name: 'Acme Enterprise' });
  });

  it('each Admin key reaches only its own organisation, and /v1/organizations/me names it', async () => {
    const prod = sim.addOrganization({ name: 'Acme Production' });
    const a = sim.state.addUser({ email: 'ann@acme.test' });
    const b = prod.state.addUser({ email: 'bo@acme.test' });
    prod.state.addUser({ email: 'cy@acme.test', role: 'admin' });

    const meA = await client(sim.config.adminKey).organization.retrieve();
    const meB = await client(prod.adminKey).organization.retrieve();
    expect(meA.id).toBe(sim.state.org.uuid);
    expect(meB).toEqual({ id: prod.uuid, type: 'organization', name: 'Acme Production' });
    expect(meB.id).not.toBe(meA.id);

    const usersB: string[] = [];
    for await (const u of client(prod.adminKey).organization.users.list()) usersB.push(u.email);
    expect(usersB.sort()).toEqual(['bo@acme.test', 'cy@acme.test']);
    // Org A's key cannot see or touch org B's member.
    await expect(client(sim.config.adminKey).organization.users.retrieve(b.id)).rejects.toMatchObject({ status: 404 });
    await client(prod.adminKey).organization.users.remove(b.id);
    expect(prod.state.user(b.id)?.removedAt).toEqual(expect.any(Number));
    expect(sim.state.user(a.id)?.removedAt).toBeNull();

    // The request log says which organisation answered each call.
    const removals = sim.calls.byOp('users.remove');
    expect(removals.map((c) => c.org)).toEqual([prod.uuid]);
  });

  it('the parent Compliance key reads every organisation; organization_ids[] narrows; an org key reads its own', async () => {
    const prod = sim.addOrganization({ name: 'Acme Production' });
    const t = '2026-11-20T10:00:00Z';
    sim.state.addActivity({
      type: 'claude_chat_created',
      actor: actors.user('user_a', 'ann@acme.test'),
      created_at: t,
    });
    prod.state.addActivity({
      type: 'claude_chat_created',
      actor: actors.user('user_b', 'bo@acme.test'),
      created_at: t,
    });

    const all = await feed(sim.config.complianceKey);
    expect(all.status).toBe(200);
    expect(new Set(all.data.map((x) => x.organization_uuid))).toEqual(new Set([sim.state.org.uuid, prod.uuid]));
    expect(all.data).toHaveLength(2);
    expect(all.data.find((x) => x.organization_uuid === prod.uuid)?.organization_id).toBe(prod.id);

    const narrowed = await feed(sim.config.complianceKey, `?organization_ids[]=${prod.id}`);
    expect(narrowed.data.map((x) => x.organization_uuid)).toEqual([prod.uuid]);

    const own = await feed(prod.adminKey);
    expect(own.status).toBe(200);
    expect(own.data.map((x) => x.organization_uuid)).toEqual([prod.uuid]);
    const first = await feed(sim.config.adminKey);
    expect(first.data.map((x) => x.organization_uuid)).toEqual([sim.state.org.uuid]);
  });

  it("an organisation's Admin API changes are recorded in the feed under that organisation", async () => {
    const prod = sim.addOrganization({ name: 'Acme Production' });
    const key = prod.state.addApiKey({ name: 'ci' });
    await client(prod.adminKey).organization.apiKeys.update(key.id, { status: 'inactive' });
    sim.clock.advance(120_000); // queryable within a minute
    const { data } = await feed(sim.config.complianceKey, '?activity_types[]=platform_api_key_updated');
    expect(data.map((x) => x.organization_uuid)).toEqual([prod.uuid]);
  });

  it('a revoked Admin key of one organisation answers 401; the other organisation is unaffected', async () => {
    const prod = sim.addOrganization({ name: 'Acme Production' });
    prod.config.adminKeyStatus = 'deactivated';
    await expect(client(prod.adminKey).organization.retrieve()).rejects.toMatchObject({ status: 401 });
    await expect(client(sim.config.adminKey).organization.retrieve()).resolves.toMatchObject({
      id: sim.state.org.uuid,
    });
  });

  it('an organisation inherits the parent compliance settings, and the rate budget is shared', async () => {
    const prod = sim.addOrganization({ name: 'Acme Production' });
    const settings = await client(prod.adminKey).organization.complianceSettings.retrieve();
    expect(settings.state.type).toBe('enabled');
    sim.config.complianceEnabled = false;
    expect((await client(prod.adminKey).organization.complianceSettings.retrieve()).state.type).toBe('disabled');
    sim.config.complianceEnabled = true;

    sim.rateLimit.consume(599);
    expect((await feed(prod.adminKey)).status).toBe(200);
    expect((await feed(sim.config.complianceKey)).status).toBe(429);
  });
});
