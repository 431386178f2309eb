/**
 * The REAL sandbox composition (startSandbox: both simulators, the real Steward through
 * startSteward, the page) in headless Chromium, as a visitor uses it: the first sync and
 * review find exactly the scenario's answer; a reviewer keeps one key and revokes another
 * from their DM (the revocation reaches the simulated organisation and shows in the
 * organisation panel); the security lead claims an unowned key and runs /steward status;
 * a week later the unanswered reviews are escalated. Screenshots: test-artifacts/sandbox-e2e/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/config/index.js';
import { queryRows } from '../../src/db/client.js';
import { reviewItems } from '../../src/db/schema/index.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/start.js';
import { eventually } from '../helpers/eventually.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'sandbox-e2e');
const key = (f: { kind: string; subjectType: string; subjectId: string }) =>
  `${f.kind} ${f.subjectType} ${f.subjectId}`;
type Item = typeof reviewItems.$inferSelect;
/** The page's long date, e.g. "December 10th, 2026". */
const longDate = (d: Date) => {
  const day = d.getUTCDate();
  const suffix =
    day % 10 === 1 && day !== 11
      ? 'st'
      : day % 10 === 2 && day !== 12
        ? 'nd'
        : day % 10 === 3 && day !== 13
          ? 'rd'
          : 'th';
  return `${d.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${day}${suffix}, ${d.getUTCFullYear()}`;
};

describe('npm run sandbox, in Chromium', { timeout: 300_000 }, () => {
  let sandbox: RunningSandbox;
  let browser: Browser;
  let tab: Page;
  const errors: string[] = [];
  const shot = (name: string) => tab.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const db = () => sandbox.steward.database.db;
  const openItems = (kind: string, route: string) =>
    db()
      .select()
      .from(reviewItems)
      .where(and(eq(reviewItems.kind, kind), eq(reviewItems.route, route), eq(reviewItems.status, 'open')))
      .orderBy(reviewItems.subjectId);
  const item = async (id: string): Promise<Item> =>
    (await db().select().from(reviewItems).where(eq(reviewItems.id, id)))[0]!;
  const dmOf = (slackId: string) =>
    sandbox.slack.state.conversations().find((c) => c.kind === 'im' && c.user === slackId)!.id;
  const actAs = async (slackId: string, channel: string) => {
    await tab.locator('#acting').selectOption(slackId);
    await tab.locator(`[data-open="${channel}"]`).click();
  };
  const message = (ts: string) => tab.locator(`.msg[data-ts="${ts}"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    [sandbox, browser] = await Promise.all([
      startSandbox({ port: 0 }),
      chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
    ]);
    tab = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(`${sandbox.url}#as=${sandbox.workspace.lead}`);
    await tab.waitForSelector('body[data-ready="1"]');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  it("the first sync and review find exactly the scenario's answer", async () => {
    const rows = await queryRows<{ kind: string; subject_type: string; subject_id: string; owner: unknown }>(
      db(),
      sql`select kind, subject_type, subject_id, owner from findings where status = 'open'`,
    );
    // Background views count as use unless the policy says they do not (issue 13's count_views).
    const findings = defaultPolicy().policy.findings as Record<string, Record<string, unknown>>;
    const viewsAreUse = (kind: string) => findings[kind]?.['count_views'] !== false;
    const expected = [
      ...sandbox.scenario.expectedFindings,
      ...sandbox.scenario.viewsOnlyFindings.filter((f) => !viewsAreUse(f.kind)),
    ];
    expect(rows.map((r) => key({ kind: r.kind, subjectType: r.subject_type, subjectId: r.subject_id })).sort()).toEqual(
      expected.map(key).sort(),
    );
    for (const e of expected) {
      const r = rows.find(
        (x) => key({ kind: x.kind, subjectType: x.subject_type, subjectId: x.subject_id }) === key(e),
      )!;
      const owner = (typeof r.owner === 'string' ? JSON.parse(r.owner) : r.owner) as Record<string, unknown>;
      expect({ f: key(e), via: owner.via, user: owner.userId, reason: owner.unownedReason ?? undefined }).toEqual({
        f: key(e),
        via: e.via,
        user: e.ownerUserId ?? null,
        reason: e.unownedReason,
      });
    }
    // Reviews went out: DMs to people in Slack, the rest (and every alert) to the security channel.
    const items = await db().select().from(reviewItems);
    expect(items.length).toBe(expected.length);
    expect(items.every((i) => i.status === 'open' && i.slackTs !== null)).toBe(true);
    const contractor = sandbox.scenario.people.find((p) => !p.inSlack)!;
    expect(items.find((i) => i.subjectId === contractor.userId)?.route).toBe('security_channel');
    expect(items.filter((i) => i.route === 'dm').length).toBeGreaterThan(10);
  });

  it('a reviewer keeps one key from their DM: Keep, the reason, submit; the message says so', async () => {
    const [kept] = await openItems('dormant_key', 'dm');
    const reviewer = kept!.assigneeSlackId!;
    await actAs(reviewer, dmOf(reviewer));
    const review = message(kept!.slackTs!);
    await review.waitFor();
    await shot('dm-review');
    await review.locator('[data-action-id="steward_keep"]').click();
    const modal = tab.locator('form.modal');
    await modal.waitFor();
    await modal.locator('textarea').fill('Nightly evaluation run for the support model; still needed');
    await modal.locator('input[type="radio"][value="90"]').check();
    await modal.locator('[data-el="submit"]').click();
    await modal.waitFor({ state: 'detached' });
    await review.locator('text=Kept').waitFor({ timeout: 20_000 });
    expect(await review.locator('[data-action-id="steward_keep"]').count()).toBe(0);
    expect(await item(kept!.id)).toMatchObject({ status: 'decided', decision: 'keep' });
    await shot('dm-kept');
  });

  it('another reviewer revokes a key; the organisation panel shows it deactivated', async () => {
    const [, revoked] = await openItems('dormant_key', 'dm');
    const reviewer = revoked!.assigneeSlackId!;
    await actAs(reviewer, dmOf(reviewer));
    const review = message(revoked!.slackTs!);
    await review.locator('[data-action-id="steward_revoke"]').click();
    await tab.locator('.confirm [data-confirm-answer="yes"]').click();
    const change = tab.locator(`#org .org-change[data-kind="deactivate_key"][data-target="${revoked!.subjectId}"]`);
    await change.waitFor({ timeout: 30_000 });
    await eventually(async () => (await change.getAttribute('class'))?.includes('status-succeeded'), {
      timeoutMs: 30_000,
      what: 'the deactivation to succeed',
    });
    expect(sandbox.anthropic.state.apiKeyStatus(sandbox.anthropic.state.apiKey(revoked!.subjectId)!)).toBe('inactive');
    expect(await change.locator('.org-request').innerText()).toContain(
      `/v1/organizations/api_keys/${revoked!.subjectId}`,
    );
    expect(await tab.locator('#org [data-chain="ok"]').innerText()).toContain('Hash chain verified');
    await shot('dm-revoked-org-panel');
  });

  it('the security lead claims an unowned key from the security channel and runs /steward status', async () => {
    const lead = sandbox.workspace.lead;
    const [unowned] = await openItems('unowned_key', 'security_channel');
    await actAs(lead, sandbox.workspace.securityChannel);
    const alert = message(unowned!.slackTs!);
    await alert.waitFor();
    await shot('security-channel');
    await alert.locator('[data-action-id="steward_claim"]').click();
    await alert.locator('text=Claimed').waitFor({ timeout: 20_000 });
    expect(await item(unowned!.id)).toMatchObject({ assigneeSlackId: lead, route: 'dm' });

    await tab.locator('#composer-input').fill('/steward status');
    await tab.locator('#composer-input').press('Enter');
    const status = tab.locator('.msg.ephemeral', { hasText: 'Steward status' });
    await status.waitFor({ timeout: 20_000 });
    expect(await status.innerText()).toContain('Only visible to you');
    await shot('steward-status');
  });

  it('a week later the reviews nobody answered are escalated to the security channel', async () => {
    const week = tab.locator('[data-advance="7"]');
    const expected = new Date(sandbox.clock.now().getTime() + 7 * 86_400_000);
    await week.click();
    // The controls are disabled while the jobs of each day run, and enabled when the week is done.
    await eventually(async () => !(await week.isDisabled()), {
      timeoutMs: 200_000,
      intervalMs: 500,
      what: 'the clock to move a week',
    });
    expect(await tab.locator('#sim-date').textContent()).toContain(longDate(expected));
    expect(await tab.locator('.toast', { hasText: '+7 days' }).innerText()).toMatch(
      /✓ reminders \(7 runs, .*\d+ escalated/,
    );
    const overdue = tab.locator('.msg .b-header', { hasText: 'Overdue:' });
    await overdue.first().waitFor({ timeout: 20_000 });
    const escalated = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from audit_log where action = 'review.escalated'`,
    );
    expect(escalated[0]!.n).toBeGreaterThan(0);
    await shot('escalated');
    expect(errors).toEqual([]);
  });
});
