import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretValues } from './env.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefghijkl',
  SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef0123456789',
  ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-secretvalue-xyz',
  STEWARD_SECURITY_CHANNEL: 'C0SECURITY',
};

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(valid);
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ url: undefined, dataDir: './data' });
    expect(c.anthropic.baseUrl).toBe('https://api.anthropic.com');
    expect(c.anthropic.complianceKey).toBe(valid.ANTHROPIC_ADMIN_KEY);
    expect(c.slack.mode).toBe('http');
    expect(c.dryRun).toBe(false);
    expect(c.admins).toEqual([]);
    expect(c.log).toEqual({ level: 'info', format: 'json' });
  });

  it('reads every variable', () => {
    const c = loadConfig({
      ...valid,
      SLACK_APP_TOKEN: 'xapp-1-A111-222-abcdef',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      ANTHROPIC_COMPLIANCE_KEY: 'sk-ant-api01-compliance-key',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:8888/',
      DATABASE_URL: 'postgres://u:p@localhost:5432/steward',
      STEWARD_DATA_DIR: '/var/lib/steward',
      PORT: '8080',
      STEWARD_ADMINS: 'U0ADMIN1, W0ADMIN2',
      STEWARD_POLICY: './policy.yaml',
      STEWARD_DRY_RUN: 'true',
      STEWARD_LOG_LEVEL: 'debug',
      STEWARD_LOG_FORMAT: 'pretty',
    });
    expect(c.slack.mode).toBe('socket');
    expect(c.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c.anthropic).toEqual({
      adminKey: valid.ANTHROPIC_ADMIN_KEY,
      adminKeys: [valid.ANTHROPIC_ADMIN_KEY],
      complianceKey: 'sk-ant-api01-compliance-key',
      complianceScope: 'parent',
      baseUrl: 'http://127.0.0.1:8888',
    });
    expect(c.database).toEqual({ url: 'postgres://u:p@localhost:5432/steward', dataDir: '/var/lib/steward' });
    expect(c.port).toBe(8080);
    expect(c.admins).toEqual(['U0ADMIN1', 'W0ADMIN2']);
    expect(c.policyPath).toBe('./policy.yaml');
    expect(c.dryRun).toBe(true);
    expect(c.log).toEqual({ level: 'debug', format: 'pretty' });
  });

  it('lists every missing setting by name in one error', () => {
    const err = problemsOf({});
    expect(err.problems.map((p) => p.variable).sort()).toEqual(
      ['ANTHROPIC_ADMIN_KEY', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'STEWARD_SECURITY_CHANNEL'].sort(),
    );
    expect(err.message).toMatch(/^Steward cannot start: 4 configuration problems:/);
    expect(err.code).toBe('config_invalid');
  });

  it('names each malformed setting without echoing its value', () => {
    const secret = 'not-a-token-but-secret-123';
    const err = problemsOf({
      ...valid,
      SLACK_BOT_TOKEN: secret,
      PORT: '99999',
      DATABASE_URL: 'mysql://x',
      SLACK_API_URL: 'ftp://x',
      STEWARD_ADMINS: 'U0OK12,bob',
      STEWARD_DRY_RUN: 'maybe',
      STEWARD_SECURITY_CHANNEL: '#security',
    });
    expect(err.problems.map((p) => p.variable).sort()).toEqual(
      [
        'DATABASE_URL',
        'PORT',
        'SLACK_API_URL',
        'SLACK_BOT_TOKEN',
        'STEWARD_ADMINS',
        'STEWARD_DRY_RUN',
        'STEWARD_SECURITY_CHANNEL',
      ].sort(),
    );
    expect(err.message).not.toContain(secret);
    expect(err.message).toContain('STEWARD_ADMINS: entry 2 must be a Slack user id');
  });

  it('does not need a signing secret in Socket Mode, and needs nothing for local commands', () => {
    const { SLACK_SIGNING_SECRET: _omit, ...socket } = valid;
    expect(loadConfig({ ...socket, SLACK_APP_TOKEN: 'xapp-1-abc-def' }).slack.mode).toBe('socket');
    expect(loadConfig({}, []).database.dataDir).toBe('./data');
    expect(() => loadConfig({}, ['anthropic'])).toThrow(/ANTHROPIC_ADMIN_KEY/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...valid, PORT: '', DATABASE_URL: '  ' }).port).toBe(3000);
  });

  it('collects secrets for the logger to scrub', () => {
    const c = loadConfig({ ...valid, DATABASE_URL: 'postgres://steward:hunter2pass@db/steward' });
    expect(secretValues(c)).toEqual(
      expect.arrayContaining([
        valid.SLACK_BOT_TOKEN,
        valid.SLACK_SIGNING_SECRET,
        valid.ANTHROPIC_ADMIN_KEY,
        'hunter2pass',
      ]),
    );
  });

  describe('several organisations (ANTHROPIC_ADMIN_KEYS)', () => {
    const { ANTHROPIC_ADMIN_KEY: _one, ...noKey } = valid;
    const k1 = 'sk-ant-admin01-first-org-key';
    const k2 = 'sk-ant-admin01-second-org-key';

    it('ANTHROPIC_ADMIN_KEY alone is one organisation, read with its own key, as before', () => {
      const c = loadConfig(valid);
      expect(c.anthropic.adminKeys).toEqual([valid.ANTHROPIC_ADMIN_KEY]);
      expect(c.anthropic.complianceScope).toBe('per-organisation');
    });

    it('lists one key per organisation, separated by commas or whitespace', () => {
      const c = loadConfig({ ...noKey, ANTHROPIC_ADMIN_KEYS: `${k1},\n  ${k2}\n` });
      expect(c.anthropic.adminKeys).toEqual([k1, k2]);
      expect(c.anthropic.adminKey).toBe(k1);
      expect(c.anthropic.complianceKey).toBe(k1);
      expect(secretValues(c)).toEqual(expect.arrayContaining([k1, k2]));
      const parent = loadConfig({
        ...noKey,
        ANTHROPIC_ADMIN_KEYS: `${k1},${k2}`,
        ANTHROPIC_COMPLIANCE_KEY: 'sk-ant-api01-parent-key',
      });
      expect(parent.anthropic.complianceScope).toBe('parent');
      expect(parent.anthropic.complianceKey).toBe('sk-ant-api01-parent-key');
    });

    it('refuses a repeated key, a short entry, or both variables, naming the entry and never the value', () => {
      const repeated = problemsOf({ ...noKey, ANTHROPIC_ADMIN_KEYS: `${k1},${k2},${k1}` });
      expect(repeated.problems).toEqual([
        { variable: 'ANTHROPIC_ADMIN_KEYS', message: 'entry 3 repeats entry 1 (one key per organisation)' },
      ]);
      expect(repeated.message).not.toContain(k1);
      const short = problemsOf({ ...noKey, ANTHROPIC_ADMIN_KEYS: `${k1},abc` });
      expect(short.problems).toEqual([
        { variable: 'ANTHROPIC_ADMIN_KEYS', message: 'entry 2 must be an Admin API key (sk-ant-admin…)' },
      ]);
      const both = problemsOf({ ...valid, ANTHROPIC_ADMIN_KEYS: `${k1},${k2}` });
      expect(both.problems.map((p) => p.variable)).toEqual(['ANTHROPIC_ADMIN_KEYS']);
      expect(both.message).toMatch(/^Steward cannot start: 1 configuration problem:\n/);
      expect(both.message).not.toContain(k2);
    });

    it('still requires a key when neither variable is set', () => {
      expect(problemsOf(noKey).problems).toEqual([
        { variable: 'ANTHROPIC_ADMIN_KEY', message: 'is required (an Anthropic Admin API key)' },
      ]);
    });
  });

  describe('Claude assist (STEWARD_ASSIST, ANTHROPIC_API_KEY)', () => {
    const key = 'sk-ant-api03-assist-key-value';

    it('is off without both settings, and on with both', () => {
      expect(loadConfig(valid).assist).toBeNull();
      expect(loadConfig({ ...valid, ANTHROPIC_API_KEY: key }).assist).toBeNull();
      expect(loadConfig({ ...valid, STEWARD_ASSIST: 'off', ANTHROPIC_API_KEY: key }).assist).toBeNull();
      expect(loadConfig({ ...valid, STEWARD_ASSIST: 'claude', ANTHROPIC_API_KEY: key }).assist).toEqual({
        provider: 'claude',
        apiKey: key,
      });
    });

    it('names what is wrong, once, without echoing the key', () => {
      expect(problemsOf({ ...valid, STEWARD_ASSIST: 'claude' }).problems).toEqual([
        {
          variable: 'ANTHROPIC_API_KEY',
          message:
            'is required when STEWARD_ASSIST=claude (an ordinary Claude API key, not the Admin or Compliance key)',
        },
      ]);
      expect(problemsOf({ ...valid, STEWARD_ASSIST: 'gpt' }).problems).toEqual([
        { variable: 'STEWARD_ASSIST', message: 'must be claude or off' },
      ]);
      const reused = problemsOf({ ...valid, STEWARD_ASSIST: 'claude', ANTHROPIC_API_KEY: valid.ANTHROPIC_ADMIN_KEY });
      expect(reused.problems).toEqual([
        {
          variable: 'ANTHROPIC_API_KEY',
          message: 'must be a separate ordinary API key, not the Admin or Compliance key',
        },
      ]);
      expect(reused.message).not.toContain(valid.ANTHROPIC_ADMIN_KEY);
      const compliance = 'sk-ant-api01-compliance-key';
      expect(
        problemsOf({
          ...valid,
          ANTHROPIC_COMPLIANCE_KEY: compliance,
          STEWARD_ASSIST: 'claude',
          ANTHROPIC_API_KEY: compliance,
        }).problems.map((p) => p.variable),
      ).toEqual(['ANTHROPIC_API_KEY']);
      const short = problemsOf({ ...valid, STEWARD_ASSIST: 'claude', ANTHROPIC_API_KEY: 'abc' });
      expect(short.problems).toEqual([
        { variable: 'ANTHROPIC_API_KEY', message: 'must be a Claude API key (sk-ant-api…)' },
      ]);
    });

    it('registers the key for redaction', () => {
      expect(secretValues(loadConfig({ ...valid, STEWARD_ASSIST: 'claude', ANTHROPIC_API_KEY: key }))).toContain(key);
    });
  });
});
