import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkAdminApi } from '../../src/anthropic/sdk-admin-api.js';
import { auditLog, organizations, orgUsers } from '../../src/db/schema/index.js';
import { checkOrganizations, keyFingerprint } from '../../src/sync/organizations.js';
import { eventually } from '../helpers/eventually.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Issue 17, configuration and readiness: each Admin key names its organisation through
 * `/v1/organizations/me` (the real SDK against the simulator's parent with two organisations);
 * a key that is revoked, short of a permission or gone from the configuration is reported in
 * `/readyz`, `steward sync`'s report and `/steward status`, and never the key itself.
 */
const byText = (a: string, b: string) => a.localeCompare(b);

describe('several organisations: which key reads which organisation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ anthropic: { orgName: 'Acme Enterprise' }, organizations: [{ name: 'Acme Production' }] });
  });
  afterAll(async () => h?.stop());

  const readyz = async () => (await (await fetch(`${h.baseUrl}/readyz`)).json()) as { notices?: string[] };
  async function status(): Promise<string> {
    const r = await h.slack.driver.slashCommand({ userId: h.admin.id, command: '/steward', text: 'status' });
    return eventually(() => {
      const b = r.responses().at(-1)?.body as { text?: string } | undefined;
      return b?.text?.includes('Open reviews') ? b.text : undefined;
    });
  }
  const [first, prod] = [() => h.anthropic.organizations()[0]!, () => h.anthropic.organizations()[1]!];

  it('identifies each organisation by asking its key, and says nothing while every key reads', async () => {
    expect(h.config.anthropic.adminKeys).toHaveLength(2);
    expect(h.config.anthropic.complianceScope).toBe('parent');
    const report = await h.steward.services.sync.run({ sources: ['directory'] });
    expect(report.organizations).toEqual([
      {
        ref: 'ANTHROPIC_ADMIN_KEYS entry 1',
        orgId: first().uuid,
        name: 'Acme Enterprise',
        state: 'ok',
        detail: null,
        legacy: true,
      },
      { ref: 'ANTHROPIC_ADMIN_KEYS entry 2', orgId: prod().uuid, name: 'Acme Production', state: 'ok', detail: null },
    ]);
    const rows = await h.db.db.select().from(organizations);
    expect(new Set(rows.map((r) => `${r.id} ${r.name} ${r.keyState}`))).toEqual(
      new Set([`${first().uuid} Acme Enterprise ok`, `${prod().uuid} Acme Production ok`]),
    );
    expect(rows.find((r) => r.id === prod().uuid)?.keyFingerprint).toBe(keyFingerprint(prod().adminKey));
    expect((await readyz()).notices).toBeUndefined();
  });

  it("reads each organisation's directory with its own key: the same id in both is two rows, a removal touches one", async () => {
    first().state.addUser({ id: 'user_01Same', email: 'sam@acme.test' });
    prod().state.addUser({ id: 'user_01Same', email: 'sam@acme.test' });
    const gone = prod().state.addUser({ email: 'gone@acme.test' });
    const report = await h.steward.services.sync.run({ sources: ['directory'] });
    expect(report.sources.map((r) => [r.source, r.org?.name, r.status])).toEqual([
      ['directory', 'Acme Enterprise', 'succeeded'],
      ['directory', 'Acme Production', 'succeeded'],
    ]);
    const same = await h.db.db.select().from(orgUsers).where(eq(orgUsers.id, 'user_01Same'));
    expect(same.map((u) => u.orgId).sort(byText)).toEqual([first().uuid, prod().uuid].sort(byText));

    prod().state.removeUser(gone.id);
    await h.steward.services.sync.run({ sources: ['directory'] });
    const rows = await h.db.db.select().from(orgUsers);
    expect(rows.filter((u) => u.removedAt !== null).map((u) => [u.orgId, u.email])).toEqual([
      [prod().uuid, 'gone@acme.test'],
    ]);
    // Each organisation's listing went through its own key.
    const lists = h.anthropic.calls.byOp('users.list');
    expect(new Set(lists.map((c) => c.org))).toEqual(new Set([first().uuid, prod().uuid]));
  });

  it('a revoked key is reported by sync, /readyz and /steward status, audited once, and never shown', async () => {
    prod().config.adminKeyStatus = 'deactivated';
    const report = await h.steward.services.sync.run({ sources: ['directory'] });
    expect(report.ok).toBe(false);
    const bad = report.organizations?.find((c) => c.state !== 'ok');
    expect(bad).toMatchObject({ ref: 'ANTHROPIC_ADMIN_KEYS entry 2', orgId: prod().uuid, state: 'revoked' });
    await h.steward.services.sync.run({ sources: ['directory'] });

    const notices = (await readyz()).notices ?? [];
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^Organisation "Acme Production" \(.+\): its Admin API key \(ANTHROPIC_ADMIN_KEYS entry 2\) was refused as revoked, expired or invalid \(401/,
    );
    expect(await status()).toContain('Organisation "Acme Production"');
    // The security channel is told once, when the key stopped working.
    const told = h.slack.state.history(h.securityChannel).filter((m) => m.text?.includes('access to an organisation'));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('Organisation "Acme Production"');
    const audits = await h.db.db.select().from(auditLog).where(eq(auditLog.action, 'organization.key_checked'));
    expect(audits.map((a) => [a.subjectId, a.outcome])).toEqual([[prod().uuid, 'revoked']]);

    const everything = [
      JSON.stringify(notices),
      await status(),
      ...h.logLines,
      ...h.slack.state.history(h.securityChannel).map((m) => m.text ?? ''),
    ].join('\n');
    for (const key of h.config.anthropic.adminKeys) expect(everything).not.toContain(key);

    prod().config.adminKeyStatus = 'active';
    await h.steward.services.sync.run({ sources: ['directory'] });
    expect((await readyz()).notices).toBeUndefined();
    const again = h.slack.state.history(h.securityChannel).filter((m) => m.text?.includes('reads again'));
    expect(again).toHaveLength(1);
  });

  it('an organisation whose key is no longer configured is reported missing', async () => {
    const onlyFirst = createSdkAdminApi({ apiKey: first().adminKey, baseUrl: h.anthropic.url, maxRetries: 0 });
    const checks = await checkOrganizations({
      db: h.steward.database.db,
      keys: [{ ref: 'ANTHROPIC_ADMIN_KEY', fingerprint: keyFingerprint(first().adminKey), admin: onlyFirst }],
      logger: (await import('../../src/log.js')).createLogger({ level: 'silent' }),
      now: h.clock.now,
    });
    expect(checks.map((c) => [c.name, c.state])).toEqual([
      ['Acme Enterprise', 'ok'],
      ['Acme Production', 'missing'],
    ]);
    expect((await readyz()).notices?.[0]).toMatch(
      /^Organisation "Acme Production" \(.+\) has no Admin API key configured any more/,
    );
  });

  it('lacking a permission (403) is its own sentence', async () => {
    // The documented 403 body (https://platform.claude.com/docs/en/api/errors: permission_error).
    h.anthropic.faults.add({
      op: 'organization.retrieve',
      kind: 'api_error',
      times: 2,
      error: {
        status: 403,
        type: 'permission_error',
        message: 'Your API key does not have permission to use the specified resource.',
      },
    });
    const report = await h.steward.services.sync.run({ sources: ['directory'] });
    expect(report.organizations?.filter((c) => c.state === 'lacks_permission')).toHaveLength(2);
    expect((await readyz()).notices?.join('\n')).toContain('lacks a permission the Admin API requires (403');
  });
});
