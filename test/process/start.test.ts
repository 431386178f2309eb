import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

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
