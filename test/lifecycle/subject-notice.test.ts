import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson, type Person } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText, dmMessages } from '../helpers/slack-inspect.js';

/** Issue 20 §3: whoever's access changes by someone else's decision hears it from Steward. */
async function revokedByAdmin(h: Harness, keyName: string, owner: Person) {
  const keyId = await seedKey(h, keyName, owner);
  const findingId = await seedFinding(
    h,
    evidence('dormant_key', { type: 'api_key', id: keyId, label: keyName }, owner),
  );
  await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
  const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
  await h.slack.driver.clickButton({
    userId: h.admin.id,
    channel: item!.slackChannel!,
    ts: item!.slackTs!,
    actionId: 'steward_revoke',
    force: true, // the admin acts on Bob's review (from the App Home in practice)
  });
  return { keyId, item: item! };
}

const notices = (h: Harness, p: Person) =>
  dmMessages(h.slack, p.slackId).filter((m) => (m.text ?? '').startsWith('Your access'));

describe('the subject is told', () => {
  let h: Harness;
  let bob: Person;
  beforeAll(async () => {
    h = await startHarness();
    bob = await seedPerson(h, 'bob');
  });
  afterAll(async () => h?.stop());

  it('revoked by an admin: what, by whom, why, how to get it back — once', async () => {
    const { keyId } = await revokedByAdmin(h, 'old-report', bob);
    await eventually(() => (h.anthropic.state.apiKeys.get(keyId)?.status === 'inactive' ? true : undefined));
    const told = await eventually(() => notices(h, bob)[0]);
    expect(told.text).toContain('old-report');
    expect(told.text).toContain(`by <@${h.admin.id}>`);
    expect(told.text).toContain('Why: No activity for 45 days');
    expect(told.text).toContain('can be restored');
    await h.steward.services.outbox.drain();
    expect(notices(h, bob)).toHaveLength(1);
  });

  it('no DM for a decision the person made themselves', async () => {
    const keyId = await seedKey(h, 'my-own', bob);
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: 'my-own' }, bob),
    );
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_revoke',
    });
    await eventually(() => (h.anthropic.state.apiKeys.get(keyId)?.status === 'inactive' ? true : undefined));
    await h.steward.services.outbox.drain();
    expect(notices(h, bob).filter((m) => (m.text ?? '').includes('my-own'))).toEqual([]);
  });
});

describe('review.actions: notify', () => {
  let h: Harness;
  let carol: Person;
  beforeAll(async () => {
    h = await startHarness({ policy: 'review:\n  actions: notify\n' });
    carol = await seedPerson(h, 'carol');
  });
  afterAll(async () => h?.stop());

  it('runs the whole flow, never calls the Admin API, and says "not revoked, recorded"', async () => {
    const { keyId, item } = await revokedByAdmin(h, 'gentle-start', carol);
    const msg = await eventually(() => {
      const m = h.slack.state.message(item.slackChannel!, item.slackTs!)!;
      return blockText(m.blocks).includes('Not revoked, recorded') ? m : undefined;
    });
    expect(blockText(msg.blocks)).not.toContain('Dry run');
    const told = await eventually(() => notices(h, carol)[0]);
    expect(told.text).toContain('not revoked, recorded');
    expect(h.anthropic.calls.all.filter((c) => c.path.includes(`/api_keys/${keyId}`) && c.method === 'POST')).toEqual(
      [],
    );
    expect(h.anthropic.state.apiKeys.get(keyId)?.status).toBe('active');
  });
});
