/**
 * The sandbox page in headless Chromium against a real Slack simulator: Steward's review
 * messages (from its own Block Kit builders, posted with the real WebClient) render as a
 * security engineer would see them in Slack; chat.update reaches the open page live; a click,
 * a modal submission and a slash command reach a stand-in for Steward's /slack/events signed
 * as Slack signs them. Screenshots go to test-artifacts/sandbox/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { reviewMessage } from '../../src/slack/blocks/review.js';
import { statusMessage } from '../../src/slack/blocks/admin.js';
import { keepModal } from '../../src/slack/blocks/modals.js';
import { startSandboxPage, type SandboxPage } from '../../src/sandbox/page/index.js';
import { eventually } from '../helpers/eventually.js';
import { seedWorkspace, standInOrg, standInTime, type SeededWorkspace } from './seed-workspace.js';
import { startStandInApp, type ReceivedRequest, type StandInApp } from './stand-in-app.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'sandbox');

describe('sandbox page in Chromium', { timeout: 60_000 }, () => {
  let app: StandInApp;
  let seed: SeededWorkspace;
  let page: SandboxPage;
  let browser: Browser;
  let tab: Page;
  let time: ReturnType<typeof standInTime>;
  const errors: string[] = [];

  const arrived = (pred: (r: ReceivedRequest) => boolean, what: string) =>
    eventually(() => app.received.find(pred), { timeoutMs: 10_000, what });
  const shot = (name: string) => tab.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startStandInApp(() => seed.sim.signingSecret);
    seed = await seedWorkspace(app.url);
    time = standInTime(seed);
    [page, browser] = await Promise.all([
      startSandboxPage({ sim: seed.sim, org: standInOrg(seed), time, homeChannel: 'security' }),
      chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
    ]);
    tab = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    tab.on('pageerror', (e) => errors.push(e.message));
    // A refused request (the 422 of a too-short reason) is logged by Chromium; script errors are not expected.
    tab.on(
      'console',
      (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()),
    );
    await tab.goto(`${page.url}#as=${seed.people.ada}&open=${seed.adaDm}`);
    await tab.waitForSelector('body[data-ready="1"]');
  });

  afterAll(async () => {
    await browser?.close();
    await page?.close();
    await seed?.sim.close();
    await app?.close();
  });

  it("renders Steward's review from its Block Kit, as Slack would", async () => {
    const review = tab.locator(`.msg[data-ts="${seed.adaReview.ts}"]`);
    await review.waitFor();
    expect(await review.locator('.b-header').textContent()).toBe('Is this API key still needed?');
    expect(await review.locator('.msg-author').textContent()).toBe('Steward');
    expect(await review.locator('.mention').first().textContent()).toBe('@Ada Lovelace');
    expect(await review.locator('.b-field strong').allTextContents()).toEqual(
      expect.arrayContaining(['Created', 'Last activity', 'Owner']),
    );
    expect(await review.locator('[data-el="button"]').allTextContents()).toEqual(['Keep', 'Revoke', 'Not mine']);
    expect(await review.locator('[data-action-id="steward_keep"]').getAttribute('class')).toContain('btn-primary');
    expect(await review.locator('[data-action-id="steward_revoke"]').getAttribute('class')).toContain('btn-danger');
    // Dates are rendered for the reader, never shown as the raw <!date^…> token.
    expect(await review.innerText()).not.toContain('<!date');
    expect(await review.locator('time.slack-date').first().textContent()).toMatch(/^(Mar \d+, 2026|today|yesterday)$/);
    await shot('dm-review');
    // The reminder links to the review; in the page the link opens it here, as in Slack.
    await tab.locator('.msg a', { hasText: 'ci-deploy' }).click();
    await tab.locator(`.msg.flash[data-ts="${seed.adaReview.ts}"]`).waitFor();
  });

  it('a click on Keep reaches the app signed as Slack signs it; the modal it opens submits with errors shown', async () => {
    app.answer = (r) => {
      if (r.body.type === 'block_actions') {
        const triggerId = String(r.body.trigger_id);
        setTimeout(() => {
          void seed.web.views.open({
            trigger_id: triggerId,
            view: keepModal(seed.adaReview.snapshot, [30, 90, 180], { itemId: 'x' }),
          });
        }, 10);
      }
      return undefined;
    };
    await tab.locator(`.msg[data-ts="${seed.adaReview.ts}"] [data-action-id="steward_keep"]`).click();
    const click = await arrived((r) => r.body.type === 'block_actions', 'block_actions');
    expect(click.signatureValid).toBe(true);
    expect(click.contentType).toBe('application/x-www-form-urlencoded');
    const actions = click.body.actions as Array<{ action_id: string; value: string }>;
    expect(actions[0]!.action_id).toBe('steward_keep');
    expect((click.body.user as { id: string }).id).toBe(seed.people.ada);
    expect(click.body.container).toMatchObject({ channel_id: seed.adaDm, message_ts: seed.adaReview.ts });

    const modal = tab.locator('form.modal');
    await modal.waitFor();
    expect(await modal.locator('h2').textContent()).toBe('Keep access');
    // Too short for min_length 3: the Slack client refuses it itself, nothing reaches the app.
    const before = app.received.length;
    await modal.locator('textarea').fill('no');
    await modal.locator('[data-el="submit"]').click();
    await tab.locator('.b-input.has-error .input-error').waitFor();
    expect(await tab.locator('.input-error').textContent()).toBe('Must be at least 3 characters');
    expect(app.received.length).toBe(before);

    app.answer = (r) =>
      r.body.type === 'view_submission'
        ? { json: { response_action: 'errors', errors: { keep_reason: 'Name the job that uses this key.' } } }
        : undefined;
    await tab.locator('form.modal textarea').fill('Nightly export');
    await tab.locator('form.modal input[type="radio"][value="90"]').check();
    await tab.locator('form.modal [data-el="submit"]').click();
    await eventually(
      async () => (await tab.locator('.input-error').textContent()) === 'Name the job that uses this key.',
      { what: 'the app error under the input' },
    );
    expect(await tab.locator('form.modal textarea').inputValue()).toBe('Nightly export');
    await shot('keep-modal-error');

    app.answer = () => undefined;
    await tab.locator('form.modal textarea').fill('Nightly export for finance (job finance-export)');
    await tab.locator('form.modal [data-el="submit"]').click();
    await tab.locator('form.modal').waitFor({ state: 'detached' });
    const submissions = app.received.filter((r) => r.body.type === 'view_submission');
    expect(submissions).toHaveLength(2);
    expect(submissions.every((s) => s.signatureValid)).toBe(true);
    const values = (
      submissions[1]!.body.view as { state: { values: Record<string, Record<string, Record<string, unknown>>> } }
    ).state.values;
    expect(values.keep_reason!.reason!.value).toBe('Nightly export for finance (job finance-export)');
    expect((values.keep_duration!.duration!.selected_option as { value: string }).value).toBe('90');
  });

  it('shows chat.update live, without reloading the page', async () => {
    await tab.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));
    const s = seed.adaReview.snapshot;
    const now = new Date(seed.clock.now());
    s.item = {
      ...s.item,
      status: 'decided',
      decision: 'keep',
      decidedBySlackId: seed.people.ada,
      decidedAt: now,
      reason: 'Nightly export for finance',
      keepUntil: new Date(now.getTime() + 90 * 86_400_000),
    };
    const kept = reviewMessage(s, now);
    await seed.web.chat.update({ channel: seed.adaDm, ts: seed.adaReview.ts, blocks: kept.blocks, text: kept.text });
    const review = tab.locator(`.msg[data-ts="${seed.adaReview.ts}"]`);
    await review.locator('text=Kept').waitFor();
    expect(await review.innerText()).toContain('Kept by @Ada Lovelace');
    expect(await review.locator('[data-el="button"]').count()).toBe(0);
    expect(await review.locator('.edited').textContent()).toBe('(edited)');
    expect(await tab.evaluate(() => (globalThis as unknown as { marker: number }).marker)).toBe(42);
    await shot('dm-kept');
  });

  it('Revoke asks for its confirmation first, in the security channel', async () => {
    await tab.locator('#acting').selectOption(seed.people.sam);
    await tab.locator(`[data-open="${seed.security}"]`).click();
    const unowned = tab.locator(`.msg[data-ts="${seed.unownedTs}"]`);
    await unowned.waitFor();
    expect(await unowned.locator('[data-el="button"]').allTextContents()).toEqual(['Claim', 'Revoke']);
    await shot('security-channel');
    const before = app.received.length;
    await unowned.locator('[data-action-id="steward_revoke"]').click();
    const dialog = tab.locator('.confirm');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe('Revoke this access?');
    await dialog.locator('[data-confirm-answer="no"]').click();
    await dialog.waitFor({ state: 'detached' });
    expect(app.received.length).toBe(before);
    await unowned.locator('[data-action-id="steward_revoke"]').click();
    await tab.locator('.confirm [data-confirm-answer="yes"]').click();
    const revoke = await arrived(
      (r) => (r.body.actions as Array<{ action_id: string }> | undefined)?.[0]?.action_id === 'steward_revoke',
      'revoke click',
    );
    expect(revoke.signatureValid).toBe(true);
    expect((revoke.body.user as { id: string }).id).toBe(seed.people.sam);
  });

  it('/steward status from the composer is a signed slash command; its reply shows only to the sender', async () => {
    const status = statusMessage({
      open: 5,
      pending: 0,
      overdue: 1,
      escalated: 1,
      kept: 3,
      revoked: 1,
      acknowledged: 0,
      closed: 0,
      openFindings: 6,
      actions: { pending: 0, failed: 0, succeeded: 1, dryRun: 0 },
      oldestOpen: [],
    });
    app.answer = (r) => (r.kind === 'command' ? { json: { response_type: 'ephemeral', ...status } } : undefined);
    await tab.locator('#composer-input').fill('/steward status');
    await tab.locator('#composer-input').press('Enter');
    const command = await arrived((r) => r.kind === 'command', 'slash command');
    expect(command.signatureValid).toBe(true);
    expect(command.body).toMatchObject({
      command: '/steward',
      text: 'status',
      user_id: seed.people.sam,
      channel_id: seed.security,
    });
    const eph = tab.locator('.msg.ephemeral', { hasText: 'Steward status' });
    await eph.waitFor();
    expect(await eph.innerText()).toContain('Only visible to you');
    await shot('status-ephemeral');
  });

  it('the Home tab tells the app it was opened; the organisation panel and the clock', async () => {
    await tab.locator('#acting').selectOption(seed.people.ada);
    await tab.locator('[data-open="home"]').click();
    const opened = await arrived(
      (r) => (r.body.event as { type?: string } | undefined)?.type === 'app_home_opened',
      'app_home_opened',
    );
    expect(opened.signatureValid).toBe(true);
    expect((opened.body.event as { user: string }).user).toBe(seed.people.ada);
    await tab.locator('.home .b-header', { hasText: 'Your access reviews' }).waitFor();

    const org = tab.locator('#org');
    expect(await org.locator('.org-summary').first().textContent()).toBe('API key deactivated');
    expect(await org.locator('[data-chain="ok"]').innerText()).toContain('Hash chain verified: 3 rows');
    const csv = await tab.evaluate(
      async (href) => (await fetch(href)).text(),
      (await org.locator('a[download]').getAttribute('href'))!,
    );
    expect(csv).toContain('seq,at,decision');

    const before = await tab.locator('#sim-date').textContent();
    await tab.locator('[data-advance="7"]').click();
    await eventually(async () => (await tab.locator('#sim-date').textContent()) !== before, {
      what: 'the clock to move',
    });
    expect(time.calls).toEqual([7]);
    expect(await tab.locator('#sim-date').textContent()).toContain('March 17th, 2026');
    await shot('home-and-org');
    expect(errors).toEqual([]);
  });
});
