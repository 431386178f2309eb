import { LogLevel, WebAPIPlatformError, WebClient, type Logger, type WebAPICallResult } from '@slack/web-api';
import type { SlackSim } from '../../src/sim/slack/index.js';

/** A WebClient logger that says nothing (tests assert on results, not on client logs). */
export const quietSlackLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** The real WebClient pointed at the sim, failing fast unless a test asks for retries. */
export function simClient(sim: SlackSim, opts: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient(sim.botToken, {
    slackApiUrl: sim.apiUrl,
    logger: quietSlackLogger,
    retryConfig: { retries: 0 },
    ...opts,
  });
}

/** Runs a call that must fail with `ok: false` and returns Slack's error body. */
export async function slackErrorOf(p: Promise<unknown>): Promise<WebAPICallResult & { error?: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WebAPIPlatformError) return err.data;
    throw err;
  }
  throw new Error('expected the call to fail');
}
