import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, secretValues, type Config } from '../../src/config/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import { startSteward, type RunningSteward } from '../../src/steward.js';
import { startAnthropicSim, type AnthropicSim, type OrganizationInput } from '../../src/sim/anthropic/index.js';
import { startSlackSim, type SlackSim, type SlackSimOptions } from '../../src/sim/slack/index.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { simEnv } from './env.js';

export interface Harness {
  slack: SlackSim;
  anthropic: AnthropicSim;
  db: TestDatabase;
  steward: RunningSteward;
  config: Config;
  /** Every log line Steward wrote, for assertions (e.g. no secrets). */
  logLines: string[];
  baseUrl: string;
  admin: { id: string };
  securityChannel: string;
  clock: TestClock;
  stop(): Promise<void>;
}

export interface TestClock {
  now: () => Date;
  set(d: Date | string): void;
  advanceDays(days: number): void;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Extra Slack admins besides the one the harness creates. */
  admins?: string[];
  /** Policy file contents (YAML). */
  policy?: string;
  /** Start the clock here instead of at real time. */
  now?: Date | string;
  anthropic?: Parameters<typeof startAnthropicSim>[0];
  /** Slack Socket Mode instead of HTTP (SLACK_APP_TOKEN set, the sim's socket on). */
  socketMode?: boolean;
  /**
   * The Slack sim's rate limits. Default: Slack's published per-method limits, which is what
   * Steward meets in production. 'none' only where a test would otherwise be slow or flaky,
   * with a comment saying why.
   */
  slackRateLimits?: SlackSimOptions['rateLimits'];
  /**
   * More organisations under the simulator's parent (issue 17): Steward is then configured with
   * ANTHROPIC_ADMIN_KEYS (the first organisation's key, then these) and the parent's Compliance key.
   */
  organizations?: OrganizationInput[];
}

const NEVER_SCHEDULE =
  '\nschedule:\n  sync: "0 0 1 1 *"\n  correlate: "0 0 1 1 *"\n  reminders: "0 0 1 1 *"\n  audit_witness: "0 0 1 1 *"\n';

export function testClock(start?: Date | string): TestClock {
  let offset = start ? new Date(start).getTime() - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offset),
    set(d) {
      offset = new Date(d).getTime() - Date.now();
    },
    advanceDays(days) {
      offset += days * 86_400_000;
    },
  };
}

/**
 * The whole product wired to simulators: a Slack workspace sim, an Anthropic org sim,
 * a fresh test database, and Steward itself listening on a free port with its real
 * Bolt HTTP receiver, WebClient and Anthropic SDK.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const clock = testClock(opts.now);
  const slack = await startSlackSim({
    signingSecret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    socketMode: opts.socketMode ?? false,
    rateLimits: opts.slackRateLimits ?? 'slack',
  });
  const anthropic = await startAnthropicSim({ seed: 7, now: () => clock.now().getTime(), ...opts.anthropic });
  const extraOrgs = (opts.organizations ?? []).map((o) => anthropic.addOrganization(o));
  const admin = slack.addUser({ name: 'ada', email: 'ada@example.com', real_name: 'Ada Admin' });
  const security = slack.addChannel({ name: 'security', members: [admin.id] });
  const db = await createTestDatabase();
  // Scheduled jobs would fire mid-test at the top of an hour; tests run jobs by hand
  // unless they set a schedule themselves.
  const policyText = (opts.policy ?? '') + (/^schedule:/m.test(opts.policy ?? '') ? '' : NEVER_SCHEDULE);
  const policyPath = join(mkdtempSync(join(tmpdir(), 'steward-policy-')), 'policy.yaml');
  writeFileSync(policyPath, policyText);
  const env = {
    ...simEnv(slack, anthropic, { securityChannel: security.id, admins: [admin.id, ...(opts.admins ?? [])] }),
    PORT: '0',
    STEWARD_LOG_LEVEL: 'debug',
    STEWARD_POLICY: policyPath,
    ...(opts.socketMode ? { SLACK_APP_TOKEN: slack.appToken } : {}),
    ...(extraOrgs.length
      ? {
          ANTHROPIC_ADMIN_KEY: '',
          ANTHROPIC_ADMIN_KEYS: [anthropic.config.adminKey, ...extraOrgs.map((o) => o.adminKey)].join(','),
          ANTHROPIC_COMPLIANCE_KEY: anthropic.config.complianceKey,
        }
      : {}),
    ...opts.env,
  };
  const config = loadConfig(env);
  const logLines: string[] = [];
  const logger: Logger = createLogger({
    level: 'debug',
    secrets: secretValues(config),
    destination: new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    }),
  });
  const steward = await startSteward(config, logger, { database: db, now: () => clock.now() });
  const baseUrl = `http://127.0.0.1:${steward.port}`;
  if (opts.socketMode) await slack.socket.waitForConnection({ timeoutMs: 20_000 });
  else slack.setRequestUrl(`${baseUrl}/slack/events`);
  return {
    slack,
    anthropic,
    db,
    steward,
    config,
    logLines,
    baseUrl,
    admin: { id: admin.id },
    securityChannel: security.id,
    clock,
    async stop() {
      await steward.stop();
      await slack.close();
      await anthropic.close();
      await db.destroy();
    },
  };
}
