/**
 * The Slack side of `bench/interact.ts`: the Slack workspace simulator (with its signed
 * platform driver) and the Anthropic organisation simulator in this process, and
 * Steward in a child process of its own (`interact-steward.ts`), as deployed: its event
 * loop serves only Steward, so a click's measured latency is Steward's, not the
 * simulators'. The child is driven over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startAnthropicSim, type AnthropicSim } from '../src/sim/anthropic/index.js';
import { startSlackSim, type SlackSim } from '../src/sim/slack/index.js';
import type { FindingRow, PersonRow, Reply, Request, StartRequest, Started, StewardOps } from './interact-protocol.js';
import type { SendRequest, SendResult } from './interact-sender.js';

export type Person = PersonRow;
export type SeededFinding = FindingRow;

export interface Stack {
  slack: SlackSim;
  anthropic: AnthropicSim;
  /** The Steward process's operations (review service, checks, instrumentation). */
  steward: StewardOps;
  stewardPid: number;
  securityChannel: string;
  driverLabel: string;
  stop(): Promise<void>;
}

/** Starts Steward in a child process and returns a typed proxy to its operations. */
async function forkSteward(req: StartRequest): Promise<{ child: ChildProcess; ops: StewardOps; started: Started }> {
  const child = fork(fileURLToPath(new URL('./interact-steward.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: Reply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.result);
    else w.reject(new Error(`Steward process: ${m.error}`));
  });
  child.on('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`Steward process exited (${code ?? signal})`));
    waiting.clear();
  });
  const call = (op: Request['op'], args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ id, op, args }, (err) => {
        if (err) {
          waiting.delete(id);
          reject(err);
        }
      });
    });
  const started = (await call('start', [req])) as Started;
  const ops = new Proxy({} as StewardOps, {
    // Not a thenable: `then` is no operation.
    get: (_t, op: string) => (op === 'then' ? undefined : (...args: unknown[]) => call(op as keyof StewardOps, args)),
  });
  return { child, ops, started };
}

export async function startStack(opts: { dbUrl?: string | undefined; logLevel?: string }): Promise<Stack> {
  // No limits until a phase chooses them (--limits; the fan-out phase replaces them): the
  // interaction and restart phases measure Steward's own latency, as recorded in BENCHMARKS.md.
  const slack = await startSlackSim({ signingSecret: randomBytes(16).toString('hex'), rateLimits: 'none' });
  const anthropic = await startAnthropicSim({ seed: 7 });
  const admin = slack.addUser({ name: 'ada', email: 'ada@example.com', real_name: 'Ada Admin' });
  const security = slack.addChannel({ name: 'security', members: [admin.id] });
  const { child, ops, started } = await forkSteward({
    env: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      ANTHROPIC_ADMIN_KEY: anthropic.config.adminKey,
      ANTHROPIC_BASE_URL: anthropic.url,
      STEWARD_SECURITY_CHANNEL: security.id,
      STEWARD_ADMINS: admin.id,
    },
    dbUrl: opts.dbUrl,
    logLevel: opts.logLevel ?? 'info',
  });
  slack.setRequestUrl(`http://127.0.0.1:${started.port}/slack/events`);
  let stopped = false;
  return {
    slack,
    anthropic,
    steward: ops,
    stewardPid: started.pid,
    securityChannel: security.id,
    driverLabel: started.driverLabel,
    async stop() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((r) => child.once('exit', r));
      await ops.stop().catch(() => {});
      await exited;
      await slack.close();
      await anthropic.close();
    },
  };
}

export interface Sender {
  /** Posts all the requests at once and times each answer. */
  fire(requests: SendRequest[]): Promise<SendResult[]>;
  stop(): void;
}

/** The sender process (interact-sender.ts); a stub that refuses to send when not `wanted`. */
export async function startSender(wanted: boolean): Promise<Sender> {
  if (!wanted) {
    return {
      fire: () => Promise.reject(new Error('no sender process')),
      stop: () => {},
    };
  }
  const child = fork(fileURLToPath(new URL('./interact-sender.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  let next = 1;
  const waiting = new Map<number, (r: SendResult[]) => void>();
  child.on('message', (m: { id: number; results: SendResult[] }) => {
    waiting.get(m.id)?.(m.results);
    waiting.delete(m.id);
  });
  return {
    fire: (requests) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        child.send({ id, requests });
      }),
    stop: () => {
      child.disconnect();
    },
  };
}

/**
 * People who are both organisation members (directory table, and the org simulator
 * unless `inAnthropicSim` is false: fan-out needs no Admin API) and Slack users.
 */
export async function seedPeople(
  s: Stack,
  prefix: string,
  n: number,
  opts: { inAnthropicSim?: boolean } = {},
): Promise<Person[]> {
  const people: Person[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${prefix}${String(i).padStart(5, '0')}`;
    const email = `${name}@example.com`;
    const userId =
      opts.inAnthropicSim === false ? `user_${name}` : s.anthropic.state.addUser({ email, name, role: 'user' }).id;
    const slackId = s.slack.addUser({ name, email, real_name: name }).id;
    people.push({ name, email, userId, slackId });
  }
  await s.steward.seedPeople(people);
  return people;
}

/**
 * One active key per owner (in the org simulator too when `inAnthropicSim`, so Revoke
 * reaches a real Admin API key) and one open dormant_key finding per key, its evidence
 * carrying the owner's Slack id as correlation resolves it.
 */
export async function seedKeyFindings(
  s: Stack,
  owners: Person[],
  tag: string,
  opts: { inAnthropicSim?: boolean; slackIdUnknown?: boolean } = {},
): Promise<SeededFinding[]> {
  const seeded: SeededFinding[] = owners.map((owner) => {
    const keyName = `${tag}-${owner.name}`;
    const keyId =
      opts.inAnthropicSim === false
        ? `apikey_${tag}_${owner.name}`
        : s.anthropic.state.addApiKey({
            name: keyName,
            createdBy: { id: owner.userId, type: 'user' },
            principal: { type: 'user', id: owner.userId } as never,
          }).id;
    return { findingId: randomUUID(), keyId, keyName, owner, ...(opts.slackIdUnknown ? { slackIdUnknown: true } : {}) };
  });
  await s.steward.seedFindings(seeded);
  return seeded;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `fn` returns something truthy, or throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 120_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
