import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { reviewItems } from '../../src/db/schema/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { evidence, seedFinding, seedKey, seedPerson } from '../helpers/review-fixtures.js';
import { eventually } from '../helpers/eventually.js';
import { blockText } from '../helpers/slack-inspect.js';

/** The same listeners over Socket Mode: no public URL, Slack's envelopes over a WebSocket. */
describe('Socket Mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ socketMode: true });
  });
  afterAll(async () => h?.stop());

  it('connects with the app token and answers a slash command through the socket', async () => {
    expect(h.slack.socket.connected).toBe(true);
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'help' });
    expect(r.status).toBe(200);
    expect(r.socket).toBeDefined();
    expect((r.body as { text: string }).text).toContain('/steward review');
  });

  it('takes a decision from a button click, end to end', async () => {
    const bob = await seedPerson(h, 'bob');
    const keyId = await seedKey(h, 'socket-key', bob);
    const findingId = await seedFinding(
      h,
      evidence('dormant_key', { type: 'api_key', id: keyId, label: 'socket-key' }, bob),
    );
    await h.steward.services.review.openAndDeliver({ findingIds: [findingId] });
    const [item] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.findingId, findingId));
    const click = await h.slack.driver.clickButton({
      userId: bob.slackId,
      channel: item!.slackChannel!,
      ts: item!.slackTs!,
      actionId: 'steward_revoke',
    });
    expect(click.status).toBe(200);
    await eventually(() => h.anthropic.state.apiKeys.get(keyId)?.status === 'inactive');
    await eventually(() =>
      blockText(h.slack.state.message(item!.slackChannel!, item!.slackTs!)!.blocks).includes(
        'Done: the key is deactivated',
      ),
    );
  });

  it('reconnects after Slack asks for a refresh and keeps delivering', async () => {
    const r = await h.slack.socket.disconnect('refresh_requested');
    expect(r.reconnected).toBe(true);
    const again = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'help' });
    expect(again.status).toBe(200);
  });

  it('still serves health and metrics on PORT', async () => {
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${h.baseUrl}/metrics`)).text()).toContain('steward_job_runs_total');
  });
});
