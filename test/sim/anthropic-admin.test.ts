import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
} from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';

let sim: AnthropicSim;
let client: Anthropic;

beforeEach(async () => {
  sim = await startAnthropicSim({ now: () => Date.parse('2026-11-20T12:00:00Z') });
  client = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 0 });
});
afterEach(async () => {
  await sim.close();
});

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('users', () => {
  beforeEach(() => {
    sim.state.addUser({ email: 'owner@example.com', role: 'admin', addedAt: '2026-01-01T00:00:00Z' });
    for (let i = 0; i < 44; i++)
      sim.state.addUser({ email: `dev${i}@example.com`, addedAt: Date.parse('2026-02-01T00:00:00Z') + i * 60_000 });
  });

  it('auto-paginates every member newest first', async () => {
    const users = await all(client.organization.users.list({ limit: 10 }));
    expect(users).toHaveLength(45);
    expect(new Set(users.map((u) => u.id)).size).toBe(45);
    expect(users[0]).toMatchObject({ type: 'user', email: 'dev43@example.com', role: 'developer' });
    expect(users[44]?.email).toBe('owner@example.com');
    expect(sim.calls.byOp('users.list')).toHaveLength(5);
  });

  it('filters by email (case-insensitively) and by roles[]', async () => {
    const byEmail = await client.organization.users.list({ email: 'DEV7@example.com' });
    expect(byEmail.data.map((u) => u.email)).toEqual(['dev7@example.com']);
    const admins = await client.organization.users.list({ roles: ['admin', 'billing'] });
    expect(admins.data.map((u) => u.email)).toEqual(['owner@example.com']);
    expect(sim.calls.last()?.query).toMatchObject({ 'roles[]': ['admin', 'billing'] });
  });

  it('pages backwards with before_id', async () => {
    const first = await client.organization.users.list({ limit: 10 });
    const second = await client.organization.users.list({ limit: 10, after_id: first.last_id! });
    const back = await client.organization.users.list({ limit: 10, before_id: second.first_id! });
    expect(back.data.map((u) => u.id)).toEqual(first.data.map((u) => u.id));
    expect(back.has_more).toBe(false);
  });

  it('retrieves, changes the role of, and removes a member', async () => {
    const target = [...sim.state.users.values()].find((u) => u.email === 'dev3@example.com')!;
    await expect(client.organization.users.retrieve(target.id)).resolves.toMatchObject({
      id: target.id,
      role: 'developer',
    });
    await expect(client.organization.users.update(target.id, { role: 'user' })).resolves.toMatchObject({
      role: 'user',
    });
    expect((await client.organization.users.retrieve(target.id)).role).toBe('user');

    await expect(client.organization.users.remove(target.id)).resolves.toEqual({ id: target.id, type: 'user_deleted' });
    const users = await all(client.organization.users.list({ limit: 100 }));
    expect(users.map((u) => u.id)).not.toContain(target.id);
    await expect(client.organization.users.retrieve(target.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses roles the org type cannot assign, and removing admins', async () => {
    const dev = [...sim.state.users.values()].find((u) => u.role === 'developer')!;
    await expect(client.organization.users.update(dev.id, { role: 'managed' })).rejects.toBeInstanceOf(BadRequestError);
    const admin = [...sim.state.users.values()].find((u) => u.role === 'admin')!;
    await expect(client.organization.users.remove(admin.id)).rejects.toBeInstanceOf(BadRequestError);
  });

  it('reports the last member with the typed error code', async () => {
    const lone = await startAnthropicSim();
    try {
      const u = lone.state.addUser();
      const c = new Anthropic({ apiKey: lone.config.adminKey, baseURL: lone.url, maxRetries: 0 });
      const err = await c.organization.users.remove(u.id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.Organization.CannotRemoveLastMemberError);
      expect((err as APIError).errorCode).toBe('cannot_remove_last_member');
    } finally {
      await lone.close();
    }
  });
});

describe('invites', () => {
  it('lists pending, accepted and expired invites, filters by status, and deletes', async () => {
    const pending = sim.state.addInvite({ email: 'new@example.com', invitedAt: '2026-11-10T00:00:00Z' });
    sim.state.addInvite({ email: 'old@example.com', invitedAt: '2026-09-01T00:00:00Z' });
    sim.state.addInvite({
      email: 'joined@example.com',
      invitedAt: '2026-11-01T00:00:00Z',
      acceptedAt: '2026-11-02T00:00:00Z',
    });

    const invites = await all(client.organization.invites.list({ limit: 2 }));
    expect(Object.fromEntries(invites.map((i) => [i.email, i.status]))).toEqual({
      'new@example.com': 'pending',
      'old@example.com': 'expired',
      'joined@example.com': 'accepted',
    });
    expect(invites[0]).toMatchObject({
      type: 'invite',
      rbac_group_ids: [],
      accepted_at: null,
      expires_at: '2026-12-01T00:00:00Z',
    });
    const expired = await client.organization.invites.list({ statuses: ['expired'] });
    expect(expired.data.map((i) => i.email)).toEqual(['old@example.com']);

    await expect(client.organization.invites.delete(pending.id)).resolves.toEqual({
      id: pending.id,
      type: 'invite_deleted',
    });
    expect((await all(client.organization.invites.list())).map((i) => i.email)).not.toContain('new@example.com');
    await expect(client.organization.invites.retrieve(pending.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('workspaces and members', () => {
  it('hides archived and default workspaces unless asked, and archives', async () => {
    const live = sim.state.addWorkspace({ name: 'Research' });
    const gone = sim.state.addWorkspace({ name: 'Old', archivedAt: '2026-06-01T00:00:00Z' });
    expect((await all(client.organization.workspaces.list())).map((w) => w.name)).toEqual(['Research']);
    const everything = await all(
      client.organization.workspaces.list({ include_archived: true, include_default: true }),
    );
    expect(everything.map((w) => w.id).sort()).toEqual([live.id, gone.id, sim.state.defaultWorkspace.id].sort());
    expect(everything.find((w) => w.id === gone.id)?.archived_at).toBe('2026-06-01T00:00:00Z');
    const ws = await client.organization.workspaces.retrieve(live.id);
    expect(ws).toMatchObject({
      type: 'workspace',
      name: 'Research',
      archived_at: null,
      data_residency: { workspace_geo: 'us' },
    });
    await expect(client.organization.workspaces.archive(live.id)).resolves.toMatchObject({
      archived_at: '2026-11-20T12:00:00Z',
    });
    expect(await all(client.organization.workspaces.list())).toEqual([]);
  });

  it('lists, retrieves, updates and removes workspace members', async () => {
    const ws = sim.state.addWorkspace();
    const users = Array.from({ length: 7 }, () => sim.state.addUser());
    for (const u of users)
      sim.state.addWorkspaceMember({ workspaceId: ws.id, userId: u.id, role: 'workspace_developer' });
    const members = await all(client.organization.workspaces.members.list(ws.id, { limit: 3 }));
    expect(members).toHaveLength(7);
    expect(members[0]).toEqual({
      type: 'workspace_member',
      user_id: users[6]!.id,
      workspace_id: ws.id,
      workspace_role: 'workspace_developer',
    });

    const u = users[2]!;
    await client.organization.workspaces.members.update(u.id, {
      workspace_id: ws.id,
      workspace_role: 'workspace_user',
    });
    expect((await client.organization.workspaces.members.retrieve(u.id, { workspace_id: ws.id })).workspace_role).toBe(
      'workspace_user',
    );
    await expect(client.organization.workspaces.members.remove(u.id, { workspace_id: ws.id })).resolves.toEqual({
      type: 'workspace_member_deleted',
      user_id: u.id,
      workspace_id: ws.id,
    });
    expect((await all(client.organization.workspaces.members.list(ws.id))).map((m) => m.user_id)).not.toContain(u.id);
    await expect(client.organization.workspaces.members.retrieve(u.id, { workspace_id: ws.id })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('drops workspace memberships when a member leaves the organisation', async () => {
    const ws = sim.state.addWorkspace();
    const [a, b] = [sim.state.addUser(), sim.state.addUser()];
    sim.state.addWorkspaceMember({ workspaceId: ws.id, userId: a.id });
    sim.state.addWorkspaceMember({ workspaceId: ws.id, userId: b.id });
    await client.organization.users.remove(a.id);
    expect((await all(client.organization.workspaces.members.list(ws.id))).map((m) => m.user_id)).toEqual([b.id]);
  });
});

describe('service accounts', () => {
  it('refuses Admin API keys, as documented, and serves an org:admin OAuth token', async () => {
    for (let i = 0; i < 25; i++)
      sim.state.addServiceAccount({ createdAt: Date.parse('2026-03-01T00:00:00Z') + i * 1000 });
    const archived = sim.state.addServiceAccount({ name: 'retired', archivedAt: '2026-04-01T00:00:00Z' });
    await expect(client.organization.serviceAccounts.list()).rejects.toBeInstanceOf(PermissionDeniedError);

    const oauth = new Anthropic({ apiKey: sim.config.oauthToken, baseURL: sim.url, maxRetries: 0 });
    const active = await all(oauth.organization.serviceAccounts.list({ limit: 10 }));
    expect(active).toHaveLength(25);
    expect(active[0]).toMatchObject({
      type: 'service_account',
      name: 'service-account-25',
      archived_at: null,
      organization_role: 'developer',
    });
    const withArchived = await all(oauth.organization.serviceAccounts.list({ limit: 10, include_archived: true }));
    expect(withArchived.map((s) => s.id)).toContain(archived.id);
    expect(sim.calls.byOp('serviceAccounts.list').at(-1)?.query).toHaveProperty('page');
  });

  it('archives idempotently and refuses while federation rules target it', async () => {
    sim.config.serviceAccountsAcceptAdminKey = true;
    const sa = sim.state.addServiceAccount();
    const first = await client.organization.serviceAccounts.archive(sa.id);
    expect(first.archived_at).toBe('2026-11-20T12:00:00Z');
    sim.clock.advance(60_000);
    expect((await client.organization.serviceAccounts.archive(sa.id)).archived_at).toBe(first.archived_at);
    expect((await all(client.organization.serviceAccounts.list())).map((s) => s.id)).not.toContain(sa.id);
    const bound = sim.state.addServiceAccount({ liveFederationRules: 1 });
    await expect(client.organization.serviceAccounts.archive(bound.id)).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('API keys', () => {
  it('auto-paginates 250 keys 20 at a time, in order, without repeats', async () => {
    for (let i = 0; i < 250; i++)
      sim.state.addApiKey({ name: `k${i}`, createdAt: Date.parse('2026-05-01T00:00:00Z') + i * 1000 });
    const keys = await all(client.organization.apiKeys.list({ limit: 20 }));
    expect(keys).toHaveLength(250);
    expect(keys.map((k) => k.name)).toEqual(Array.from({ length: 250 }, (_, i) => `k${249 - i}`));
    expect(sim.calls.byOp('apiKeys.list')).toHaveLength(13);
  });

  it('filters by status, workspace and creator, and returns the current shape', async () => {
    const ws = sim.state.addWorkspace();
    const alice = sim.state.addUser();
    const bot = sim.state.addServiceAccount();
    const a = sim.state.addApiKey({
      workspaceId: ws.id,
      createdBy: { id: alice.id, type: 'user' },
      principal: { type: 'user_actor', user_id: alice.id },
    });
    const b = sim.state.addApiKey({
      status: 'inactive',
      createdBy: null,
      principal: { type: 'service_account_actor', service_account_id: bot.id },
    });
    const c = sim.state.addApiKey({ workspaceId: null, principal: { type: 'user_actor', user_id: alice.id } });
    const d = sim.state.addApiKey({ expiresAt: '2026-11-01T00:00:00Z' });

    expect((await client.organization.apiKeys.list({ status: 'inactive' })).data.map((k) => k.id)).toEqual([b.id]);
    expect((await client.organization.apiKeys.list({ status: 'expired' })).data.map((k) => k.id)).toEqual([d.id]);
    expect((await client.organization.apiKeys.list({ workspace_id: ws.id })).data.map((k) => k.id)).toEqual([a.id]);
    expect((await client.organization.apiKeys.list({ created_by_user_id: alice.id })).data.map((k) => k.id)).toEqual([
      a.id,
    ]);

    const got = await client.organization.apiKeys.retrieve(a.id);
    expect(got).toEqual({
      id: a.id,
      type: 'api_key',
      name: a.name,
      created_at: '2026-11-20T12:00:00Z',
      created_by: { id: alice.id, type: 'user' },
      expires_at: null,
      partial_key_hint: expect.stringMatching(/^sk-ant-api03-\w{3}\.\.\.\w{4}$/),
      principal: { type: 'user_actor', user_id: alice.id },
      scope: { type: 'workspace', workspace_id: ws.id },
      status: 'active',
    });
    expect((await client.organization.apiKeys.retrieve(b.id)).created_by).toBeNull();
    expect((await client.organization.apiKeys.retrieve(c.id)).scope).toEqual({ type: 'organization' });
    expect((await client.organization.apiKeys.retrieve(d.id)).scope).toEqual({
      type: 'workspace',
      workspace_id: sim.state.defaultWorkspace.id,
    });
  });

  it('emits the legacy top-level workspace_id shape per key or sim-wide', async () => {
    const ws = sim.state.addWorkspace();
    const legacy = sim.state.addApiKey({ workspaceId: ws.id, shape: 'legacy' });
    const inDefault = sim.state.addApiKey({ shape: 'legacy' });
    const raw = (await client.organization.apiKeys.retrieve(legacy.id)) as unknown as Record<string, unknown>;
    expect(raw['workspace_id']).toBe(ws.id);
    expect(raw).not.toHaveProperty('scope');
    expect(raw).not.toHaveProperty('principal');
    expect(
      ((await client.organization.apiKeys.retrieve(inDefault.id)) as unknown as Record<string, unknown>)[
        'workspace_id'
      ],
    ).toBeNull();

    sim.config.apiKeyShape = 'both';
    const current = sim.state.addApiKey({ workspaceId: ws.id });
    const both = (await client.organization.apiKeys.retrieve(current.id)) as unknown as Record<string, unknown>;
    expect(both).toMatchObject({ workspace_id: ws.id, scope: { type: 'workspace', workspace_id: ws.id } });
  });

  it('deactivates, renames, archives, and then refuses changes to an archived key', async () => {
    const k = sim.state.addApiKey({ name: 'ci' });
    await expect(client.organization.apiKeys.update(k.id, { status: 'inactive' })).resolves.toMatchObject({
      status: 'inactive',
    });
    expect((await client.organization.apiKeys.list({ status: 'inactive' })).data.map((x) => x.id)).toEqual([k.id]);
    expect((await client.organization.apiKeys.list({ status: 'active' })).data).toEqual([]);
    await expect(client.organization.apiKeys.update(k.id, { name: 'ci-old', status: 'active' })).resolves.toMatchObject(
      { name: 'ci-old', status: 'active' },
    );
    await client.organization.apiKeys.update(k.id, { status: 'archived' });
    await expect(client.organization.apiKeys.update(k.id, { status: 'active' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(client.organization.apiKeys.update(k.id, { status: 'disabled' as 'inactive' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });

  it('replays a repeated Idempotency-Key without applying the change twice', async () => {
    const k = sim.state.addApiKey({ name: 'svc' });
    const opts = { headers: { 'Idempotency-Key': 'revoke-1' } };
    const first = await client.organization.apiKeys.update(k.id, { status: 'inactive' }, opts);
    sim.state.apiKey(k.id)!.status = 'active'; // someone re-enabled it out of band
    const again = await client.organization.apiKeys.update(k.id, { status: 'inactive' }, opts);
    expect(again).toEqual(first);
    expect(sim.state.apiKey(k.id)!.status).toBe('active');
    const calls = sim.calls.byOp('apiKeys.update');
    expect(calls.map((c) => [c.headers['idempotency-key'], c.replayed])).toEqual([
      ['revoke-1', false],
      ['revoke-1', true],
    ]);
    await expect(client.organization.apiKeys.update(k.id, { status: 'archived' }, opts)).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });

  it('with a response lost after the change, a retry under the same key applies it once', async () => {
    const k = sim.state.addApiKey();
    sim.config.feed.indexLagMs = 0;
    sim.faults.add({ op: 'apiKeys.update', kind: 'server_error', phase: 'after', retryAfterMs: 1 });
    const retrying = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 2 });
    await retrying.organization.apiKeys.update(k.id, { status: 'inactive' }, { headers: { 'Idempotency-Key': 'k-1' } });
    expect(sim.calls.byOp('apiKeys.update').map((c) => [c.status, c.replayed])).toEqual([
      [500, false],
      [200, true],
    ]);
    const updates = sim.state.compliance.explicitActivities().filter((a) => a.type === 'platform_api_key_updated');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      api_key_id: k.id,
      updates: [{ type: 'status', previous_value: 'active', current_value: 'inactive' }],
      actor: { type: 'admin_api_key_actor', admin_api_key_id: sim.config.adminKeyId },
    });
    expect(sim.config.adminKeyId).toMatch(/^admin_api_key_01/);
  });
});

describe('auth and wire details', () => {
  it('answers a bad key with 401 and the real error envelope', async () => {
    const bad = new Anthropic({ apiKey: 'sk-ant-admin01-wrong', baseURL: sim.url, maxRetries: 0 });
    const err = (await bad.organization.users.list().catch((e: unknown) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.requestID).toMatch(/^req_/);

    const res = await fetch(`${sim.url}/v1/organizations/users`, {
      headers: { 'x-api-key': 'nope', 'anthropic-version': '2023-06-01' },
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
      request_id: res.headers.get('request-id'),
    });
  });

  it('accepts the admin key as x-api-key and requires anthropic-version', async () => {
    const ok = await fetch(`${sim.url}/v1/organizations/me`, {
      headers: { 'x-api-key': sim.config.adminKey, 'anthropic-version': '2023-06-01' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: sim.state.org.uuid, type: 'organization', name: 'Simulated Organization' });
    const noVersion = await fetch(`${sim.url}/v1/organizations/me`, { headers: { 'x-api-key': sim.config.adminKey } });
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect((await fetch(`${sim.url}/v1/nowhere`, { headers: { 'x-api-key': sim.config.adminKey } })).status).toBe(404);
  });

  it('records calls with selected headers but never the credential', async () => {
    sim.state.addUser();
    await client.organization.users.list({ limit: 5 });
    await fetch(`${sim.url}/v1/organizations/users`, {
      headers: { 'x-api-key': sim.config.adminKey, 'anthropic-version': '2023-06-01' },
    });
    const [viaSdk, viaFetch] = sim.calls.all;
    expect(viaSdk).toMatchObject({
      method: 'GET',
      path: '/v1/organizations/users',
      op: 'users.list',
      query: { limit: '5' },
      status: 200,
    });
    expect(viaSdk?.auth).toEqual({ scheme: 'bearer', credential: 'admin', matched: true });
    expect(viaSdk?.headers['anthropic-version']).toBe('2026-10-21');
    expect(viaFetch?.auth).toEqual({ scheme: 'x-api-key', credential: 'admin', matched: true });
    expect(JSON.stringify(sim.calls.all)).not.toContain(sim.config.adminKey);
  });

  it('validates limit like the real list endpoints', async () => {
    await expect(client.organization.users.list({ limit: 0 })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.organization.users.list({ limit: 1001 })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.organization.users.list({ after_id: 'user_nope' })).rejects.toBeInstanceOf(BadRequestError);
  });
});
