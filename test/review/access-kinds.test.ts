import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Evidence } from '../../src/domain/evidence.js';
import { outboxActions, reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText } from '../helpers/slack-inspect.js';

/**
 * Revoke for every kind of access: the Admin API call the simulated Anthropic server
 * sees, the state it ends in, and what the reviewer is told — including the calls the
 * API refuses (an org admin's role, a service account with an Admin API key).
 */
describe('Revoke for each kind of access', () => {
  let h: Harness;
  let admin: Person;

  beforeAll(async () => {
    h = await startHarness();
    admin = await seedPerson(h, 'owner', { role: 'user' });
  });
  afterAll(async () => h?.stop());

  async function revoke(e: Evidence, reviewer: Person) {
    const findingId = await seedFinding(h, { ...e, owner: { ...e.owner, slackId: reviewer.slackId } });
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    expect(item!.route).toBe('dm');
    await h.slack.driver.clickButton({
      userId: reviewer.slackId,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_revoke',
    });
    const [action] = await eventually(
      async () => {
        const rows = await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item!.id));
        return rows[0] && ['succeeded', 'failed'].includes(rows[0].status) ? rows : undefined;
      },
      { timeoutMs: 30_000 },
    );
    const text = await eventually(() => {
      const t = blockText(h.slack.state.message(item!.slackChannel!, item!.slackTs!)!.blocks);
      return /Done:|did not accept/.test(t) ? t : undefined;
    });
    return { action: action!, text };
  }

  it('seat: removes the member from the organisation', async () => {
    const carl = await seedPerson(h, 'carl');
    const { action, text } = await revoke(
      evidence('dormant_seat', { type: 'user', id: carl.userId, label: carl.email }, carl),
      carl,
    );
    expect(action).toMatchObject({ kind: 'remove_member', status: 'succeeded' });
    expect(h.anthropic.calls.all.filter((c) => c.op === 'users.remove' && c.path.endsWith(carl.userId))).toHaveLength(
      1,
    );
    expect(h.anthropic.state.users.get(carl.userId)?.removedAt).not.toBeNull();
    expect(text).toContain('the member is removed from the organisation');
  });

  it('workspace admin: lowers the workspace role', async () => {
    const wendy = await seedPerson(h, 'wendy');
    const ws = h.anthropic.state.addWorkspace({ name: 'Research' });
    h.anthropic.state.addWorkspaceMember({ workspaceId: ws.id, userId: wendy.userId, role: 'workspace_admin' });
    const e = evidence(
      'stale_admin',
      { type: 'workspace_member', id: `${ws.id}/${wendy.userId}`, label: wendy.email },
      wendy,
      {
        access: { kind: 'workspace_admin', role: 'workspace_admin', workspaceId: ws.id, workspaceName: 'Research' },
      },
    );
    const { action, text } = await revoke(e, wendy);
    expect(action).toMatchObject({ kind: 'lower_workspace_role', status: 'succeeded' });
    const call = h.anthropic.calls.all.find((c) => c.op === 'workspaces.members.update');
    expect(call?.body).toMatchObject({ workspace_role: 'workspace_user' });
    expect(text).toContain('the workspace role is lowered');
  });

  it('invite: deletes it', async () => {
    const inv = h.anthropic.state.addInvite({ email: 'newbie@example.com', role: 'user' });
    const e = evidence('stale_invite', { type: 'invite', id: inv.id, label: 'newbie@example.com' }, admin, {
      access: { kind: 'invite', role: 'user' },
    });
    const { action } = await revoke(e, admin);
    expect(action).toMatchObject({ kind: 'delete_invite', status: 'succeeded' });
    expect(h.anthropic.calls.all.filter((c) => c.op === 'invites.delete')).toHaveLength(1);
  });

  it('org admin: asks to lower the role; the API refuses admin changes, and everyone is told', async () => {
    const olga = await seedPerson(h, 'olga', { role: 'admin' });
    const e = evidence('stale_admin', { type: 'user', id: olga.userId, label: olga.email }, olga, {
      access: { kind: 'org_admin', role: 'admin' },
    });
    const { action, text } = await revoke(e, olga);
    expect(action.kind).toBe('lower_org_role');
    const call = h.anthropic.calls.all.find((c) => c.op === 'users.update' && c.path.endsWith(olga.userId));
    expect(call?.body).toMatchObject({ role: 'user' });
    // Admins and owners are changed in the Console only: the API refuses, for good.
    expect(action.status).toBe('failed');
    expect(text).toContain('The Admin API did not accept it');
    await eventually(() =>
      h.slack.state.history(h.securityChannel).some((m) => /lower org role/.test(blockText(m.blocks))),
    );
  });

  it('service account: archiving needs an OAuth token; with an Admin API key it fails visibly', async () => {
    const sa = h.anthropic.state.addServiceAccount({ name: 'etl-bot' });
    const e = evidence('unowned_key', { type: 'service_account', id: sa.id, label: 'etl-bot' }, admin, {
      access: { kind: 'service_account' },
    });
    // An admin decides it (unowned items are the security channel's).
    const findingId = await seedFinding(h, e);
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    await h.slack.driver.clickButton({
      userId: h.admin.id,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_revoke',
    });
    const [action] = await eventually(
      async () => {
        const rows = await h.db.db.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item!.id));
        return rows[0]?.status === 'failed' ? rows : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(action!.kind).toBe('archive_service_account');
    expect(action!.lastError).toMatch(/403/);
    await eventually(() =>
      h.slack.state
        .history(h.securityChannel)
        .some((m) => /archive service account/.test(blockText(m.blocks)) && /Retry/.test(JSON.stringify(m.blocks))),
    );
  });
});
