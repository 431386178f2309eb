/**
 * `npm run screenshot`: regenerates docs/sandbox.png, the README's picture of the sandbox.
 * Starts the real sandbox (as `npm run sandbox` does), opens the page in Debian's Chromium
 * as the security lead, revokes one unowned key from the security channel so the
 * organisation panel shows what Steward changed, and saves the screenshot.
 * Emoji need a colour emoji font (Debian: apt-get install fonts-noto-color-emoji).
 */
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startSandbox } from '../src/sandbox/start.js';

const OUT = join(process.cwd(), 'docs', 'sandbox.png');
const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0, onProgress: (line) => process.stderr.write(`${line}…\n`) });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const security = sandbox.workspace.securityChannel;
    await tab.goto(`${sandbox.url}#as=${sandbox.workspace.lead}&open=${security}`);
    await tab.waitForSelector('body[data-ready="1"]');
    // The unowned key whose creator the directory has never known: revoke it, as a security lead would.
    const alert = tab.locator('.msg', { hasText: 'old-team-bot' }).first();
    await alert.locator('[data-action-id="steward_revoke"]').click();
    await tab.locator('.confirm [data-confirm-answer="yes"]').click();
    await tab.locator('#org .org-change.status-succeeded').waitFor({ timeout: 60_000 });
    await alert.scrollIntoViewIfNeeded();
    await tab.screenshot({ path: OUT });
    process.stderr.write(`wrote ${OUT}\n`);
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
