import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byText } from '../helpers/order.js';
import { NOW, one, rows, startRig, type SyncRig } from './helpers.js';

let rig: SyncRig;
afterEach(async () => rig?.close());

const LATER = new Date(NOW.getTime() + 3_600_000);

async function table<T extends Record<string, unknown>>(name: string, order = 'id'): Promise<T[]> {
  return rows<T>(rig.db.db, sql.raw(`select * from ${name} order by ${order}`));
}

describe('directory sync', { timeout: 180_000 }, () => {
  beforeEach(async () => {
    rig = await startRig({ serviceAccountsAcceptAdminKey: true, orgType: 'api' });
  });

  it('stores every resource with first/last seen, keys in both shapes, null creator and principal', async () => {
    const s = rig.sim.state;
    const ws = s.addWorkspace({ name: 'Research', createdAt: '2026-03-01T00:00:00Z' });
    const old = s.addWorkspace({ name: 'Old', createdAt: '2026-02-01T00:00:00Z', archivedAt: '2026-06-01T00:00:00Z' });
    const ada = s.addUser({ email: 'ada@example.com', name: 'Ada', role: 'admin', addedAt: '2026-01-10T00:00:00Z' });
    const bo = s.addUser({ email: 'bo@example.com', name: 'Bo', role: 'developer' });
    s.addWorkspaceMember({ workspaceId: ws.id, userId: ada.id, role: 'workspace_admin' });
    s.addWorkspaceMember({ workspaceId: old.id, userId: bo.id, role: 'workspace_developer' });
    const pending = s.addInvite({ email: 'new@example.com', role: 'developer', invitedAt: '2026-11-18T00:00:00Z' });
    const accepted = s.addInvite({
      email: 'bo@example.com',
      invitedAt: '2026-10-01T00:00:00Z',
      acceptedAt: '2026-10-02T00:00:00Z',
    });
    const sa = s.addServiceAccount({ name: 'ci-bot', createdByActorId: ada.id, createdAt: '2026-04-01T00:00:00Z' });
    const userKey = s.addApiKey({
      name: 'ada-prod',
      workspaceId: ws.id,
      createdBy: { id: ada.id, type: 'user' },
      principal: { type: 'user_actor', user_id: ada.id },
      expiresAt: '2027-01-01T00:00:00Z',
    });
    const botKey = s.addApiKey({
      name: 'bot',
      workspaceId: null,
      principal: { type: 'service_account_actor', service_account_id: sa.id },
    });
    const orphan = s.addApiKey({ name: 'orphan', createdBy: null, principal: null, status: 'inactive' });
    const legacy = s.addApiKey({
      name: 'legacy',
      workspaceId: ws.id,
      createdBy: { id: bo.id, type: 'user' },
      shape: 'legacy',
    });
    const legacyDefault = s.addApiKey({ name: 'legacy-default', shape: 'legacy' });
    const both = s.addApiKey({ name: 'both', workspaceId: ws.id, shape: 'both' });

    const report = await rig.service().run({ sources: ['directory'] });
    expect(report.ok).toBe(true);
    expect(report.sources[0]?.counts).toMatchObject({
      users: 2,
      invites: 2,
      workspaces: 3,
      members: 2,
      service_accounts: 1,
      api_keys: 6,
    });

    const users = await table<Record<string, unknown>>('org_users');
    expect(users).toHaveLength(2);
    const adaRow = users.find((u) => u.id === ada.id)!;
    expect(adaRow).toMatchObject({ email: 'ada@example.com', name: 'Ada', role: 'admin', removed_at: null });
    expect(new Date(adaRow.added_at as string).toISOString()).toBe('2026-01-10T00:00:00.000Z');
    expect(new Date(adaRow.first_seen_at as string).getTime()).toBe(NOW.getTime());
    expect(adaRow.raw).toMatchObject({ id: ada.id, type: 'user', email: 'ada@example.com' });

    const invites = await table<Record<string, unknown>>('invites');
    expect(invites.find((i) => i.id === pending.id)).toMatchObject({ status: 'pending', email: 'new@example.com' });
    expect(invites.find((i) => i.id === accepted.id)).toMatchObject({ status: 'accepted' });

    const workspaces = await table<Record<string, unknown>>('workspaces');
    expect(workspaces.map((w) => w.name as string).sort(byText)).toEqual(['Default', 'Old', 'Research']);
    expect(workspaces.find((w) => w.id === old.id)?.archived_at).not.toBeNull();

    const members = await table<Record<string, unknown>>('workspace_members', 'workspace_id, user_id');
    expect(members.map((m) => [m.workspace_id, m.user_id, m.workspace_role])).toEqual(
      expect.arrayContaining([
        [ws.id, ada.id, 'workspace_admin'],
        [old.id, bo.id, 'workspace_developer'],
      ]),
    );

    const sas = await table<Record<string, unknown>>('service_accounts');
    expect(sas).toEqual([
      expect.objectContaining({ id: sa.id, name: 'ci-bot', status: 'active', created_by_id: ada.id }),
    ]);

    const keys = new Map((await table<Record<string, unknown>>('api_keys')).map((k) => [k.id, k]));
    expect(keys.get(userKey.id)).toMatchObject({
      status: 'active',
      created_by_type: 'user',
      created_by_id: ada.id,
      principal_type: 'user',
      principal_id: ada.id,
      scope_type: 'workspace',
      workspace_id: ws.id,
      partial_key_hint: userKey.hint,
    });
    expect(keys.get(userKey.id)?.expires_at).not.toBeNull();
    expect(keys.get(botKey.id)).toMatchObject({
      principal_type: 'service_account',
      principal_id: sa.id,
      scope_type: 'organization',
      workspace_id: null,
    });
    expect(keys.get(orphan.id)).toMatchObject({
      status: 'inactive',
      created_by_id: null,
      created_by_type: null,
      principal_id: null,
    });
    expect(keys.get(legacy.id)).toMatchObject({
      scope_type: 'workspace',
      workspace_id: ws.id,
      created_by_id: bo.id,
      principal_id: null,
      expires_at: null,
    });
    expect(keys.get(legacy.id)?.raw).not.toHaveProperty('scope');
    expect(keys.get(legacyDefault.id)).toMatchObject({ scope_type: 'workspace', workspace_id: null });
    expect(keys.get(both.id)).toMatchObject({ scope_type: 'workspace', workspace_id: ws.id });
  });

  it('follows pagination across many pages', async () => {
    for (let i = 0; i < 250; i++)
      rig.sim.state.addApiKey({ name: `k${i}`, createdAt: Date.parse('2026-05-01T00:00:00Z') + i * 1000 });
    for (let i = 0; i < 45; i++) rig.sim.state.addUser({ email: `u${i}@example.com` });
    const report = await rig
      .service({ admin: { pageSize: 20 }, directoryBatchSize: 50 })
      .run({ sources: ['directory'] });
    expect(report.sources[0]).toMatchObject({ status: 'succeeded', counts: { api_keys: 250, users: 45 } });
    expect(rig.sim.calls.byOp('apiKeys.list')).toHaveLength(13);
    expect(rig.sim.calls.byOp('users.list')).toHaveLength(3);
    const { n } = await one<{ n: number }>(rig.db.db, sql`select count(distinct id)::int as n from api_keys`);
    expect(n).toBe(250);
  });

  it('marks what disappeared as removed (never deletes), and clears the mark when it comes back', async () => {
    const s = rig.sim.state;
    const ws = s.addWorkspace({ name: 'W' });
    const stay = s.addUser({ email: 'stay@example.com' });
    const leave = s.addUser({ email: 'leave@example.com' });
    s.addWorkspaceMember({ workspaceId: ws.id, userId: leave.id });
    const inv = s.addInvite({ email: 'x@example.com' });
    const key = s.addApiKey({ name: 'k' });
    const sa = s.addServiceAccount({ name: 'bot' });
    await rig.service().run({ sources: ['directory'] });

    s.removeUser(leave.id);
    s.invites.get(inv.id)!.deletedAt = NOW.getTime();
    const keyRecord = s.apiKeys.get(key.id)!;
    s.apiKeys.delete(key.id);
    s.serviceAccounts.delete(sa.id);
    const r2 = await rig.service({ now: () => LATER }).run({ sources: ['directory'] });
    expect(r2.sources[0]?.counts).toMatchObject({
      users_removed: 1,
      invites_removed: 1,
      members_removed: 1,
      api_keys_removed: 1,
      service_accounts_removed: 1,
    });

    const removedAt = async (t: string, id: string) =>
      (
        await rows<{ removed_at: unknown; first_seen_at: unknown }>(
          rig.db.db,
          sql`select removed_at, first_seen_at from ${sql.raw(t)} where id = ${id}`,
        )
      )[0];
    expect(new Date((await removedAt('org_users', leave.id))!.removed_at as string).getTime()).toBe(LATER.getTime());
    expect((await removedAt('org_users', stay.id))!.removed_at).toBeNull();
    expect((await removedAt('invites', inv.id))!.removed_at).not.toBeNull();
    expect((await removedAt('api_keys', key.id))!.removed_at).not.toBeNull();
    expect((await removedAt('service_accounts', sa.id))!.removed_at).not.toBeNull();
    const [m] = await rows<{ removed_at: unknown }>(
      rig.db.db,
      sql`select removed_at from workspace_members where user_id = ${leave.id}`,
    );
    expect(m?.removed_at).not.toBeNull();

    // The key comes back (e.g. a listing glitch upstream): live again, first seen unchanged.
    s.apiKeys.set(key.id, keyRecord);
    const LATEST = new Date(LATER.getTime() + 3_600_000);
    await rig.service({ now: () => LATEST }).run({ sources: ['directory'] });
    const back = (await rows<Record<string, unknown>>(rig.db.db, sql`select * from api_keys where id = ${key.id}`))[0]!;
    expect(back.removed_at).toBeNull();
    expect(new Date(back.first_seen_at as string).getTime()).toBe(NOW.getTime());
    expect(new Date(back.last_seen_at as string).getTime()).toBe(LATEST.getTime());
  });

  it('removes nothing from a listing that failed half-way, and still runs the other listings', async () => {
    const s = rig.sim.state;
    const keys = Array.from({ length: 60 }, (_, i) => s.addApiKey({ name: `k${i}` }));
    const gone = s.addUser({ email: 'gone@example.com' });
    s.addUser({ email: 'here@example.com' });
    await rig.service({ admin: { pageSize: 20 } }).run({ sources: ['directory'] });

    s.apiKeys.delete(keys[5]!.id);
    s.removeUser(gone.id);
    rig.sim.faults.add({ op: 'apiKeys.list', kind: 'server_error', after: 1, times: Infinity });
    const r = await rig
      .service({ now: () => LATER, admin: { pageSize: 20, maxRetries: 1 } })
      .run({ sources: ['directory'] });
    const d = r.sources[0]!;
    expect(d.status).toBe('failed');
    expect(d.error).toMatchObject({ code: 'anthropic_unavailable', retry: true });
    expect(d.notes.join('\n')).toMatch(/api keys: listing failed part-way after 20; none marked removed/);
    expect(d.counts).toMatchObject({ users_removed: 1, api_keys: 20 });
    expect(d.counts).not.toHaveProperty('api_keys_removed');
    const { n } = await one<{ n: number }>(
      rig.db.db,
      sql`select count(*)::int as n from api_keys where removed_at is not null`,
    );
    expect(n).toBe(0);
    // The page that did arrive was stored: its keys were seen again.
    const { seen } = await one<{ seen: number }>(
      rig.db.db,
      sql`select count(*)::int as seen from api_keys where last_seen_at = ${LATER.toISOString()}::timestamptz`,
    );
    expect(seen).toBe(20);
  });
});

describe('service accounts with an Admin API key', { timeout: 180_000 }, () => {
  beforeEach(async () => {
    rig = await startRig();
  });

  it('records "not available" (403), keeps existing accounts, and learns accounts from keys', async () => {
    const s = rig.sim.state;
    const listed = s.addServiceAccount({ name: 'listed-before' });
    const viaKey = s.addServiceAccount({ name: 'only-via-key' });
    s.addApiKey({ name: 'bot', principal: { type: 'service_account_actor', service_account_id: viaKey.id } });
    // Once, the credential could list them (say, an OAuth token).
    rig.sim.config.serviceAccountsAcceptAdminKey = true;
    await rig.service().run({ sources: ['directory'] });
    rig.sim.config.serviceAccountsAcceptAdminKey = false;
    s.serviceAccounts.delete(listed.id);

    const r = await rig.service({ now: () => LATER }).run({ sources: ['directory'] });
    const d = r.sources[0]!;
    expect(d.status).toBe('succeeded');
    expect(d.notes.join('\n')).toMatch(
      /service accounts: not available with this credential .*HTTP 403.*none marked removed/,
    );
    const sas = await table<Record<string, unknown>>('service_accounts');
    expect(sas.find((a) => a.id === listed.id)?.removed_at).toBeNull();
    expect(sas.find((a) => a.id === viaKey.id)).toMatchObject({ name: 'only-via-key', removed_at: null });
  });

  it('records by id a service account known only from a key', async () => {
    const sa = rig.sim.state.addServiceAccount({ name: 'hidden' });
    rig.sim.state.addApiKey({ name: 'bot', principal: { type: 'service_account_actor', service_account_id: sa.id } });
    const r = await rig.service().run({ sources: ['directory'] });
    expect(r.sources[0]?.counts).toMatchObject({ service_accounts_from_keys: 1 });
    expect(await table('service_accounts')).toEqual([
      expect.objectContaining({ id: sa.id, name: sa.id, status: null, raw: { id: sa.id, known_from: 'api_key' } }),
    ]);
  });
});
