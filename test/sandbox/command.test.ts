/**
 * `npm run sandbox` as a person runs it: a child process (npm, tsx, node) in its own process
 * group, as a terminal starts it. It prints the page's URL on stdout and nothing else; the
 * page answers; Ctrl-C (SIGINT to the whole group, as the terminal sends it) stops every
 * process with exit code 0 and removes the throwaway directory. Bad options are refused
 * before anything starts, naming the option.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';

const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run sandbox', () => {
  it('prints one URL, serves the page, and stops cleanly on Ctrl-C', { timeout: 300_000 }, async () => {
    const child = spawn('npm', ['run', '--silent', 'sandbox', '--', '--port', '0', '--people', '20', '--keys', '30'], {
      env: ENV,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pgid = child.pid!;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | string>((resolve) =>
      child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)),
    );
    try {
      const url = await eventually(() => /^(http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout)?.[1], {
        timeoutMs: 240_000,
        intervalMs: 200,
        what: `the URL on stdout (stderr so far:\n${stderr})`,
      });
      expect(stdout).toBe(`${url}\n`);
      const workDir = /Steward's log: (\S+)\/steward\.log/.exec(stderr)?.[1];
      expect(workDir && existsSync(workDir)).toBe(true);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const org = (await (await fetch(`${url}api/org`)).json()) as { organisation: { stats: unknown[] } };
      expect(org.organisation.stats).toContainEqual({ label: 'members', value: 18 });

      process.kill(-pgid, 'SIGINT');
      // npm ends itself with the signal it was sent once its script has exited; the sandbox
      // itself exits 0 after stopping everything, which its last line says.
      expect([0, 'SIGINT']).toContain(await exited);
      await eventually(() => !groupAlive(pgid), { timeoutMs: 20_000, what: 'every process of the group to exit' });
      expect(stderr).toContain('Stopped; nothing left behind.');
      expect(existsSync(workDir!)).toBe(false);
      expect(stderr).toContain('SIGINT: stopping the sandbox');
    } finally {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    }
  });

  it.each([
    [['--people', '5'], '--people must be from 12 to 2000, not 5'],
    [['--keys', 'many'], '--keys must be a whole number, not "many"'],
    [['--port'], '--port needs a number'],
    [['--colour'], 'unknown option --colour'],
  ])('refuses %j with a message naming the option', (args, message) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts', ...args], {
      env: ENV,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`npm run sandbox: ${message}`);
    expect(r.stderr).toContain('Usage: npm run sandbox -- [options]');
    expect(r.stdout).toBe('');
  });
});
