import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, loadPolicy, parsePolicy, PolicyError } from './policy.js';
import { subjectOf } from '../domain/findings.js';

function problems(text: string): string[] {
  try {
    parsePolicy(text, 'policy.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return err.problems;
    throw err;
  }
  throw new Error('expected a PolicyError');
}

describe('policy file', () => {
  it('has defaults for everything', () => {
    const { policy, source, version } = defaultPolicy();
    expect(source).toBe('defaults');
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(policy.findings.dormant_seat).toEqual({ enabled: true, days: 30, count_views: false });
    expect(policy.review.timeout).toBe('escalate');
    expect(policy.review.keep_days).toEqual([30, 90, 180]);
    expect(policy.schedule.timezone).toBe('UTC');
    expect(policy.exemptions).toEqual([]);
  });

  it('has an anomaly lookback window, a week by default', () => {
    expect(defaultPolicy().policy.anomalies.lookback_days).toBe(7);
    expect(parsePolicy('anomalies:\n  lookback_days: 3\n', 'p.yaml').policy.anomalies.lookback_days).toBe(3);
    expect(problems('anomalies:\n  lookback_days: 0\n')).toEqual(['anomalies.lookback_days: must be at least 1 day']);
  });

  it('has sync windows: a year of backfill, a 10-minute feed overlap, a week of usage refresh, half the feed budget', () => {
    expect(defaultPolicy().policy.sync).toEqual({
      activity_backfill_days: 365,
      activity_overlap_minutes: 10,
      usage_backfill_days: 365,
      usage_refresh_days: 7,
      removal_brake: { percent: 20, at_least: 5 },
      feed_rate_share: 0.5,
      catchup_parallel: 4,
    });
    expect(problems('sync:\n  catchup_parallel: 0\n')).toEqual(['sync.catchup_parallel: must be at least 1']);
    expect(problems('sync:\n  catchup_parallel: 2.5\n')).toEqual(['sync.catchup_parallel: must be a whole number']);
    expect(parsePolicy('sync:\n  feed_rate_share: 0.25\n', 'p.yaml').policy.sync.feed_rate_share).toBe(0.25);
    expect(problems('sync:\n  feed_rate_share: 0\n')).toEqual(['sync.feed_rate_share: must be more than 0']);
    expect(problems('sync:\n  feed_rate_share: 1.5\n')).toEqual([
      'sync.feed_rate_share: must be at most 1 (the whole budget)',
    ]);
    const { policy } = parsePolicy('sync:\n  activity_backfill_days: 30\n  activity_overlap_minutes: 5\n', 'p.yaml');
    expect(policy.sync.activity_backfill_days).toBe(30);
    expect(policy.sync.activity_overlap_minutes).toBe(5);
    expect(policy.sync.usage_refresh_days).toBe(7);
    expect(problems('sync:\n  activity_overlap_minutes: 0\n  backfill: 3\n')).toEqual([
      'sync.activity_overlap_minutes: must be at least 1 minute',
      'sync: unknown setting backfill',
    ]);
  });

  it('reads YAML with partial overrides, keeping the other defaults', () => {
    const { policy } = parsePolicy(
      `
findings:
  dormant_seat: { days: 45 }
review:
  timeout: revoke
  keep_days: [14, 60]
exemptions:
  - api_key: apikey_01CI
    finding: dormant_key
    reason: CI deploy key, used quarterly
    expires: 2027-01-31
owners:
  - service_account: svcacct_01BUILD
    email: build-team@example.com
schedule:
  timezone: Europe/Paris
  correlate: "0 9 * * 1-5"
`,
      'policy.yaml',
    );
    expect(policy.findings.dormant_seat).toEqual({ enabled: true, days: 45, count_views: false });
    expect(policy.findings.dormant_key.days).toBe(30);
    expect(policy.review.timeout).toBe('revoke');
    expect(policy.exemptions[0]?.expires.toISOString()).toBe('2027-01-31T00:00:00.000Z');
    expect(subjectOf(policy.exemptions[0]!)).toEqual({ type: 'api_key', id: 'apikey_01CI' });
    expect(policy.owners[0]?.email).toBe('build-team@example.com');
    expect(policy.schedule.correlate).toBe('0 9 * * 1-5');
  });

  it('reads JSON too, and the same content gives the same version', () => {
    const a = parsePolicy('{"review": {"due_days": 10}}', 'p.json');
    const b = parsePolicy('review:\n  due_days: 10\n', 'p.yaml');
    expect(a.policy.review.due_days).toBe(10);
    expect(a.version).toBe(b.version);
    expect(a.version).not.toBe(defaultPolicy().version);
  });

  it('refuses an empty or non-text `org` on an exemption or an owner, naming it (issue 17)', () => {
    const p = problems(`
exemptions:
  - api_key: apikey_1
    org: "  "
    reason: quarterly batch
    expires: 2027-01-01
owners:
  - api_key: apikey_2
    org: [Acme]
    email: ops@example.com
`);
    expect(p).toEqual(
      expect.arrayContaining([
        'exemptions.0.org: must be an organisation id or name',
        expect.stringMatching(/^owners\.0\.org: /),
      ]),
    );
  });

  it('names the field and the problem for each mistake', () => {
    const p = problems(`
findings:
  dormant_seat: { days: 0 }
  dormant_sate: { days: 3 }
review:
  timeout: delete
  keep_days: []
exemptions:
  - api_key: apikey_1
    reason: x
    expires: someday
  - reason: no subject here
    expires: 2027-01-01
owners:
  - api_key: apikey_2
schedule:
  timezone: Mars/Olympus
  sync: every hour
`);
    expect(p).toEqual(
      expect.arrayContaining([
        'findings.dormant_seat.days: must be at least 1 day',
        'findings: unknown setting dormant_sate',
        'review.timeout: must be one of escalate, revoke, none',
        'review.keep_days: must offer at least one duration',
        'exemptions.0.reason: must say why (at least 3 characters)',
        'exemptions.0.expires: must be a date (YYYY-MM-DD or an ISO 8601 time)',
        'exemptions.1: must name exactly one subject (one of: user, api_key, service_account, invite, workspace_member)',
        'owners.0: must give the owner as email, slack, or both',
        'schedule.timezone: must be an IANA time zone such as UTC or Europe/Paris',
        'schedule.sync: must be a valid cron expression (5 or 6 fields)',
      ]),
    );
  });

  it('rejects YAML syntax errors and non-mapping documents', () => {
    expect(() => parsePolicy('findings: [unclosed', 'bad.yaml')).toThrow(/not valid YAML or JSON/);
    expect(() => parsePolicy('- a\n- b\n', 'list.yaml')).toThrow(/must be a mapping/);
    expect(problems('review:\n  due_days: "seven"\n')).toEqual(['review.due_days: must be a number']);
  });

  it('loads from a path, and a missing file is a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const path = join(dir, 'policy.yaml');
    writeFileSync(path, 'review:\n  due_days: 3\n');
    expect(loadPolicy(path).policy.review.due_days).toBe(3);
    expect(loadPolicy(undefined).source).toBe('defaults');
    expect(() => loadPolicy(join(dir, 'missing.yaml'))).toThrow(/cannot be read \(ENOENT\)/);
  });

  it('has an assist section with defaults, and names each bad field', () => {
    expect(defaultPolicy().policy.assist).toEqual({
      model: 'claude-haiku-4-5',
      daily_calls: 500,
      timeout_ms: 3000,
      ask_timeout_ms: 20000,
      max_answer_chars: 1500,
    });
    const { policy } = parsePolicy('assist:\n  model: claude-sonnet-4-6\n  daily_calls: 50\n', 'p.yaml');
    expect(policy.assist.model).toBe('claude-sonnet-4-6');
    expect(policy.assist.daily_calls).toBe(50);
    expect(policy.assist.timeout_ms).toBe(3000);
    expect(problems('assist:\n  model: "Claude Haiku"\n  timeout_ms: 60000\n  daily_calls: -1\n  budget: 3\n')).toEqual(
      [
        'assist.model: must be a Claude model name such as claude-haiku-4-5',
        'assist.daily_calls: must be 0 or more',
        'assist.timeout_ms: must be at most 10000 ms (reviews must not wait on Claude)',
        'assist: unknown setting budget',
      ],
    );
  });
});
