import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { auditLog, findings, removalHolds } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { eventually } from '../helpers/eventually.js';
import { rows } from './helpers.js';

const EMPTY_PAGE = JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null });

/**
 * An empty (but valid) users listing must not remove everyone: the mass-change brake
 * holds the removals, records why, alerts the security channel with the numbers, and
 * correlation raises nothing from them, until an admin accepts (`/steward sync accept`,
 * checked against STEWARD_ADMINS) or a later sync lists the users again.
 */
describe('the mass-change brake', { timeout: 180_000 }, () => {
  let h: Harness;
  let member: string;
  beforeEach(async () => {
    h = await startHarness();
    member = h.slack.addUser({ name: 'bob', email: 'bob@example.com' }).id;
    for (let i = 0; i < 10; i++) {
      const u = h.anthropic.state.addUser({ email: `dev${i}@example.com`, name: `dev${i}`, role: 'developer' });
      h.anthropic.state.addApiKey({ name: `key-${i}`, createdBy: { id: u.id, type: 'user' } });
    }
    const first = await h.steward.services.sync.run({ sources: ['directory'] });
    if (!first.ok) throw new Error(`the first sync failed: ${JSON.stringify(first)}`);
  });
  afterEach(async () => h?.stop());

  const syncDirectory = () => h.steward.services.sync.run({ sources: ['directory'] });
  const removedUsers = async () =>
    Number(
      (
        await rows<{ n: number }>(h.db.db, sql`select count(*)::int as n from org_users where removed_at is not null`)
      )[0]!.n,
    );
  const unownedKeys = async () =>
    (await h.steward.services.correlation.correlate()) &&
    (await h.db.db.select().from(findings).where(eq(findings.kind, 'unowned_key'))).filter((f) => f.status === 'open');
  const channelTexts = () => h.slack.state.history(h.securityChannel).map((m) => m.text ?? '');
  const audits = (action: string) => h.db.db.select().from(auditLog).where(eq(auditLog.action, action));

  it("holds an empty listing's removals, says why, alerts once, and correlation raises nothing from them", async () => {
    h.anthropic.faults.add({ op: 'users.list', kind: 'malformed', body: EMPTY_PAGE, times: Infinity });
    const report = await syncDirectory();
    const source = report.sources[0]!;
    expect(source.counts['users_removals_held']).toBe(10);
    expect(source.counts['users_removed']).toBeUndefined();
    expect(source.notes.join('\n')).toContain(
      'users: 10 of 10 known would be marked removed (more than 20% and at least 5)',
    );
    expect(await removedUsers()).toBe(0);

    const [hold] = await h.db.db.select().from(removalHolds);
    expect(hold).toMatchObject({ listing: 'users', status: 'pending', known: 10, held: 10 });
    const held = await audits('sync.removals_held');
    expect(held).toHaveLength(1);
    expect(held[0]!.details).toMatchObject({ listing: 'users', known: 10, wouldRemove: 10 });
    const alert = await eventually(() => channelTexts().find((t) => t.includes('held back a mass removal')));
    expect(alert).toContain('*10 of 10* known organisation members');
    expect(alert).toContain('/steward sync accept');

    expect(await unownedKeys()).toEqual([]);

    // Still empty an hour later: still held, no second alert, no second audit row.
    await syncDirectory();
    expect(channelTexts().filter((t) => t.includes('held back a mass removal'))).toHaveLength(1);
    expect(await audits('sync.removals_held')).toHaveLength(1);
    expect(await removedUsers()).toBe(0);
  });

  it('a non-admin cannot accept; an admin can, and then the removals are facts', async () => {
    h.anthropic.faults.add({ op: 'users.list', kind: 'malformed', body: EMPTY_PAGE, times: Infinity });
    await syncDirectory();

    const refused = await h.slack.driver.slashCommand({ userId: member, command: '/steward', text: 'sync accept' });
    expect((refused.body as { text: string }).text).toMatch(/Only Steward admins/);
    expect(await removedUsers()).toBe(0);
    const refusals = (await audits('command.run')).filter((a) => a.actorSlackId === member);
    expect(refusals.map((a) => a.outcome)).toEqual(['refused']);

    const ok = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'sync accept' });
    expect(ok.status).toBe(200);
    await eventually(() =>
      ok.responses().some((r) => /Accepted the held removals: users 10 of 10/.test(JSON.stringify(r))),
    );
    expect(await removedUsers()).toBe(10);
    const [hold] = await h.db.db.select().from(removalHolds);
    expect(hold).toMatchObject({ status: 'accepted', decidedBy: `slack:${h.admin.id}` });
    const accepted = await audits('sync.removals_accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.actorSlackId).toBe(h.admin.id);
    expect(accepted[0]!.details).toMatchObject({ listing: 'users', held: 10, applied: 10 });

    // Now they are facts: every key of a removed creator is unowned.
    expect(await unownedKeys()).toHaveLength(10);
    // And the next empty listing removes nothing more and holds nothing.
    const again = await syncDirectory();
    expect(again.sources[0]!.counts['users_removals_held']).toBeUndefined();
  });

  it('a later sync that lists them again clears the hold, and nothing was ever removed', async () => {
    const fault = h.anthropic.faults.add({ op: 'users.list', kind: 'malformed', body: EMPTY_PAGE, times: 1 });
    await syncDirectory();
    expect(fault.fired).toBe(1);
    await syncDirectory();
    const [hold] = await h.db.db.select().from(removalHolds);
    expect(hold!.status).toBe('cleared');
    expect(await audits('sync.removal_hold_cleared')).toHaveLength(1);
    expect(await removedUsers()).toBe(0);
    const accept = await h.steward.services.sync.acceptRemovals({ kind: 'cli', user: 'ops' });
    expect(accept).toEqual([]);
  });

  it('a few removals below the threshold are applied as before', async () => {
    for (const u of [...h.anthropic.state.users.values()].slice(0, 2)) h.anthropic.state.removeUser(u.id);
    const report = await syncDirectory();
    expect(report.sources[0]!.counts['users_removed']).toBe(2);
    expect(await h.db.db.select().from(removalHolds)).toEqual([]);
  });

  it('holds keys too: an empty key listing removes no key', async () => {
    h.anthropic.faults.add({ op: 'apiKeys.list', kind: 'malformed', body: EMPTY_PAGE, times: 1 });
    const report = await syncDirectory();
    expect(report.sources[0]!.counts['api_keys_removals_held']).toBe(10);
    const removed = await rows(h.db.db, sql`select id from api_keys where removed_at is not null`);
    expect(removed).toEqual([]);
  });
});
