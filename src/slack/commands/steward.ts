import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../listeners.js';
import { helpBlocks } from '../blocks/help.js';
import { parseStewardCommand } from './parse.js';

/**
 * `/steward`: ack fast with the answer when it is cheap (help, usage errors, refusals);
 * everything slow runs after the ack and answers through `respond`.
 */
export function registerStewardCommand(app: App, deps: ListenerDeps): void {
  app.command('/steward', async ({ command, ack }) => {
    const isAdmin = deps.admins.includes(command.user_id);
    const parsed = parseStewardCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...helpBlocks({ isAdmin, error: parsed.error }) });
      return;
    }
    if (parsed.command.sub === 'help') {
      await ack({ response_type: 'ephemeral', ...helpBlocks({ isAdmin }) });
      return;
    }
    if (!isAdmin) {
      deps.logger.info({ slackUser: command.user_id, sub: parsed.command.sub }, 'refused /steward command from non-admin');
      await ack({ response_type: 'ephemeral', text: `Only Steward admins can run \`/steward ${parsed.command.sub}\`. Try \`/steward help\`.` });
      return;
    }
    await ack({ response_type: 'ephemeral', text: `\`/steward ${parsed.command.sub}\` is not available in this version yet.` });
  });
}
