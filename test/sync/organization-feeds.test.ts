import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComplianceFeedOptions } from '../../src/anthropic/compliance/client.js';
import { createSdkAdminApi } from '../../src/anthropic/sdk-admin-api.js';
import { actors, type AnthropicSimOptions, type SimOrganization } from '../../src/sim/anthropic/index.js';
import { organizationFeedClients } from '../../src/sync/activities/feeds.js';
import { keyFingerprint, type OrgKey } from '../../src/sync/organizations.js';
import type { SyncReport } from '../../src/sync/service.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { DAY, HOUR, seedFeed } from './feed-fixtures.js';
import { NOW, policyWith, rows, snapshot, startRig, type SyncRig } from './helpers.js';

/**
 * Issue 17, per-organisation compliance keys: without the parent's Compliance key, each
 * organisation's activity is read with its own Admin key (the simulator shows such a key its
 * own organisation's activities and the org-less ones), one feed per organisation, each with
 * its own checkpoint and catch-up windows, all under one pacer. What they store together is
 * exactly what the parent's one feed stores (every table sync writes, compared in full), the
 * org-less activities both feeds see stored once.
 */
let rig: SyncRig;
let prod: SimOrganization;
const extra: TestDatabase[] = [];
afterEach(async () => {
  await rig?.close();
  for (const d of extra.splice(0)) await d.destroy();
});

const small = { activityPageSize: 50, activityBatchSize: 100 };
const carol = actors.user('user_01Carol', 'carol@acme.test');
const prodKey = actors.api('apikey_01Prod');

async function twoOrganisations(simOpts: AnthropicSimOptions = {}): Promise<void> {
  rig = await startRig({ orgName: 'Acme Enterprise', ...simOpts });
  prod = rig.sim.addOrganization({ name: 'Acme Production' });
  seedFeed(rig.sim, { synthetic: 300, days: 3 });
  prod.state.addSyntheticActivities({
    count: 300,
    start: NOW.getTime() - 3 * DAY,
    end: NOW.getTime() - 2 * HOUR,
    actors: [carol, prodKey],
    types: ['claude_chat_created', 'platform_api_key_updated', 'sso_login_succeeded'],
  });
  prod.state.addActivity({
    type: 'claude_user_role_updated',
    actor: carol,
    created_at: NOW.getTime() - 20 * HOUR,
    user_id: 'user_01Carol',
    previous_role: 'user',
    role: 'admin',
  });
  // Org-less activities (a sign-in, an API call): every organisation's key is shown them.
  for (const h of [40, 10])
    rig.sim.state.addActivity({
      type: 'user_signed_in_sso',
      actor: carol,
      created_at: NOW.getTime() - h * HOUR,
      organization_id: null,
      organization_uuid: null,
    });
}

/** Each organisation's Admin key; with `ownFeeds`, each with its own feed client (all under one pacer). */
function orgKeys(ownFeeds: boolean, feed: Partial<ComplianceFeedOptions> = {}): OrgKey[] {
  const orgs = rig.sim.organizations();
  const feeds = organizationFeedClients(
    orgs.map((o) => o.adminKey),
    { baseUrl: rig.sim.url, maxRetries: 3, timeoutMs: 5_000, backoff: { baseDelayMs: 20, maxDelayMs: 100 }, ...feed },
  );
  return orgs.map((o, i) => ({
    ref: `ANTHROPIC_ADMIN_KEYS entry ${i + 1}`,
    fingerprint: keyFingerprint(o.adminKey),
    admin: createSdkAdminApi({ apiKey: o.adminKey, baseUrl: rig.sim.url, maxRetries: 2, timeoutMs: 5_000 }),
    ...(ownFeeds ? { feed: feeds[i]! } : {}),
  }));
}

/** Every table sync writes, but the checkpoints (named per feed) and the windows (gone once a pass ends). */
async function stored(db: TestDatabase) {
  const { sync_checkpoints: _c, activity_catchup_windows: _w, ...rest } = await snapshot(db.db);
  return rest;
}

/** What the parent's one feed stores, on a database of its own. */
async function parentReference() {
  const reference = await createTestDatabase();
  extra.push(reference);
  const r = await rig
    .service({ ...small, db: reference.db, organizationKeys: orgKeys(false) })
    .run({ sources: ['activities'] });
  expect(r.sources.map((s) => [s.source, s.org, s.status])).toEqual([['activities', undefined, 'succeeded']]);
  return { report: r, rows: await stored(reference) };
}

const activityReports = (r: SyncReport) =>
  r.sources.filter((s) => s.source === 'activities').map((s) => [s.org?.name, s.status]);

async function checkpoints() {
  return rows<{ source: string; pass: unknown; high_water: string | null }>(
    rig.db.db,
    sql`select source, cursor->'pass' as pass, cursor->>'high_water' as high_water
        from sync_checkpoints where source like 'activities%' order by source`,
  );
}

describe('per-organisation activity feeds', { timeout: 180_000 }, () => {
  it("reads each organisation's feed with its own key, under its own checkpoint, storing what the parent's feed stores", async () => {
    await twoOrganisations();
    const reference = await parentReference();
    const parentCalls = rig.sim.calls.byOp('compliance.activities');
    // The parent's key reads one feed for all (the simulator answers it as the first organisation).
    expect(new Set(parentCalls.map((c) => c.auth.credential))).toEqual(new Set(['compliance']));
    const before = parentCalls.length;

    const r = await rig.service({ ...small, organizationKeys: orgKeys(true) }).run({ sources: ['activities'] });
    expect(activityReports(r)).toEqual([
      ['Acme Enterprise', 'succeeded'],
      ['Acme Production', 'succeeded'],
    ]);
    expect(r.ok).toBe(true);
    expect(await stored(rig.db)).toEqual(reference.rows);

    // The second organisation's activities are all there, and the org-less ones once.
    const byOrg = await rows<{ org: string | null; n: number }>(
      rig.db.db,
      sql`select raw->>'organization_uuid' as org, count(*)::int as n from activity_events group by 1 order by 1`,
    );
    expect(byOrg.find((x) => x.org === prod.uuid)?.n).toBe(301);
    expect(byOrg.find((x) => x.org === null)?.n).toBe(2);

    // Each feed read with its organisation's Admin key, and only that organisation answered it.
    const calls = rig.sim.calls.byOp('compliance.activities').slice(before);
    expect(new Set(calls.map((c) => c.auth.credential))).toEqual(new Set(['admin']));
    expect(new Set(calls.map((c) => c.org))).toEqual(new Set([rig.sim.state.org.uuid, prod.uuid]));

    // Both checkpoints advanced to a finished pass; no windows are left behind.
    const cps = await checkpoints();
    expect(cps.map((c) => [c.source, c.pass])).toEqual([
      ['activities', null],
      [`activities@${prod.uuid}`, null],
    ]);
    expect(cps.every((c) => c.high_water !== null)).toBe(true);
    expect(await rows(rig.db.db, sql`select * from activity_catchup_windows`)).toEqual([]);

    // The next run is incremental for each feed, and stores nothing new.
    const again = await rig.service({ ...small, organizationKeys: orgKeys(true) }).run({ sources: ['activities'] });
    expect(activityReports(again)).toEqual([
      ['Acme Enterprise', 'succeeded'],
      ['Acme Production', 'succeeded'],
    ]);
    expect(again.sources.map((s) => s.counts['inserted'] ?? 0)).toEqual([0, 0]);
    expect(await stored(rig.db)).toEqual(reference.rows);
  });

  it("retries a 429 and a 5xx on the second organisation's feed, and loses nothing", async () => {
    await twoOrganisations();
    const reference = await parentReference();
    const limited = rig.sim.faults.add({
      op: 'compliance.activities',
      org: prod.uuid,
      kind: 'rate_limit',
      retryAfter: 1,
      after: 3,
    });
    const failing = rig.sim.faults.add({ op: 'compliance.activities', org: prod.uuid, kind: 'server_error', after: 6 });
    const r = await rig.service({ ...small, organizationKeys: orgKeys(true) }).run({ sources: ['activities'] });
    expect(activityReports(r)).toEqual([
      ['Acme Enterprise', 'succeeded'],
      ['Acme Production', 'succeeded'],
    ]);
    expect([limited.fired, failing.fired]).toEqual([1, 1]);
    const faulted = rig.sim.calls.byOp('compliance.activities').filter((c) => c.fault !== undefined);
    expect(faulted.map((c) => [c.org, c.status])).toEqual([
      [prod.uuid, 429],
      [prod.uuid, 500],
    ]);
    expect(await stored(rig.db)).toEqual(reference.rows);
  });

  it("resumes the second organisation's catch-up from its own windows after its feed fails for good", async () => {
    await twoOrganisations();
    const reference = await parentReference();
    // Past the one-activity probes that find where its history starts (16 with four windows),
    // into the windows' pages.
    const policy = policyWith('sync:\n  catchup_parallel: 4\n');
    rig.sim.faults.add({
      op: 'compliance.activities',
      org: prod.uuid,
      kind: 'server_error',
      after: 20,
      times: Infinity,
    });
    const first = await rig
      .service({ ...small, policy, organizationKeys: orgKeys(true, { maxRetries: 1 }) })
      .run({ sources: ['activities'] });
    expect(activityReports(first)).toEqual([
      ['Acme Enterprise', 'succeeded'],
      ['Acme Production', 'failed'],
    ]);
    expect(first.ok).toBe(false);
    // Only the second feed's catch-up is open: its windows, under its checkpoint.
    const open = await rows<{ feed: string }>(rig.db.db, sql`select distinct feed from activity_catchup_windows`);
    expect(open.map((w) => w.feed)).toEqual([`activities@${prod.uuid}`]);
    const cps = await checkpoints();
    expect(cps.map((c) => [c.source, (c.pass as { windows?: boolean } | null)?.windows ?? null])).toEqual([
      ['activities', null],
      [`activities@${prod.uuid}`, true],
    ]);

    rig.sim.faults.clear();
    const second = await rig
      .service({ ...small, policy, organizationKeys: orgKeys(true) })
      .run({ sources: ['activities'] });
    expect(activityReports(second)).toEqual([
      ['Acme Enterprise', 'succeeded'],
      ['Acme Production', 'succeeded'],
    ]);
    expect(second.sources[1]?.notes.join(' ')).toMatch(/resumed a windowed catch-up/);
    expect(await stored(rig.db)).toEqual(reference.rows);
    expect(await rows(rig.db.db, sql`select * from activity_catchup_windows`)).toEqual([]);
  });

  it('skips the feed of an organisation whose key cannot read, and names the organisation whose feed is off or refused', async () => {
    await twoOrganisations();
    // Both organisations identified first (the first is the one that keeps the plain names).
    await rig.service({ organizationKeys: orgKeys(true) }).checkOrganizations();
    rig.sim.config.adminKeyStatus = 'deactivated';
    const r = await rig.service({ ...small, organizationKeys: orgKeys(true) }).run({ sources: ['activities'] });
    // Only one organisation reads: its report reads as a single organisation's.
    expect(activityReports(r)).toEqual([[undefined, 'succeeded']]);
    expect(r.ok).toBe(false);
    expect(new Set(rig.sim.calls.byOp('compliance.activities').map((c) => c.org))).toEqual(new Set([prod.uuid]));
    // Its run is recorded under its own checkpoint: the first organisation's is not touched.
    expect((await checkpoints()).map((c) => c.source)).toEqual([`activities@${prod.uuid}`]);

    // The key reads again: the first organisation's feed starts from nothing, the second's goes on.
    rig.sim.config.adminKeyStatus = 'active';
    const back = await rig.service({ ...small, organizationKeys: orgKeys(true) }).run({ sources: ['activities'] });
    expect(activityReports(back)).toEqual([
      ['Acme Enterprise', 'succeeded'],
      ['Acme Production', 'succeeded'],
    ]);
    expect(back.sources.map((s) => (s.counts['inserted'] ?? 0) > 0)).toEqual([true, false]);
    expect((await checkpoints()).map((c) => [c.source, c.pass])).toEqual([
      ['activities', null],
      [`activities@${prod.uuid}`, null],
    ]);

    rig.sim.config.complianceEnabled = false;
    const off = await rig.service({ ...small, organizationKeys: orgKeys(true) }).run({ sources: ['activities'] });
    expect(off.sources.map((s) => [s.org?.name, s.status, s.notes[0]?.slice(0, 28)])).toEqual([
      ['Acme Enterprise', 'not_available', 'The Compliance API is off fo'],
      ['Acme Production', 'not_available', 'The Compliance API is off fo'],
    ]);

    // On again, but the second organisation's Admin key lacks read:compliance_activities (403):
    // its feed fails as the single feed would, named, and the first organisation's still reads.
    rig.sim.config.complianceEnabled = true;
    prod.config.adminKeyHasComplianceScope = false;
    const refused = await rig.service({ ...small, organizationKeys: orgKeys(true) }).run({ sources: ['activities'] });
    expect(refused.sources.map((s) => [s.org?.name, s.status, s.error?.code])).toEqual([
      ['Acme Enterprise', 'succeeded', undefined],
      ['Acme Production', 'failed', 'anthropic_forbidden'],
    ]);
    expect(refused.ok).toBe(false);
  });
});

describe('per-organisation feeds share the parent budget', { timeout: 180_000 }, () => {
  it('keeps both feeds together within one share of each rate-limit window', async () => {
    // A window of 10 requests a second, so several windows pass in a few seconds.
    await twoOrganisations({ feed: { rateLimitPerMinute: 10, rateLimitWindowMs: 1000 } });
    const perWindow = new Map<string, number>();
    const orgsSeen = new Set<string>();
    const statuses: number[] = [];
    const watched: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      const reset = res.headers.get('anthropic-ratelimit-requests-reset');
      if (reset) perWindow.set(reset, (perWindow.get(reset) ?? 0) + 1);
      orgsSeen.add(res.headers.get('anthropic-organization-id') ?? '');
      return res;
    };
    const r = await rig
      .service({ ...small, activityPageSize: 200, organizationKeys: orgKeys(true, { rateShare: 0.5, fetch: watched }) })
      .run({ sources: ['activities'] });
    expect(activityReports(r)).toEqual([
      ['Acme Enterprise', 'succeeded'],
      ['Acme Production', 'succeeded'],
    ]);
    expect(orgsSeen).toEqual(new Set([rig.sim.state.org.uuid, prod.uuid]));
    // Several windows were used, none by more than half (both feeds together), and no 429.
    expect(perWindow.size).toBeGreaterThan(3);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });
});
