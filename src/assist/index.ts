import Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../config/env.js';
import type { LoadedPolicy } from '../config/policy.js';
import type { Db } from '../db/types.js';
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log.js';
import { claudeAsker } from './ask.js';
import { claudeExplainer } from './explain.js';
import { assistOff } from './off.js';
import { askTools, type CampaignProgressSource } from './tools/index.js';
import type { Assist } from './types.js';

export type { Assist, AskAnswer, AskQuestion, Citation } from './types.js';

export interface AssistOptions {
  /** `config.assist`: null when assist is off. */
  config: Config['assist'];
  baseUrl: string;
  db: Db;
  logger: Logger;
  policy: LoadedPolicy;
  now: Clock;
  /** Campaign progress for `/steward ask` (review's summaries, passed in by the composition root). */
  campaigns: CampaignProgressSource;
  /** Transport (metrics wrap it to count calls, errors and 429s). */
  fetch?: typeof fetch;
}

/**
 * Claude assist over `@anthropic-ai/sdk` (`client.messages.create`) with its own ordinary
 * API key, or the template-only assist when it is off. Chosen once, by the composition root.
 */
export function createAssist(opts: AssistOptions): Assist {
  if (!opts.config) return assistOff();
  const settings = opts.policy.policy.assist;
  const client = new Anthropic({
    apiKey: opts.config.apiKey,
    baseURL: opts.baseUrl,
    // Never retried: a summary falls back to the template, a question says why it has no answer.
    maxRetries: 0,
    timeout: Math.max(settings.timeout_ms, settings.ask_timeout_ms),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const deps = { client, db: opts.db, logger: opts.logger, settings, now: opts.now };
  return {
    explain: claudeExplainer(deps),
    ask: claudeAsker({ ...deps, policyVersion: opts.policy.version, tools: askTools({ campaigns: opts.campaigns }) }),
  };
}
