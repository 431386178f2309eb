import type { MethodTable } from './common.js';

export const authMethods: MethodTable = {
  'auth.test': ({ state }) => ({
    url: `https://${state.team.domain}.slack.com/`,
    team: state.team.name,
    user: state.user(state.botUserId)?.name ?? 'steward',
    team_id: state.team.id,
    user_id: state.botUserId,
    bot_id: state.botId,
    is_enterprise_install: false,
  }),
};
