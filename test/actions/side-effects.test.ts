import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/domain/evidence.js';
import { apiKeys, auditLog, outboxActions, reviewItems } from '../../src/db/schema/index.js';
import type { ApiKeyActor } from '../../src/sim/anthropic/index.js';
import { byText } from '../helpers/order.js';
import { eventually } from '../helpers/eventually.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { blockText } from '../helpers/slack-inspect.js';

/**
 * Issue 13 item 3: removing a member turns off their keys, archiving a service account archives
 * its keys (the simulator does what the SDK's documentation describes). After such an action
 * Steward re-reads the keys it knows as theirs, records what else changed in the action's audit
 * row (and the keys' rows), and the message of the review says so.
 */
describe('what else a removal or an archive changed', () => {
  let h: Harness;
  let admin: Person;
  beforeAll(async () => {
    // Archiving a service account needs an OAuth token live; the sim lets this Admin key do it.
    h = await startHarness({ anthropic: { serviceAccountsAcceptAdminKey: true } });
    admin = await seedPerson(h, 'secops');
  });
  afterAll(async () => h?.stop());

  /** A key in the sim and in Steward's directory, acting as `principal`. */
  async function seedKey(name: string, principal: ApiKeyActor | null, createdBy: string | null): Promise<string> {
    const k = h.anthropic.state.addApiKey({
      name,
      principal,
      createdBy: createdBy ? { id: createdBy, type: 'user' } : null,
      hint: `sk-ant-api03-...${name.slice(-4)}`,
    });
    const principalId = principal ? ('user_id' in principal ? principal.user_id : principal.service_account_id) : null;
    await h.db.db.insert(apiKeys).values({
      id: k.id,
      name,
      status: 'active',
      createdById: createdBy,
      createdByType: createdBy ? 'user' : null,
      principalType: principal ? ('user_id' in principal ? 'user' : 'service_account') : null,
      principalId,
      partialKeyHint: `sk-ant-api03-...${name.slice(-4)}`,
    });
    return k.id;
  }

  async function revoke(e: Evidence, reviewer: Person, slackId = reviewer.slackId) {
    const findingId = await seedFinding(h, { ...e, owner: { ...e.owner, slackId: reviewer.slackId } });
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    await h.slack.driver.clickButton({
      userId: slackId,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_revoke',
    });
    const action = await eventually(
      async () => {
        const [a] = await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item!.id));
        return a && ['succeeded', 'failed'].includes(a.status) ? a : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const audit = (await h.db.db.select().from(auditLog).where(eq(auditLog.reviewItemId, item!.id))).find(
      (a) => a.action === 'action.executed' && a.outcome === 'succeeded',
    );
    const message = () => blockText(h.slack.state.message(item!.slackChannel!, item!.slackTs!)!.blocks);
    return { action, audit, message };
  }

  const statuses = async (ids: string[]) =>
    Object.fromEntries(
      (await h.db.db.select().from(apiKeys).where(inArray(apiKeys.id, ids))).map((k) => [k.name, k.status]),
    );

  it("removing a member: their keys the API turned off are named in the audit row, their rows and the owner's message", async () => {
    const sam = await seedPerson(h, 'sam');
    const ci = await seedKey('sam-ci-0001', { type: 'user_actor', user_id: sam.userId }, sam.userId);
    const nb = await seedKey('sam-notebook-0002', { type: 'user_actor', user_id: sam.userId }, sam.userId);
    // Created by Sam for a shared service: no principal, so removal leaves it alone (re-read, unchanged).
    const shared = await seedKey('shared-etl-0003', null, sam.userId);

    const { action, audit, message } = await revoke(
      evidence('dormant_seat', { type: 'user', id: sam.userId, label: sam.email }, sam),
      sam,
    );
    expect(action).toMatchObject({ kind: 'remove_member', status: 'succeeded' });
    expect(h.anthropic.state.apiKeys.get(ci)?.status).toBe('inactive');
    const turnedOff = [
      { id: ci, name: 'sam-ci-0001', partialKeyHint: 'sk-ant-api03-...0001', from: 'active', to: 'inactive' },
      { id: nb, name: 'sam-notebook-0002', partialKeyHint: 'sk-ant-api03-...0002', from: 'active', to: 'inactive' },
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect((action.result as { keysTurnedOff: unknown }).keysTurnedOff).toEqual(turnedOff);
    expect((audit!.details as { sideEffects: unknown }).sideEffects).toEqual({ keysTurnedOff: turnedOff });
    expect(await statuses([ci, nb, shared])).toEqual({
      'sam-ci-0001': 'inactive',
      'sam-notebook-0002': 'inactive',
      'shared-etl-0003': 'active',
    });
    expect(
      h.anthropic.calls
        .byOp('apiKeys.retrieve')
        .map((c) => c.path.split('/').at(-1)!)
        .sort(byText),
    ).toEqual([ci, nb, shared].sort(byText));
    await eventually(() => message().includes('Anthropic also turned off 2 API keys with it'));
    expect(message()).toMatch(/sam-ci-0001 \(sk-ant-api03-\.\.\.0001\)/);
    expect(message()).not.toContain('shared-etl-0003');
  });

  it('archiving a service account: its archived keys are recorded and named; a key that cannot be re-read is reported, not guessed', async () => {
    const sa = h.anthropic.state.addServiceAccount({ name: 'etl-bot' });
    const principal: ApiKeyActor = { type: 'service_account_actor', service_account_id: sa.id };
    const one = await seedKey('etl-load-0004', principal, null);
    const two = await seedKey('etl-dump-0005', principal, null);
    h.anthropic.faults.add({
      op: (req) => req.op === 'apiKeys.retrieve' && req.path.endsWith(two),
      kind: 'server_error',
      shouldRetry: false,
    });
    const e = evidence('unowned_key', { type: 'service_account', id: sa.id, label: 'etl-bot' }, admin, {
      access: { kind: 'service_account' },
    });
    const { action, audit, message } = await revoke(e, admin, h.admin.id);
    expect(action).toMatchObject({ kind: 'archive_service_account', status: 'succeeded' });
    expect(h.anthropic.state.apiKeys.get(two)?.status).toBe('archived');
    expect(action.result).toMatchObject({
      keysTurnedOff: [{ id: one, name: 'etl-load-0004', from: 'active', to: 'archived' }],
      keysUnread: [{ id: two, error: 'anthropic_unavailable' }],
    });
    expect((audit!.details as { sideEffects: unknown }).sideEffects).toEqual({
      keysTurnedOff: [expect.objectContaining({ id: one })],
      keysUnread: [{ id: two, error: 'anthropic_unavailable' }],
    });
    // Only what was read is stored; the unread key waits for the next directory sync.
    expect(await statuses([one, two])).toEqual({ 'etl-load-0004': 'archived', 'etl-dump-0005': 'active' });
    await eventually(() => message().includes('Anthropic also archived an API key with it: etl-load-0004'));
    expect(h.logLines.some((l) => l.includes('could not re-read some keys'))).toBe(true);
  });
});
