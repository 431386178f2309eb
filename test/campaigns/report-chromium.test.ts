import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { chromium, type Browser } from 'playwright-core';
import { campaignHtml, campaignReport } from '../../src/audit/campaign-report.js';
import { queryRows } from '../../src/db/client.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { seedKey, seedPerson } from '../helpers/review-fixtures.js';

const XSS = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';

/**
 * The campaign's auditor report in headless Chromium (issue 16), as the evidence report is
 * checked: a campaign opened and partly decided through the services, its HTML rendered
 * offline; every item in the database is on the page, hostile names and reasons stay
 * text, no script runs and the page's Content-Security-Policy blocks what is injected.
 */
describe('campaign report in Chromium', { timeout: 90_000 }, () => {
  let h: Harness;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-campaign-report-'));
    [h, browser] = await Promise.all([
      startHarness({ now: '2026-03-10T12:00:00Z' }),
      chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders every item offline, runs no script, and its CSP holds', async () => {
    const bob = await seedPerson(h, 'bob');
    const keys = [await seedKey(h, XSS, bob), await seedKey(h, 'etl-nightly', bob), await seedKey(h, 'orphan', null)];
    const opened = await h.steward.services.campaigns.start({
      scope: { kind: 'keys' },
      dueDays: 7,
      startedBySlackId: h.admin.id,
      via: 'cli',
    });
    expect(opened!.items).toBe(3);
    const [hostile] = await queryRows<{ id: string }>(
      h.db.db,
      sql`select review_item_id::text as id from campaign_items where subject_id = ${keys[0]!}`,
    );
    const kept = await h.steward.services.review.decide({
      itemId: hostile!.id,
      actorSlackId: bob.slackId,
      decision: 'keep',
      reason: XSS,
      keepDays: 30,
      via: 'test',
    });
    expect(kept.ok).toBe(true);

    const report = (await campaignReport(h.db.db, String(opened!.number), h.clock.now()))!;
    const path = join(dir, 'campaign.html');
    writeFileSync(path, campaignHtml(report));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    const completed: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfinished', (r) => completed.push(r.url()));
    try {
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
      // Self-contained: nothing is fetched but the page (the hostile <img> is text, not a request).
      expect(requests).toEqual([pathToFileURL(path).href]);
      expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator('body script, body img').count()).toBe(0);

      // Every item the database holds for the campaign, once each, with its outcome.
      const rows = await queryRows<{ id: string; status: string; decision: string | null }>(
        h.db.db,
        sql`select r.id::text as id, r.status, r.decision from campaign_items ci join review_items r on r.id = ci.review_item_id
            where ci.campaign_id = ${opened!.id}::uuid`,
      );
      expect(rows).toHaveLength(3);
      expect(await page.locator('article.decision').count()).toBe(rows.length);
      for (const r of rows) {
        const article = page.locator(`article[data-review-item="${r.id}"]`);
        expect(await article.count()).toBe(1);
        expect(await article.getAttribute('data-outcome')).toBe(r.status === 'decided' ? r.decision : 'open');
        expect(await article.locator('svg.chart').count()).toBe(1);
      }
      expect(await page.textContent('[data-count="items"]')).toBe('3');
      expect(await page.getAttribute('#chain', 'data-chain-ok')).toBe('true');
      const hostileArticle = page.locator(`article[data-review-item="${hostile!.id}"]`);
      expect(await hostileArticle.locator('h3').innerText()).toContain(XSS);
      expect(await hostileArticle.innerText()).toContain(`Reason\t${XSS}`);

      // The CSP holds: a script or remote image injected into the page is blocked and reported.
      // (A string: the page's DOM types are not in this project's compile.)
      const blocked = await page.evaluate<{ violations: string[]; pwned: number | null }>(`(async () => {
        const violations = [];
        document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
        const s = document.createElement('script');
        s.textContent = 'window.pwned = 3';
        document.body.appendChild(s);
        const img = document.createElement('img');
        img.src = 'https://evil.example/x.png';
        document.body.appendChild(img);
        // Violations are reported asynchronously: wait for both (or give up after a while).
        for (let i = 0; i < 250 && violations.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
        return { violations, pwned: globalThis.pwned ?? null };
      })()`);
      expect(blocked.pwned).toBeNull();
      expect(blocked.violations).toEqual(expect.arrayContaining(['script-src-elem', 'img-src']));
      // (Chromium announces the request it then refuses; none completes.)
      expect(completed.some((u) => u.startsWith('https://evil.example'))).toBe(false);

      const shot = await page.screenshot({ fullPage: true });
      expect(shot.subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      await page.close();
    }
  });
});
