import { invalidArguments, SlackApiError } from '../errors.js';
import { userJson } from '../shapes.js';
import { paginate, type MethodTable } from './common.js';

/** The largest page users.list returns. */
export const USERS_LIST_MAX_LIMIT = 1000;

export const userMethods: MethodTable = {
  // A deactivated user is still answered, with `deleted: true`: the page lists no error for
  // it, and users.list "includes both invited users and deleted/deactivated users"
  // (https://docs.slack.dev/reference/methods/users.info, .../users.list).
  'users.info': ({ state, args }) => {
    const id = args.str('user');
    const user = id ? state.user(id) : undefined;
    if (!user) throw new SlackApiError('user_not_found');
    return { user: userJson(user) };
  },

  // "If the user has been deactivated, users_not_found will be returned instead of a user
  // object" (https://docs.slack.dev/reference/methods/users.lookupByEmail).
  'users.lookupByEmail': ({ state, args }) => {
    const email = args.str('email');
    if (!email) throw invalidArguments('missing required field: email');
    const user = state.userByEmail(email);
    if (!user || user.deleted) throw new SlackApiError('users_not_found');
    return { user: userJson(user) };
  },

  // Every user, bots, Slackbot and deactivated users included; no `limit` returns them all,
  // a `limit` pages with cursors, at most 1000 a page (https://docs.slack.dev/reference/methods/users.list,
  // "Pagination"; https://docs.slack.dev/apis/web-api/pagination).
  'users.list': ({ state, args }) => {
    const { page, nextCursor } = paginate(state.listUsers(), args, 'user', (u) => u.id, {
      maxLimit: USERS_LIST_MAX_LIMIT,
    });
    return {
      members: page.map(userJson),
      cache_ts: Math.floor(state.now() / 1000),
      response_metadata: { next_cursor: nextCursor },
    };
  },
};
