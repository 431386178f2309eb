// Run by `npm test` before the suite: the audit report test renders the HTML report in
// Debian's Chromium (playwright-core downloads no browser). Installs it when missing and
// this user can (root with apt-get); otherwise says exactly what to do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const fail = (why) => {
  console.error(
    `The audit report test needs Chromium at ${path} (${why}).\nInstall Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
  );
  process.exit(1);
};
if (process.env.CHROMIUM_PATH) fail('CHROMIUM_PATH names no file');
if (typeof process.getuid !== 'function' || process.getuid() !== 0)
  fail('it is not installed, and installing it needs root');
if (!existsSync('/usr/bin/apt-get')) fail('it is not installed, and apt-get is not available');

console.log('Installing Chromium from Debian for the audit report test (once per machine)…');
const apt = (...args) =>
  execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
try {
  apt('install', '-y', '-qq', '--no-install-recommends', 'chromium');
} catch {
  apt('update', '-qq');
  apt('install', '-y', '-qq', '--no-install-recommends', 'chromium');
}
if (!existsSync(path)) fail('apt-get finished but installed no binary there');
