import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute, type Receiver } from '@slack/bolt';
import type { Config } from '../config/index.js';
import type { Logger } from '../log.js';
import { boltLogger } from './bolt-logger.js';
import { registerListeners, type ListenerDeps } from './listeners.js';
import { guardHttpReceiver } from './request-guard.js';

const EVENTS_PATH = '/slack/events';

export interface SlackAppOptions {
  slack: Config['slack'];
  port: number;
  logger: Logger;
  /** Health, readiness and metrics routes served next to /slack/events. */
  routes: CustomRoute[];
  listeners: Omit<ListenerDeps, 'logger'>;
  /** Real wall-clock milliseconds, to check Slack's request timestamps against. */
  wallClockMs: () => number;
}

export interface SlackApp {
  app: App;
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/**
 * One Bolt app, two receivers behind Bolt's Receiver interface: HTTP (signed requests
 * on POST /slack/events) or Socket Mode (SLACK_APP_TOKEN set). The listeners are the
 * same in both modes.
 */
export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const log = boltLogger(opts.logger);
  const clientOptions = opts.slack.apiUrl ? { slackApiUrl: ensureTrailingSlash(opts.slack.apiUrl) } : {};
  let receiver: Receiver;
  if (opts.slack.mode === 'socket') {
    receiver = new SocketModeReceiver({
      appToken: opts.slack.appToken!,
      logger: log,
      customRoutes: opts.routes,
      // A copy: SocketModeClient writes its own retry policy into the object it gets.
      installerOptions: { port: opts.port, clientOptions: { ...clientOptions } },
    });
  } else {
    const http = new HTTPReceiver({
      signingSecret: opts.slack.signingSecret!,
      endpoints: [EVENTS_PATH],
      customRoutes: opts.routes,
      logger: log,
      port: opts.port,
    });
    // Bolt's receiver can be stopped by one signed malformed body: requests are screened first.
    guardHttpReceiver(http, {
      signingSecret: opts.slack.signingSecret!,
      endpoints: [EVENTS_PATH],
      wallClockMs: opts.wallClockMs,
      logger: opts.logger,
    });
    receiver = http;
  }
  const app = new App({ token: opts.slack.botToken, receiver, logger: log, clientOptions });
  registerListeners(app, { ...opts.listeners, logger: opts.logger });

  return {
    app,
    async start() {
      const started = (await app.start(opts.port)) as unknown;
      const server = serverOf(started, receiver);
      const address = server?.address() as AddressInfo | null | undefined;
      return { port: address?.port ?? opts.port };
    },
    async stop() {
      await app.stop();
    },
  };
}

function serverOf(started: unknown, receiver: Receiver): Server | undefined {
  if (started && typeof (started as Server).address === 'function') return started as Server;
  return (receiver as unknown as { httpServer?: Server }).httpServer;
}

function ensureTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
