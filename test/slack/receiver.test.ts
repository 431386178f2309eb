import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * The real Bolt HTTP receiver behind Steward's own composition root, driven by the
 * Slack simulator's signed requests.
 */
describe('Slack HTTP receiver', () => {
  let h: Harness;
  let member: string;
  beforeAll(async () => {
    h = await startHarness();
    member = h.slack.addUser({ name: 'bob', email: 'bob@example.com' }).id;
  });
  afterAll(async () => h?.stop());

  async function auditRows(): Promise<number> {
    const rows = await queryRows<{ n: number }>(h.db.db, sql`select count(*)::int as n from audit_log`);
    return Number(rows[0]!.n);
  }

  it('answers a signed /steward help with the usage, ephemerally', async () => {
    const r = await h.slack.driver.slashCommand({ userId: member, command: '/steward', text: 'help' });
    expect(r.status).toBe(200);
    expect(r.late).toBe(false);
    const body = r.body as { response_type: string; text: string; blocks: Array<{ type: string }> };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/steward review');
    expect(body.text).toContain('/steward export');
    expect(body.blocks[0]?.type).toBe('header');
  });

  it('answers an unknown subcommand with the usage and the mistake', async () => {
    const r = await h.slack.driver.slashCommand({ userId: member, command: '/steward', text: 'frobnicate' });
    expect(r.status).toBe(200);
    expect((r.body as { text: string }).text).toMatch(/^Unknown subcommand `frobnicate`/);
  });

  it('refuses admin subcommands to non-admins', async () => {
    const r = await h.slack.driver.slashCommand({ userId: member, command: '/steward', text: 'status' });
    expect((r.body as { text: string }).text).toMatch(/Only Steward admins/);
  });

  for (const [name, opts] of [
    ['unsigned', { signature: 'missing' }],
    ['wrongly signed', { signature: 'invalid' }],
    ['signed with another secret', { signingSecret: 'ffffffffffffffffffffffffffffffff' }],
    ['older than 5 minutes', { staleBySeconds: 5 * 60 + 5 }],
  ] as const) {
    it(`rejects a ${name} request with 401 and changes nothing`, async () => {
      const callsBefore = h.slack.calls.list().length;
      const auditBefore = await auditRows();
      const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'help' }, opts);
      expect(r.status).toBe(401);
      expect(r.text).toBe('');
      // Nothing reached Slack's API on its behalf and nothing was recorded.
      expect(h.slack.calls.list().length).toBe(callsBefore);
      expect(await auditRows()).toBe(auditBefore);
    });
  }

  it("accepts a request signed 4 minutes ago (inside Slack's window)", async () => {
    const r = await h.slack.driver.slashCommand(
      { userId: member, command: '/steward', text: 'help' },
      { staleBySeconds: 240 },
    );
    expect(r.status).toBe(200);
  });

  it('serves liveness and readiness', async () => {
    const live = await fetch(`${h.baseUrl}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ready');
    expect(body.checks.database?.ok).toBe(true);
    expect(body.checks.migrations?.ok).toBe(true);
  });

  it('never logs the bot token or the signing secret', () => {
    const out = h.logLines.join('');
    expect(out.length).toBeGreaterThan(0);
    expect(out).not.toContain(h.slack.botToken);
    expect(out).not.toContain(h.slack.signingSecret);
  });
});
