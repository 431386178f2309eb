/**
 * A simulated Slack workspace: a real HTTP server that speaks the Web API wire format
 * (point WebClient's `slackApiUrl` / SLACK_API_URL at `apiUrl`), and a driver that plays
 * Slack's side towards the app (signed slash commands, clicks, submissions, events),
 * over HTTP to the Request URL or, in socket mode, over the app's Socket Mode connection.
 */
import { CallLog } from './calls.js';
import { SlackPlatformDriver } from './driver.js';
import { Faults } from './faults.js';
import { secret, slackId } from './ids.js';
import { RateLimiter, slackLikeRateLimits, type RateLimitConfig } from './rate-limit.js';
import { SlackSimServer } from './server.js';
import { newAppToken, SocketModeHub } from './socket-mode.js';
import { WorkspaceState, type NewChannel, type NewUser, type SimChange } from './state.js';
import type { SimChannel, SimTeam, SimUser } from './types.js';

export interface SlackSimOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The bot token the API accepts (default: a fresh random xoxb- token). */
  botToken?: string;
  /** The app's signing secret, used to sign what the driver sends (default: random). */
  signingSecret?: string;
  /** The deprecated verification token Slack still puts in payloads. */
  verificationToken?: string;
  /** Where the app receives Slack's requests, e.g. http://127.0.0.1:3000/slack/events. */
  requestUrl?: string;
  team?: Partial<SimTeam>;
  appId?: string;
  botName?: string;
  /** Lifetime of trigger ids (Slack: 3 s). */
  triggerTtlMs?: number;
  /** How long Slack waits for the app to acknowledge a request (3 s). */
  ackDeadlineMs?: number;
  /** response_url: 30 minutes, 5 posts. */
  responseUrlTtlMs?: number;
  responseUrlMaxUses?: number;
  /** Per-method limits, or 'slack' for slackLikeRateLimits(). Off by default. */
  rateLimits?: RateLimitConfig | 'slack';
  /** Whether users.list includes Slackbot (USLACKBOT, is_bot false, as in real workspaces). */
  includeSlackbot?: boolean;
  /** Clock for trigger expiry, rate limits and timestamps (default Date.now). */
  now?: () => number;
  /** The app-level token apps.connections.open accepts (default: a fresh random xapp- token). */
  appToken?: string;
  /** Deliver over the app's Socket Mode connection instead of HTTP (default false; see setSocketMode). */
  socketMode?: boolean;
  /** How often the sim pings Socket Mode connections (default 10 s; 0 = never). */
  socketPingIntervalMs?: number;
}

export interface SlackSim {
  /** Base URL for WebClient's `slackApiUrl` (ends with /api/). */
  apiUrl: string;
  /** The sim's root URL (http://127.0.0.1:port). */
  baseUrl: string;
  botToken: string;
  /** The app-level token (xapp-…) for Socket Mode. */
  appToken: string;
  signingSecret: string;
  verificationToken: string;
  state: WorkspaceState;
  calls: CallLog;
  faults: Faults;
  rateLimits: RateLimiter;
  driver: SlackPlatformDriver;
  requestUrl: string | undefined;
  setRequestUrl(url: string): void;
  /** Socket Mode: connections, frames, disconnect() and waitForConnection(). */
  socket: SocketModeHub;
  /** Whether the driver delivers over the socket (Slack's "Enable Socket Mode" toggle). */
  socketMode: boolean;
  setSocketMode(on: boolean): void;
  addUser(u?: NewUser): SimUser;
  addChannel(c: NewChannel): SimChannel;
  /**
   * Calls `listener` after every change to what a person would see in the workspace
   * (messages, ephemeral messages, modals, App Home, users, conversations), with what to read
   * again from `state`. Returns the unsubscribe function.
   */
  onChange(listener: (change: SimChange) => void): () => void;
  close(): Promise<void>;
}

export async function startSlackSim(opts: SlackSimOptions = {}): Promise<SlackSim> {
  const now = opts.now ?? Date.now;
  const team: SimTeam = {
    id: opts.team?.id ?? slackId('T'),
    domain: opts.team?.domain ?? 'steward-sim',
    name: opts.team?.name ?? 'Steward Sim',
  };
  const state = new WorkspaceState({
    team,
    appId: opts.appId ?? slackId('A'),
    botId: slackId('B'),
    botUserId: slackId('U'),
    botName: opts.botName ?? 'steward',
    triggerTtlMs: opts.triggerTtlMs ?? 3000,
    responseUrlTtlMs: opts.responseUrlTtlMs ?? 30 * 60_000,
    responseUrlMaxUses: opts.responseUrlMaxUses ?? 5,
    now,
  });
  if (opts.includeSlackbot ?? true) {
    state.addUser({ id: 'USLACKBOT', name: 'slackbot', real_name: 'Slackbot', is_bot: false });
  }
  const botToken = opts.botToken ?? `xoxb-${Math.floor(Math.random() * 1e12)}-${secret(12)}`;
  const signingSecret = opts.signingSecret ?? secret(16);
  const verificationToken = opts.verificationToken ?? secret(12);
  const calls = new CallLog();
  const faults = new Faults();
  const limiter = new RateLimiter(now, opts.rateLimits === 'slack' ? slackLikeRateLimits() : (opts.rateLimits ?? {}));
  const ackDeadlineMs = opts.ackDeadlineMs ?? 3000;
  const appToken = opts.appToken ?? newAppToken(state.appId);
  const socket = new SocketModeHub({ state, appToken, ackDeadlineMs, pingIntervalMs: opts.socketPingIntervalMs });
  const server = new SlackSimServer({
    state,
    calls,
    faults,
    limiter,
    tokens: () => [botToken],
    appLevel: { tokens: () => [appToken], methods: socket.methods() },
    upgrade: (req, sock, head) => socket.handleUpgrade(req, sock, head),
  });
  const baseUrl = await server.listen(opts.host ?? '127.0.0.1', opts.port ?? 0);
  state.baseUrl = baseUrl;

  const sim: SlackSim = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    botToken,
    appToken,
    signingSecret,
    verificationToken,
    state,
    calls,
    faults,
    rateLimits: limiter,
    driver: undefined as unknown as SlackPlatformDriver,
    requestUrl: opts.requestUrl,
    setRequestUrl(url: string) {
      sim.requestUrl = url;
    },
    socket,
    socketMode: opts.socketMode ?? false,
    setSocketMode(on: boolean) {
      sim.socketMode = on;
    },
    addUser: (u) => state.addUser(u),
    addChannel: (c) => state.addChannel(c),
    onChange: (listener) => state.onChange(listener),
    // Sockets first: an upgraded socket would keep the HTTP server's close() waiting.
    close: async () => {
      await socket.close();
      await server.close();
    },
  };
  sim.driver = new SlackPlatformDriver({
    state,
    requestUrl: () => sim.requestUrl,
    signingSecret,
    verificationToken,
    ackDeadlineMs,
    socket: () => (sim.socketMode ? socket : undefined),
  });
  return sim;
}

export { signSlackRequest, type SlackSignatureHeaders } from './sign.js';
export { slackLikeRateLimits, type RateLimitConfig, type RateLimitRule } from './rate-limit.js';
export type { FaultKind, FaultSpec } from './faults.js';
export type { RecordedCall } from './calls.js';
export { LIMITS, validateBlocks, validateView, type BlockIssue, type Surface } from './blocks.js';
export { SlackClientRefusal, type SubmittedValues } from './payloads.js';
export type {
  ButtonClickResult,
  ClickInput,
  DeliveredRequest,
  DeliveryOptions,
  DriverResponse,
  EventResult,
  SlashCommandInput,
  SlashCommandResult,
  SubmitInput,
  ViewSubmissionResult,
} from './driver.js';
export type { NewChannel, NewUser, SimChange } from './state.js';
export {
  SocketModeHub,
  type DisconnectOptions,
  type DisconnectResult,
  type SocketConnection,
  type SocketFrame,
} from './socket-mode.js';
export type { DisconnectReason, EnvelopeType } from './socket-frames.js';
export { WorkspaceState } from './state.js';
export type * from './types.js';
