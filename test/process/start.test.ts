import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/child.js';

const ENTRY = ['--import', 'tsx', 'src/main.ts'];

function start(env: Record<string, string>) {
  // Only PATH/HOME from the outer environment: nothing of the test run leaks in.
  return spawnSync(process.execPath, ENTRY, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('starting the service', () => {
  it('with no configuration exits 1 listing every missing setting, without a stack trace', () => {
    const r = start({});
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Steward cannot start: 4 configuration problems:');
    for (const v of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'ANTHROPIC_ADMIN_KEY', 'STEWARD_SECURITY_CHANNEL']) {
      expect(r.stderr).toContain(`  - ${v}: `);
    }
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // One more line after the list: how to try Steward with no configuration at all.
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      'To try Steward without a Claude organisation or a Slack app, run: npm run sandbox',
    );
  });

  it('with malformed settings names each one and echoes no secret', () => {
    const secret = 'sk-ant-admin01-this-is-secret-AAAAAAAAAAAAAAAAAAAA';
    const r = start({
      SLACK_BOT_TOKEN: 'xoxp-user-token-not-a-bot-token',
      SLACK_SIGNING_SECRET: 'short',
      ANTHROPIC_ADMIN_KEY: secret,
      ANTHROPIC_BASE_URL: 'not a url',
      STEWARD_SECURITY_CHANNEL: 'C0SEC',
      PORT: 'eighty',
    });
    expect(r.status).toBe(1);
    for (const v of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'ANTHROPIC_BASE_URL', 'PORT'])
      expect(r.stderr).toContain(`  - ${v}: `);
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toContain('xoxp-user-token');
    // Nothing is missing, only wrong: no sandbox hint.
    expect(r.stderr).not.toContain('npm run sandbox');
  });
});

/**
 * Start-up failures name their cause in one readable line on stderr, and no stack goes
 * to stdout unless STEWARD_LOG_LEVEL=debug.
 */
// Each case starts one or two Node processes: generous bounds for a loaded host.
describe('start-up failures say why', { timeout: 150_000 }, () => {
  const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const base = {
    SLACK_BOT_TOKEN: 'xoxb-1-2-abcdef',
    SLACK_SIGNING_SECRET: SECRET,
    ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-start-test-AAAAAAAAAAAAAAAAAAAA',
    STEWARD_SECURITY_CHANNEL: 'C0SEC',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    PORT: '0',
  };
  const lastLine = (s: string) => s.trim().split('\n').at(-1) ?? '';
  const noStackOnStdout = (r: { stdout: string }) => {
    expect(r.stdout).not.toMatch(/\\n\s+at |"stack"/);
  };

  it('names the host and port when PostgreSQL refuses the connection', async () => {
    const port = await freePort();
    const r = start({ ...base, DATABASE_URL: `postgres://steward:pw-hidden-123@127.0.0.1:${port}/steward` });
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toMatch(new RegExp(`connection refused.*127\\.0\\.0\\.1:${port}`, 'i'));
    expect(lastLine(r.stderr)).toContain('DATABASE_URL');
    expect(r.stderr + r.stdout).not.toContain('pw-hidden-123');
    noStackOnStdout(r);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('names the role when PostgreSQL refuses it', () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.username = 'no_such_role_h19';
    url.password = 'wrong-password-1';
    const r = start({ ...base, DATABASE_URL: url.toString() });
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toMatch(/authentication failed for role "?no_such_role_h19"?/i);
    expect(r.stderr + r.stdout).not.toContain('wrong-password-1');
    noStackOnStdout(r);
  });

  it('names STEWARD_DATA_DIR when the data directory cannot be created', () => {
    const parent = mkdtempSync(join(tmpdir(), 'steward-start-'));
    writeFileSync(join(parent, 'a-file'), 'x');
    const dir = join(parent, 'a-file', 'data');
    const r = start({ ...base, STEWARD_DATA_DIR: dir });
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toMatch(/STEWARD_DATA_DIR/);
    expect(lastLine(r.stderr)).toContain(dir);
    expect(lastLine(r.stderr)).toMatch(/not writable|cannot be created/);
    noStackOnStdout(r);
  });

  it('gives the line and the reason of a YAML error in the policy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-start-'));
    const path = join(dir, 'policy.yaml');
    writeFileSync(path, 'review:\n  keep_days: [30, 90\nfindings: {}\n');
    const r = start({ ...base, STEWARD_DATA_DIR: join(dir, 'data'), STEWARD_POLICY: path });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 3/);
    expect(r.stderr).toMatch(/Flow sequence|must be sufficiently indented|end with a \]/);
    noStackOnStdout(r);
  });

  it('refuses a YAML alias bomb, saying so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-start-'));
    const path = join(dir, 'policy.yaml');
    const levels = ['x0: &x0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 8; i++)
      levels.push(
        `x${i}: &x${i} [${Array(9)
          .fill(`*x${i - 1}`)
          .join(',')}]`,
      );
    writeFileSync(path, levels.join('\n'));
    const r = start({ ...base, STEWARD_DATA_DIR: join(dir, 'data'), STEWARD_POLICY: path });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/alias/i);
    noStackOnStdout(r);
  });

  it('puts the stack in the log only at debug level', async () => {
    const port = await freePort();
    const env = { ...base, DATABASE_URL: `postgres://steward@127.0.0.1:${port}/steward` };
    const quiet = start(env);
    expect(quiet.stdout).not.toMatch(/"stack"/);
    const debug = start({ ...env, STEWARD_LOG_LEVEL: 'debug' });
    expect(debug.status).toBe(1);
    expect(debug.stdout).toMatch(/"stack"/);
    expect(lastLine(debug.stderr)).toMatch(/connection refused/i);
  });
});
