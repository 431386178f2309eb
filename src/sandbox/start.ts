/**
 * The sandbox's composition root: the simulated Claude organisation and Slack workspace,
 * seeded with a company whose right answer is known, and the REAL Steward started through
 * `startSteward` with a configuration that points at them (SLACK_API_URL, ANTHROPIC_BASE_URL,
 * signed requests to its Bolt receiver), on embedded PGlite, all on one clock; then a sync
 * and a review, and the page. Nothing in Steward knows it is in a sandbox.
 */
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { stringify } from 'yaml';
import { loadConfig, loadPolicy, secretValues } from '../config/index.js';
import { openDatabase, type Database } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { createLogger } from '../log.js';
import { installAuditKeys, wireServices } from '../services.js';
import { startAnthropicSim, type AnthropicSim } from '../sim/anthropic/index.js';
import { sandboxScenario, type SandboxScenario } from '../sim/scenarios/sandbox-org.js';
import { seedKnownOrg } from '../sim/scenarios/seed-sim.js';
import { sandboxSiblings, seedSandboxSibling, type SandboxSibling } from '../sim/scenarios/sandbox-siblings.js';
import { startSlackSim, type SlackSim } from '../sim/slack/index.js';
import { startSteward, type RunningSteward } from '../steward.js';
import { middayToday, sandboxClock, type SandboxClock } from './clock.js';
import { armFaults } from './faults.js';
import { OptionsError, type SandboxOptions } from './options.js';
import { sandboxOrgPanel } from './org-panel.js';
import { startSandboxPage, type SandboxPage } from './page/index.js';
import { sandboxTimeControl } from './time-control.js';
import { seedSlackWorkspace, type SeededWorkspace } from './workspace.js';

export interface StartSandboxOptions extends Partial<SandboxOptions> {
  /** Progress lines while starting (the command line prints them on stderr). */
  onProgress?: (line: string) => void;
  /** Steward's log level (default info); the log goes to steward.log in the work directory. */
  logLevel?: string;
}

export interface RunningSandbox {
  /** The page. */
  url: string;
  clock: SandboxClock;
  scenario: SandboxScenario;
  /** The company's other organisations (`--orgs`), with their known answers. */
  siblings: SandboxSibling[];
  workspace: SeededWorkspace;
  slack: SlackSim;
  anthropic: AnthropicSim;
  steward: RunningSteward;
  /** Where the database and steward.log are (removed on stop unless --data-dir named it). */
  workDir: string;
  stop(): Promise<void>;
}

function workDirectory(dataDir: string | null | undefined): { dir: string; keep: boolean } {
  if (!dataDir) return { dir: mkdtempSync(join(tmpdir(), 'steward-sandbox-')), keep: false };
  const dir = resolve(dataDir);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new OptionsError(
      `--data-dir ${dataDir} is not empty: the sandbox starts a new organisation; give an empty or new directory`,
    );
  mkdirSync(dir, { recursive: true });
  return { dir, keep: true };
}

export async function startSandbox(opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const progress = opts.onProgress ?? (() => {});
  const start = middayToday();
  const scenario = sandboxScenario({
    people: opts.people ?? 50,
    keys: opts.keys ?? 80,
    days: opts.days ?? 120,
    now: start,
  });
  const { dir: workDir, keep } = workDirectory(opts.dataDir);
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  };
  if (!keep) cleanups.push(() => rmSync(workDir, { recursive: true, force: true }));
  try {
    const clock = sandboxClock(start);
    const anthropic = await startAnthropicSim({
      seed: 7,
      now: clock.ms,
      orgType: 'enterprise',
      orgName: scenario.organization.name,
    });
    cleanups.push(() => anthropic.close());
    // Issue 17: the company's other organisations under the same parent, each its own Admin key.
    const siblings = sandboxSiblings(scenario, opts.orgs ?? 1).map((sibling) => ({
      sibling,
      org: anthropic.addOrganization({ name: sibling.name }),
    }));
    const slack = await startSlackSim({
      now: clock.ms,
      team: { name: scenario.organization.name, domain: 'acme-robotics' },
    });
    cleanups.push(() => slack.close());
    const workspace = seedSlackWorkspace(slack, scenario);

    const policyPath = join(workDir, 'policy.yaml');
    writeFileSync(
      policyPath,
      `# The sandbox's policy: Steward's defaults, plus the owner of the deploy service account.\n${stringify(scenario.policy)}`,
    );
    const config = loadConfig({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      ...(siblings.length === 0
        ? { ANTHROPIC_ADMIN_KEY: anthropic.config.adminKey }
        : { ANTHROPIC_ADMIN_KEYS: [anthropic.config.adminKey, ...siblings.map((s) => s.org.adminKey)].join(',') }),
      ANTHROPIC_COMPLIANCE_KEY: anthropic.config.complianceKey,
      ANTHROPIC_BASE_URL: anthropic.url,
      STEWARD_DATA_DIR: join(workDir, 'pglite'),
      PORT: '0',
      STEWARD_SECURITY_CHANNEL: workspace.securityChannel,
      STEWARD_ADMINS: workspace.admins.join(','),
      STEWARD_POLICY: policyPath,
    });
    const logFile = createWriteStream(join(workDir, 'steward.log'), { flags: 'a' });
    cleanups.push(async () => {
      logFile.end();
      await once(logFile, 'close');
    });
    const logger = createLogger({
      level: opts.logLevel ?? 'info',
      secrets: secretValues(config),
      destination: logFile,
    });

    progress(`Opening the database in ${workDir}`);
    installAuditKeys(config);
    const database: Database = await openDatabase({ dataDir: config.database.dataDir });
    cleanups.push(() => database.close());
    await migrateDatabase(database);

    // Steward's memory of the directory: every listing since the history began (see seedKnownOrg).
    progress(
      `Seeding ${scenario.organization.name}: ${scenario.people.length} people, ${scenario.apiKeys.length} API keys, ${opts.days ?? 120} days of activity`,
    );
    const replay = wireServices({ config, logger, database, policy: loadPolicy(policyPath), now: clock.now });
    await seedKnownOrg(anthropic, scenario, {
      async onListingChange(at) {
        clock.set(at);
        const r = await replay.sync.run({ sources: ['directory'] });
        if (!r.ok) throw new Error(`the directory sync at ${at.toISOString()} failed: ${JSON.stringify(r.sources)}`);
      },
    });
    clock.set(start);
    for (const { sibling, org } of siblings) {
      progress(`Seeding ${sibling.name}: ${sibling.people.length} people, ${sibling.people.length} API keys`);
      seedSandboxSibling(org, sibling, start);
    }

    const steward = await startSteward(config, logger, { database, now: clock.now });
    cleanups.push(() => steward.stop());
    slack.setRequestUrl(`http://127.0.0.1:${steward.port}/slack/events`);
    const faults = opts.faults ? armFaults(slack, anthropic) : null;

    progress(
      siblings.length === 0
        ? 'Steward syncs the organisation'
        : `Steward syncs the ${siblings.length + 1} organisations`,
    );
    const sync = await steward.runJob('sync');
    if (sync.status !== 'succeeded') throw new Error(`the first sync did not succeed: ${JSON.stringify(sync)}`);
    progress('Steward correlates and sends the reviews');
    const review = await steward.runJob('correlate');
    if (review.status !== 'succeeded') throw new Error(`the first review did not succeed: ${JSON.stringify(review)}`);

    const policy = loadPolicy(policyPath).policy;
    const time = sandboxTimeControl({
      clock,
      jobs: steward.services.jobs,
      timezone: policy.schedule.timezone,
      runJob: async (name) => {
        faults?.rearm();
        return steward.runJob(name);
      },
    });
    const page: SandboxPage = await startPage({
      sim: slack,
      org: sandboxOrgPanel({ database, anthropic, now: clock.now }),
      time,
      port: opts.port ?? 0,
      homeChannel: 'security',
      appName: 'Steward',
      onError: (err, where) => logger.error({ err, where }, 'sandbox page error'),
    });
    cleanups.push(() => page.close());

    let stopped: Promise<void> | null = null;
    return {
      url: page.url,
      clock,
      scenario,
      siblings: siblings.map((s) => s.sibling),
      workspace,
      slack,
      anthropic,
      steward,
      workDir,
      stop: () => (stopped ??= cleanup()),
    };
  } catch (err) {
    await cleanup().catch(() => {});
    throw err;
  }
}

async function startPage(opts: Parameters<typeof startSandboxPage>[0]): Promise<SandboxPage> {
  try {
    return await startSandboxPage({ ...opts, host: '127.0.0.1' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new OptionsError(
        `port ${opts.port} is already in use: choose another with --port N (--port 0 picks a free one)`,
      );
    throw err;
  }
}
