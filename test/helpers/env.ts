import type { AnthropicSim } from '../../src/sim/anthropic/index.js';
import type { SlackSim } from '../../src/sim/slack/index.js';

/** Steward's environment pointing at the two simulators; `extra` adds or overrides. */
export function simEnv(
  slack: SlackSim,
  anthropic: AnthropicSim | null,
  opts: { securityChannel: string; admins: string[] },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    ANTHROPIC_ADMIN_KEY: anthropic?.config.adminKey ?? 'sk-ant-admin01-no-anthropic-in-this-test-000000',
    ANTHROPIC_BASE_URL: anthropic?.url ?? 'http://127.0.0.1:9',
    STEWARD_SECURITY_CHANNEL: opts.securityChannel,
    STEWARD_ADMINS: opts.admins.join(','),
    ...extra,
  };
}
