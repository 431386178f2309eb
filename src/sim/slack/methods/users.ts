import { invalidArguments, SlackApiError } from '../errors.js';
import { userJson } from '../shapes.js';
import { paginate, type MethodTable } from './common.js';

export const userMethods: MethodTable = {
  'users.info': ({ state, args }) => {
    const id = args.str('user');
    const user = id ? state.user(id) : undefined;
    if (!user) throw new SlackApiError('user_not_found');
    return { user: userJson(user) };
  },

  // Deactivated users are not found by email (Slack: "If the user has been deactivated,
  // users_not_found will be returned"); users.list still lists them.
  'users.lookupByEmail': ({ state, args }) => {
    const email = args.str('email');
    if (!email) throw invalidArguments('missing required field: email');
    const user = state.userByEmail(email);
    if (!user || user.deleted) throw new SlackApiError('users_not_found');
    return { user: userJson(user) };
  },

  'users.list': ({ state, args }) => {
    const all = [...state.users.values()];
    const { page, nextCursor } = paginate(all, args, 'user', (u) => u.id);
    return {
      members: page.map(userJson),
      cache_ts: Math.floor(state.now() / 1000),
      response_metadata: { next_cursor: nextCursor },
    };
  },
};
