import { Writable } from 'node:stream';
import { loadConfig, secretValues, type Config } from '../../src/config/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import { startSteward, type RunningSteward } from '../../src/steward.js';
import { startSlackSim, type SlackSim } from '../../src/sim/slack/index.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface Harness {
  slack: SlackSim;
  db: TestDatabase;
  steward: RunningSteward;
  config: Config;
  /** Every log line Steward wrote, for assertions (e.g. no secrets). */
  logLines: string[];
  baseUrl: string;
  admin: { id: string };
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Extra Slack admins besides the one the harness creates. */
  admins?: string[];
}

/**
 * The whole product wired to simulators: a Slack workspace sim, a fresh test database,
 * and Steward itself listening on a free port with its real Bolt HTTP receiver.
 */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const slack = await startSlackSim({ signingSecret: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' });
  const admin = slack.addUser({ name: 'ada', email: 'ada@example.com' });
  const security = slack.addChannel({ name: 'security' });
  const db = await createTestDatabase();
  const env = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-harness-key-0123456789abcdef',
    STEWARD_SECURITY_CHANNEL: security.id,
    STEWARD_ADMINS: [admin.id, ...(opts.admins ?? [])].join(','),
    PORT: '0',
    STEWARD_LOG_LEVEL: 'debug',
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
    }) as never,
  });
  const steward = await startSteward(config, logger, { database: db });
  const baseUrl = `http://127.0.0.1:${steward.port}`;
  slack.setRequestUrl(`${baseUrl}/slack/events`);
  return {
    slack,
    db,
    steward,
    config,
    logLines,
    baseUrl,
    admin: { id: admin.id },
    async stop() {
      await steward.stop();
      await slack.close();
      await db.destroy();
    },
  };
}
