import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';
import { eventually } from '../helpers/eventually.js';
import { blockText } from '../helpers/slack-inspect.js';

/**
 * Issue 13 item 9, last part: `/steward status` says plainly when the Compliance API is off, from
 * what the sync's activities source stored (`GET /v1/organizations/compliance_settings` through
 * the real SDK against the simulator), and stops saying it once a sync finds it on again.
 */
describe('/steward status and the Compliance API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ anthropic: { complianceEnabled: false } });
  });
  afterAll(async () => h?.stop());

  async function status(): Promise<{ text: string; blocks?: unknown }> {
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'status' });
    expect(r.status).toBe(200);
    return eventually(() => {
      const b = r.responses().at(-1)?.body as { text?: string; blocks?: unknown } | undefined;
      return b?.text?.includes('Open reviews') ? (b as { text: string; blocks?: unknown }) : undefined;
    });
  }

  it('says nothing of it before any sync has checked', async () => {
    expect((await status()).text).not.toContain('Compliance API');
  });

  it('says it is off after a sync found it off, and no more once it is on', async () => {
    const off = await h.steward.services.sync.run({ sources: ['activities'] });
    expect(off.sources[0]?.status).toBe('not_available');
    const s = await status();
    expect(s.text.split('\n')[0]).toMatch(
      /^:warning: The Compliance API is off for this organisation: activity cannot be read, so findings about use \(dormant seats and keys\) are not raised until it is turned on \(checked /,
    );
    expect(blockText(s.blocks)).toContain('The Compliance API is off for this organisation');

    h.anthropic.config.complianceEnabled = true;
    const on = await h.steward.services.sync.run({ sources: ['activities'] });
    expect(on.sources[0]?.status).toBe('succeeded');
    expect((await status()).text).not.toContain('Compliance API');
  });
});
