import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSdkAdminApi } from '../../src/anthropic/sdk-admin-api.js';
import type { AdminApi } from '../../src/anthropic/admin-api.js';
import { StewardError } from '../../src/domain/errors.js';
import { startAnthropicSim, type AnthropicSim } from '../../src/sim/anthropic/index.js';
import { NOW } from './helpers.js';

let sim: AnthropicSim;
let api: AdminApi;

beforeEach(async () => {
  sim = await startAnthropicSim({ now: () => NOW, serviceAccountsAcceptAdminKey: true });
  api = createSdkAdminApi({ apiKey: sim.config.adminKey, baseUrl: sim.url, maxRetries: 2, timeoutMs: 1_000 });
});
afterEach(async () => sim.close());

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('Admin API adapter (real SDK against the simulator)', { timeout: 180_000 }, () => {
  it('performs each revocation with its idempotency key, and a replay is applied once', async () => {
    const s = sim.state;
    const ws = s.addWorkspace({ name: 'W' });
    s.addUser({ email: 'keep@example.com' });
    const u = s.addUser({ email: 'u@example.com', role: 'developer' });
    const v = s.addUser({ email: 'v@example.com', role: 'developer' });
    s.addWorkspaceMember({ workspaceId: ws.id, userId: u.id, role: 'workspace_admin' });
    s.addWorkspaceMember({ workspaceId: ws.id, userId: v.id, role: 'workspace_developer' });
    const k = s.addApiKey({ name: 'k' });
    const inv = s.addInvite({ email: 'i@example.com' });
    const sa = s.addServiceAccount({ name: 'bot' });

    expect(await api.setApiKeyStatus(k.id, 'inactive', { idempotencyKey: 'idem-key-1' })).toMatchObject({
      id: k.id,
      status: 'inactive',
    });
    expect(await api.setApiKeyStatus(k.id, 'inactive', { idempotencyKey: 'idem-key-1' })).toMatchObject({
      status: 'inactive',
    });
    expect(
      await api.setWorkspaceMemberRole(ws.id, u.id, 'workspace_developer', { idempotencyKey: 'idem-ws-1' }),
    ).toMatchObject({ workspace_role: 'workspace_developer' });
    expect(await api.removeWorkspaceMember(ws.id, v.id, { idempotencyKey: 'idem-ws-2' })).toMatchObject({
      type: 'workspace_member_deleted',
      user_id: v.id,
    });
    expect(await api.setOrgRole(u.id, 'user', { idempotencyKey: 'idem-role-1' })).toMatchObject({ role: 'user' });
    expect(await api.removeOrgMember(u.id, { idempotencyKey: 'idem-rm-1' })).toEqual({
      id: u.id,
      type: 'user_deleted',
    });
    expect(await api.deleteInvite(inv.id, { idempotencyKey: 'idem-inv-1' })).toEqual({
      id: inv.id,
      type: 'invite_deleted',
    });
    expect(await api.archiveServiceAccount(sa.id, { idempotencyKey: 'idem-sa-1' })).toMatchObject({
      id: sa.id,
      archived_at: expect.any(String),
    });

    const mutations = sim.calls.all.filter((c) => c.method !== 'GET');
    expect(mutations.map((c) => c.headers['idempotency-key'])).toEqual([
      'idem-key-1',
      'idem-key-1',
      'idem-ws-1',
      'idem-ws-2',
      'idem-role-1',
      'idem-rm-1',
      'idem-inv-1',
      'idem-sa-1',
    ]);
    expect(mutations[1]?.replayed).toBe(true);
    // The replayed update emitted no second activity.
    expect(sim.state.compliance.explicitActivities().filter((a) => a.type === 'platform_api_key_updated')).toHaveLength(
      1,
    );
  });

  it('maps refusals to StewardErrors that say whether to retry', async () => {
    const admin = sim.state.addUser({ role: 'admin' });
    const err = await api.removeOrgMember(admin.id, { idempotencyKey: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StewardError);
    expect(err).toMatchObject({ code: 'anthropic_bad_request', retry: false });
    expect((err as Error).message).toMatch(
      /removing member .* failed with HTTP 400 \(invalid_request_error: Organization members with the admin role/,
    );

    sim.config.serviceAccountsAcceptAdminKey = false;
    const sa = sim.state.addServiceAccount();
    await expect(api.archiveServiceAccount(sa.id, { idempotencyKey: 'y' })).rejects.toMatchObject({
      code: 'anthropic_forbidden',
      retry: false,
    });
  });

  it('lets the SDK honour retry-after on 429, retry 5xx and hangs, and stop on x-should-retry: false', async () => {
    for (let i = 0; i < 5; i++) sim.state.addUser();
    sim.faults.add({ op: 'users.list', kind: 'rate_limit', retryAfter: 1 });
    const t0 = Date.now();
    expect(await all(api.listUsers())).toHaveLength(5);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);

    sim.faults.add({ op: 'invites.list', kind: 'server_error' });
    sim.faults.add({ op: 'invites.list', kind: 'hang', after: 1 });
    await expect(all(api.listInvites())).resolves.toEqual([]);
    expect(sim.calls.byOp('invites.list').map((c) => c.fault ?? 'ok')).toEqual(['server_error', 'hang', 'ok']);

    sim.faults.add({ op: 'apiKeys.list', kind: 'server_error', shouldRetry: false });
    await expect(all(api.listApiKeys())).rejects.toMatchObject({ code: 'anthropic_unavailable', retry: false });
    expect(sim.calls.byOp('apiKeys.list')).toHaveLength(1);

    sim.faults.add({ op: 'workspaces.list', kind: 'hang', times: Infinity });
    await expect(all(api.listWorkspaces())).rejects.toMatchObject({
      code: 'anthropic_timeout',
      retry: true,
      message: expect.stringMatching(/listing workspaces timed out after 1000 ms/),
    });
  });

  it('surfaces documented retry-safe errors as retryable, and a resend under the same key applies once', async () => {
    const k = sim.state.addApiKey({ name: 'k' });
    sim.faults.add({ op: 'apiKeys.update', kind: 'api_key_requester_unconfirmed' });
    const err = await api.setApiKeyStatus(k.id, 'inactive', { idempotencyKey: 'rv-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StewardError);
    expect(err).toMatchObject({
      code: 'anthropic_requester_unconfirmed',
      retry: true,
      details: { status: 403, errorCode: 'api_key_requester_unconfirmed' },
    });
    expect(sim.state.apiKey(k.id)!.status).toBe('active');
    expect(await api.setApiKeyStatus(k.id, 'inactive', { idempotencyKey: 'rv-1' })).toMatchObject({
      status: 'inactive',
    });
    const updates = sim.state.compliance.explicitActivities().filter((a) => a.type === 'platform_api_key_updated');
    expect(updates).toHaveLength(1);

    // 409 and 503 are resent by the SDK itself, under the same key, before the adapter sees them.
    const u = sim.state.addUser({ email: 'leaving@example.com' });
    sim.state.addUser({ email: 'staying@example.com' });
    sim.faults.add({ op: 'users.remove', kind: 'concurrent_membership_change', retryAfterMs: 1 });
    sim.faults.add({ op: 'users.remove', kind: 'change_outcome_unknown', phase: 'after', retryAfterMs: 1 });
    await expect(api.removeOrgMember(u.id, { idempotencyKey: 'rm-9' })).resolves.toEqual({
      id: u.id,
      type: 'user_deleted',
    });
    expect(sim.calls.byOp('users.remove').map((c) => [c.status, c.headers['idempotency-key'], c.replayed])).toEqual([
      [409, 'rm-9', false],
      [503, 'rm-9', false],
      [200, 'rm-9', true],
    ]);
  });

  it('reports a permanent active-key limit with what to do about it', async () => {
    const k = sim.state.addApiKey({ status: 'inactive' });
    sim.state.addApiKey();
    sim.config.limits.orgActiveApiKeys = 1;
    await expect(api.setApiKeyStatus(k.id, 'active', { idempotencyKey: 'ra-1' })).rejects.toMatchObject({
      code: 'anthropic_key_limit',
      retry: false,
      message: expect.stringMatching(/limit of active API keys: archive keys it no longer needs or ask Anthropic/),
    });
  });

  it('reads seat activity over a range, Claude Code use by email and key name, and compliance settings', async () => {
    sim.config.orgType = 'enterprise';
    const amy = sim.state.addUser({ email: 'amy@example.com' });
    sim.state.addUser({ email: 'bo@example.com' });
    sim.state.addUserActivity({ userId: amy.id, date: '2026-11-02', chatMessages: 2 });
    const seats = await all(api.seatActivityRange({ start: '2026-11-01', end: '2026-11-19' }));
    expect(seats.map((s) => [s.email, s.lastActivityDate])).toEqual([
      ['amy@example.com', '2026-11-02'],
      ['bo@example.com', null],
    ]);
    expect(seats[0]?.metrics).not.toHaveProperty('last_activity_date');
    expect(sim.calls.byOp('analytics.users')).toHaveLength(1);

    const paged = createSdkAdminApi({ apiKey: sim.config.adminKey, baseUrl: sim.url, reportPageSize: 2 });
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com'])
      sim.state.addClaudeCodeUsage({ date: '2026-11-18', userEmail: email, sessions: 2 });
    sim.state.addClaudeCodeUsage({ date: '2026-11-18', apiKeyName: 'ci-runner' });
    const cc = await all(paged.claudeCodeUsage('2026-11-18'));
    expect(cc.map((r) => [r.day, r.userEmail ?? r.apiKeyName, r.sessions])).toEqual([
      ['2026-11-18', 'ci-runner', 1],
      ['2026-11-18', 'a@example.com', 2],
      ['2026-11-18', 'b@example.com', 2],
      ['2026-11-18', 'c@example.com', 2],
    ]);
    expect(sim.calls.byOp('usageReport.claudeCode')).toHaveLength(2);
    sim.faults.add({ op: 'usageReport.claudeCode', kind: 'malformed', malformed: 'wrong_shape' });
    await expect(all(paged.claudeCodeUsage('2026-11-18'))).rejects.toMatchObject({
      code: 'anthropic_malformed_response',
    });

    expect(await api.complianceEnabled()).toBe(true);
    sim.config.complianceEnabled = false;
    expect(await api.complianceEnabled()).toBe(false);
  });
});
