import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeldRemovals } from '../../src/sync/directory/alerts.js';
import type { Rejected } from '../../src/sync/directory/validate.js';
import { rows, startRig, type SyncRig } from './helpers.js';

/**
 * One malformed record never blocks a directory sync: it is skipped and named (by id, or
 * by position when it has none) in the run's notes, the log and, once, the security
 * channel; the rest is stored. A page of the wrong shape fails its listing with words
 * naming it. Fields the API left out keep what Steward knew.
 */
describe('directory records checked one by one', { timeout: 120_000 }, () => {
  let rig: SyncRig;
  let told: { held: HeldRemovals[]; skipped: Rejected[][] };
  const alerts = () => ({
    removalsHeld: async (h: HeldRemovals) => {
      told.held.push(h);
    },
    recordsSkipped: async (r: readonly Rejected[]) => {
      told.skipped.push([...r]);
    },
  });

  beforeEach(async () => {
    rig = await startRig({ serviceAccountsAcceptAdminKey: true, orgType: 'api' });
    told = { held: [], skipped: [] };
  });
  afterEach(async () => rig?.close());

  /** The API keys page exactly as the simulator serves it, to alter for a fault. */
  async function keysPage(): Promise<{ data: Array<Record<string, unknown>>; [k: string]: unknown }> {
    const r = await fetch(`${rig.sim.url}/v1/organizations/api_keys?limit=1000`, {
      headers: { 'x-api-key': rig.sim.config.adminKey, 'anthropic-version': '2023-06-01' },
    });
    return (await r.json()) as { data: Array<Record<string, unknown>> };
  }
  const serve = (page: object, times = 1) =>
    rig.sim.faults.add({ op: 'apiKeys.list', kind: 'malformed', body: JSON.stringify(page), times });
  const sync = () => rig.service({ directoryAlerts: alerts() }).run({ sources: ['directory'] });

  it('skips a key missing its name, status or id, names each, stores the others, and tells the channel once', async () => {
    const ada = rig.sim.state.addUser({ email: 'ada@example.com', name: 'Ada' });
    for (const name of ['good-1', 'good-2', 'no-name', 'no-status'])
      rig.sim.state.addApiKey({ name, createdBy: { id: ada.id, type: 'user' } });
    const page = await keysPage();
    const byName = (n: string) => page.data.find((k) => k['name'] === n)!;
    const noName = byName('no-name');
    delete noName['name'];
    const noStatus = byName('no-status');
    delete noStatus['status'];
    const noId: Record<string, unknown> = { ...byName('good-2'), name: 'no-id' };
    delete noId['id'];
    const altered = { ...page, data: [...page.data, noId] };

    serve(altered, 2);
    for (let run = 1; run <= 2; run++) {
      const report = await sync();
      const source = report.sources[0]!;
      expect(source.status, JSON.stringify(source)).toBe('succeeded');
      expect(source.counts['api_keys']).toBe(2);
      expect(source.counts['api_keys_skipped']).toBe(3);
      const note = source.notes.find((n) => n.startsWith('api keys: skipped 3 malformed records'));
      expect(note).toContain(`${noName['id'] as string} (name is missing)`);
      expect(note).toContain(`${noStatus['id'] as string} (status is missing)`);
      expect(note).toContain('#5 (id is missing)');
    }
    const keys = await rows<{ name: string }>(rig.db.db, sql`select name from api_keys order by name`);
    expect(keys.map((k) => k.name)).toEqual(['good-1', 'good-2']);
    expect(rig.logLines.join('')).toContain(`skipped a malformed record in api keys: ${noName['id'] as string}`);
    // The security channel heard of them once, not on every run.
    expect(told.skipped).toHaveLength(1);
    expect(new Set(told.skipped[0]!.map((r) => r.record))).toEqual(new Set([noName['id'], noStatus['id'], '#5']));
  });

  it('keeps a known key that comes back malformed (it still exists), and does not mark it removed', async () => {
    const k = rig.sim.state.addApiKey({ name: 'will-break' });
    expect((await sync()).ok).toBe(true);
    const page = await keysPage();
    delete page.data.find((x) => x['id'] === k.id)!['status'];
    serve(page);
    const report = await sync();
    expect(report.sources[0]!.counts['api_keys_skipped']).toBe(1);
    const [row] = await rows<{ removed_at: unknown; status: string }>(
      rig.db.db,
      sql`select removed_at, status from api_keys where id = ${k.id}`,
    );
    expect(row).toEqual({ removed_at: null, status: 'active' });
  });

  it('a listing that omits created_by keeps the creator Steward knew; an explicit null clears it', async () => {
    const ada = rig.sim.state.addUser({ email: 'ada@example.com', name: 'Ada' });
    const k = rig.sim.state.addApiKey({ name: 'made-by-ada', createdBy: { id: ada.id, type: 'user' } });
    await sync();
    const creator = async () =>
      (
        await rows<{ created_by_id: string | null }>(
          rig.db.db,
          sql`select created_by_id from api_keys where id = ${k.id}`,
        )
      )[0]!.created_by_id;
    expect(await creator()).toBe(ada.id);

    const omitted = await keysPage();
    delete omitted.data[0]!['created_by'];
    serve(omitted);
    expect((await sync()).ok).toBe(true);
    expect(await creator()).toBe(ada.id);

    const cleared = await keysPage();
    cleared.data[0]!['created_by'] = null;
    serve(cleared);
    await sync();
    expect(await creator()).toBeNull();
  });

  it('a page of the wrong shape fails its listing with words naming it, removes nothing; the others are stored', async () => {
    rig.sim.state.addUser({ email: 'ada@example.com', name: 'Ada' });
    rig.sim.state.addApiKey({ name: 'k' });
    rig.sim.faults.add({ op: 'apiKeys.list', kind: 'malformed', malformed: 'wrong_shape', times: 10 });
    const report = await sync();
    const source = report.sources[0]!;
    expect(source.status).toBe('failed');
    expect(source.error?.message).toMatch(/listing api keys returned a page of the wrong shape/);
    expect(source.error?.message).not.toContain("Cannot use 'in'");
    expect(source.counts['users']).toBe(1);
  });

  it('a page whose records are not objects is a page of the wrong shape, and removes nothing', async () => {
    for (let i = 0; i < 6; i++) rig.sim.state.addApiKey({ name: `k${i}` });
    await sync();
    const page = await keysPage();
    serve({ ...page, data: [...page.data.slice(0, 1), 42] });
    const source = (await sync()).sources[0]!;
    expect(source.status).toBe('failed');
    expect(source.error?.message).toContain(
      'listing api keys returned a page of the wrong shape (record #2 is a number)',
    );
    const removed = await rows(rig.db.db, sql`select id from api_keys where removed_at is not null`);
    expect(removed).toEqual([]);
  });
});
