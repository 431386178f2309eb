import Anthropic, { BadRequestError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicSim, type AnthropicSim, type SimApiKey } from '../../src/sim/anthropic/index.js';

// The SDK exposes its typed Admin API errors on the client's namespace, not as named exports.
const { APIKeyRequesterUnconfirmedError, ChangeOutcomeUnknownError, ConcurrentMembershipChangeError } = Anthropic;
const { OrgAPIKeyLimitExceededError, WorkspaceAPIKeyLimitExceededError } = Anthropic.Organization.APIKeys;
type Typed = InstanceType<typeof APIKeyRequesterUnconfirmedError>;

/**
 * The Admin API errors the SDK 1.16 `.d.ts` documents as safe to resend or as permanent limits,
 * injected once or persistently through the fault mechanism, with the partial effects the docs give
 * them; and the documented side effects of removing a user and archiving a service account.
 */
let sim: AnthropicSim;
let client: Anthropic;
let oauth: Anthropic;

beforeEach(async () => {
  sim = await startAnthropicSim({ now: () => Date.parse('2026-11-20T12:00:00Z'), feed: { indexLagMs: 0 } });
  client = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 0 });
  oauth = new Anthropic({ apiKey: sim.config.oauthToken, baseURL: sim.url, maxRetries: 0 });
  sim.state.addUser({ email: 'owner@example.com', role: 'admin' });
});
afterEach(async () => {
  await sim.close();
});

const idem = (key: string) => ({ headers: { 'Idempotency-Key': key } });

function keyUpdates(): { api_key_id: string; updates: unknown[] }[] {
  return sim.state.compliance.explicitActivities().filter((a) => a.type === 'platform_api_key_updated') as unknown as {
    api_key_id: string;
    updates: unknown[];
  }[];
}

function userWithKeys(n: number) {
  const user = sim.state.addUser({ email: 'leaver@example.com' });
  const keys = Array.from({ length: n }, (_, i) =>
    sim.state.addApiKey({ name: `own-${i}`, principal: { type: 'user_actor', user_id: user.id } }),
  );
  // Created by the user but bound to no principal: a removal leaves it alone.
  const unbound = sim.state.addApiKey({ name: 'made-by', createdBy: { id: user.id, type: 'user' } });
  return { user, keys, unbound };
}

describe('api_key_requester_unconfirmed (403)', () => {
  it('on an API key update: typed, the key unchanged, and a resend under the same key applies it', async () => {
    const k = sim.state.addApiKey();
    const fault = sim.faults.add({ op: 'apiKeys.update', kind: 'api_key_requester_unconfirmed' });
    const err = await client.organization.apiKeys
      .update(k.id, { status: 'inactive' }, idem('revoke-1'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIKeyRequesterUnconfirmedError);
    const typed = err as Typed;
    expect(typed.status).toBe(403);
    expect(typed.errorCode).toBe('api_key_requester_unconfirmed');
    expect(typed.details).toEqual({ error_code: 'api_key_requester_unconfirmed' });
    expect(typed.type).toBe('permission_error');
    expect(typed.requestID).toMatch(/^req_/);
    expect(sim.state.apiKey(k.id)!.status).toBe('active');
    expect(keyUpdates()).toHaveLength(0);

    const after = await client.organization.apiKeys.update(k.id, { status: 'inactive' }, idem('revoke-1'));
    expect(after.status).toBe('inactive');
    expect(fault.fired).toBe(1);
    expect(keyUpdates()).toEqual([
      expect.objectContaining({
        api_key_id: k.id,
        updates: [{ type: 'status', previous_value: 'active', current_value: 'inactive' }],
      }),
    ]);
  });

  it('persistently: every resend is refused and nothing changes', async () => {
    const k = sim.state.addApiKey();
    const fault = sim.faults.add({ op: 'apiKeys.update', kind: 'api_key_requester_unconfirmed', times: Infinity });
    // The SDK does not retry a 403 on its own.
    const retrying = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 3 });
    for (let i = 0; i < 3; i++) {
      await expect(
        retrying.organization.apiKeys.update(k.id, { status: 'inactive' }, idem('revoke-2')),
      ).rejects.toBeInstanceOf(APIKeyRequesterUnconfirmedError);
    }
    expect(fault.fired).toBe(3);
    expect(sim.calls.byOp('apiKeys.update')).toHaveLength(3);
    expect(sim.state.apiKey(k.id)!.status).toBe('active');
  });

  it('on a user removal: still a member, signed out, some keys off; the resend finishes the removal', async () => {
    const { user, keys, unbound } = userWithKeys(4);
    sim.faults.add({ op: 'users.remove', kind: 'api_key_requester_unconfirmed' });
    await expect(client.organization.users.remove(user.id, idem('rm-1'))).rejects.toBeInstanceOf(
      APIKeyRequesterUnconfirmedError,
    );
    expect(sim.state.user(user.id)!.removedAt).toBeNull();
    expect(sim.state.user(user.id)!.signedOutAt).not.toBeNull();
    const status = (ks: SimApiKey[]) => ks.map((k) => sim.state.apiKey(k.id)!.status);
    expect(status(keys)).toEqual(['inactive', 'inactive', 'active', 'active']);
    expect(await client.organization.users.retrieve(user.id)).toMatchObject({ id: user.id });

    await client.organization.users.remove(user.id, idem('rm-1'));
    expect(sim.state.user(user.id)!.removedAt).not.toBeNull();
    expect(status(keys)).toEqual(['inactive', 'inactive', 'inactive', 'inactive']);
    expect(sim.state.apiKey(unbound.id)!.status).toBe('active');
    expect(keyUpdates().map((a) => a.api_key_id)).toEqual(keys.map((k) => k.id));
  });

  it('on a service-account archive: archived, some keys not; the resend archives the rest', async () => {
    const sa = sim.state.addServiceAccount({ name: 'ci' });
    const keys = Array.from({ length: 3 }, (_, i) =>
      sim.state.addApiKey({ name: `ci-${i}`, principal: { type: 'service_account_actor', service_account_id: sa.id } }),
    );
    sim.faults.add({ op: 'serviceAccounts.archive', kind: 'api_key_requester_unconfirmed', keysTurnedOff: 1 });
    await expect(oauth.organization.serviceAccounts.archive(sa.id, idem('arch-1'))).rejects.toBeInstanceOf(
      APIKeyRequesterUnconfirmedError,
    );
    expect(sim.state.serviceAccounts.get(sa.id)!.archivedAt).not.toBeNull();
    expect(keys.map((k) => sim.state.apiKey(k.id)!.status)).toEqual(['archived', 'active', 'active']);
    const again = await oauth.organization.serviceAccounts.archive(sa.id, idem('arch-1'));
    expect(again.archived_at).not.toBeNull();
    expect(keys.map((k) => sim.state.apiKey(k.id)!.status)).toEqual(['archived', 'archived', 'archived']);
  });
});

describe('concurrent_membership_change (409) and change_outcome_unknown (503)', () => {
  it('409: the SDK resends it by itself, under the same idempotency key, and the removal happens once', async () => {
    const { user } = userWithKeys(1);
    sim.faults.add({ op: 'users.remove', kind: 'concurrent_membership_change', retryAfterMs: 1 });
    const retrying = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 2 });
    await retrying.organization.users.remove(user.id, idem('rm-2'));
    const calls = sim.calls.byOp('users.remove');
    expect(calls.map((c) => [c.status, c.headers['idempotency-key']])).toEqual([
      [409, 'rm-2'],
      [200, 'rm-2'],
    ]);
    expect(sim.state.compliance.explicitActivities().filter((a) => a.type === 'org_user_deleted')).toHaveLength(1);
  });

  it('409 persistently: typed once retries run out, and nothing is applied', async () => {
    const { user } = userWithKeys(1);
    sim.faults.add({ op: 'users.remove', kind: 'concurrent_membership_change', times: Infinity });
    const err = await client.organization.users.remove(user.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrentMembershipChangeError);
    expect((err as InstanceType<typeof ConcurrentMembershipChangeError>).type).toBe('conflict_error');
    expect(sim.state.user(user.id)!.removedAt).toBeNull();
  });

  it('503 before the change: nothing saved; the resend saves it', async () => {
    const k = sim.state.addApiKey();
    sim.faults.add({ op: 'apiKeys.update', kind: 'change_outcome_unknown' });
    const err = await client.organization.apiKeys.update(k.id, { status: 'inactive' }, idem('u-1')).catch((e) => e);
    expect(err).toBeInstanceOf(ChangeOutcomeUnknownError);
    expect((err as InstanceType<typeof ChangeOutcomeUnknownError>).status).toBe(503);
    expect(sim.state.apiKey(k.id)!.status).toBe('active');
    await client.organization.apiKeys.update(k.id, { status: 'inactive' }, idem('u-1'));
    expect(sim.state.apiKey(k.id)!.status).toBe('inactive');
    expect(keyUpdates()).toHaveLength(1);
  });

  it('503 after the change: already saved; the resend is answered from the saved result, not applied twice', async () => {
    const k = sim.state.addApiKey();
    sim.faults.add({ op: 'apiKeys.update', kind: 'change_outcome_unknown', phase: 'after', retryAfterMs: 1 });
    expect(sim.state.apiKey(k.id)!.status).toBe('active');
    const retrying = new Anthropic({ apiKey: sim.config.adminKey, baseURL: sim.url, maxRetries: 2 });
    const out = await retrying.organization.apiKeys.update(k.id, { status: 'inactive' }, idem('u-2'));
    expect(out.status).toBe('inactive');
    expect(sim.calls.byOp('apiKeys.update').map((c) => [c.status, c.replayed])).toEqual([
      [503, false],
      [200, true],
    ]);
    expect(keyUpdates()).toHaveLength(1);
  });
});

describe('active-key limits (permanent 400s)', () => {
  it('refuses reactivating a key past the organisation or workspace limit, with the typed error', async () => {
    const ws = sim.state.addWorkspace({ name: 'Team' });
    sim.state.addApiKey({ workspaceId: ws.id });
    const off = sim.state.addApiKey({ workspaceId: ws.id, status: 'inactive' });
    sim.config.limits.orgActiveApiKeys = 1;
    const err = await client.organization.apiKeys.update(off.id, { status: 'active' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrgAPIKeyLimitExceededError);
    expect((err as InstanceType<typeof OrgAPIKeyLimitExceededError>).errorCode).toBe('org_api_key_limit_exceeded');
    sim.config.limits.orgActiveApiKeys = null;
    sim.config.limits.workspaceActiveApiKeys = 1;
    await expect(client.organization.apiKeys.update(off.id, { status: 'active' })).rejects.toBeInstanceOf(
      WorkspaceAPIKeyLimitExceededError,
    );
    expect(sim.state.apiKey(off.id)!.status).toBe('inactive');
    // Deactivating and renaming are never limited.
    expect((await client.organization.apiKeys.update(off.id, { name: 'renamed' })).name).toBe('renamed');
  });

  it('can be injected as a fault too, and an api_error fault answers any documented body', async () => {
    const k = sim.state.addApiKey({ status: 'inactive' });
    sim.faults.add({ op: 'apiKeys.update', kind: 'org_api_key_limit_exceeded' });
    await expect(client.organization.apiKeys.update(k.id, { status: 'active' })).rejects.toBeInstanceOf(
      OrgAPIKeyLimitExceededError,
    );
    sim.faults.add({
      op: 'apiKeys.update',
      kind: 'api_error',
      error: { status: 400, message: 'Organization is on hold.', errorCode: 'organization_on_hold' },
    });
    const err = await client.organization.apiKeys.update(k.id, { status: 'active' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).errorCode).toBe('organization_on_hold');
  });
});

describe('documented side effects', () => {
  it('removing a user signs them out and turns off the keys bound to them, recording each change', async () => {
    const { user, keys, unbound } = userWithKeys(2);
    await client.organization.users.remove(user.id);
    expect(sim.state.user(user.id)!.signedOutAt).not.toBeNull();
    expect(keys.map((k) => sim.state.apiKey(k.id)!.status)).toEqual(['inactive', 'inactive']);
    expect(sim.state.apiKey(unbound.id)!.status).toBe('active');
    expect(keyUpdates()).toEqual(
      keys.map((k) =>
        expect.objectContaining({
          api_key_id: k.id,
          actor: expect.objectContaining({ type: 'admin_api_key_actor' }) as unknown,
        }),
      ),
    );
    sim.config.sideEffects.userRemovalTurnsOffKeys = false;
    const other = userWithKeys(1);
    await client.organization.users.remove(other.user.id);
    expect(sim.state.apiKey(other.keys[0]!.id)!.status).toBe('active');
  });

  it('archiving a service account archives its keys, and only its keys', async () => {
    const sa = sim.state.addServiceAccount({ name: 'deploy' });
    const mine = sim.state.addApiKey({ principal: { type: 'service_account_actor', service_account_id: sa.id } });
    const other = sim.state.addApiKey();
    sim.config.oauthServiceAccountId = sa.id;
    await oauth.organization.serviceAccounts.archive(sa.id);
    expect(sim.state.apiKey(mine.id)!.status).toBe('archived');
    expect(sim.state.apiKey(other.id)!.status).toBe('active');
    const archived = sim.state.compliance
      .explicitActivities()
      .find((a) => a.type === 'platform_service_account_archived');
    expect(archived?.actor).toMatchObject({ type: 'service_account_actor', service_account_id: sa.id });
  });
});
