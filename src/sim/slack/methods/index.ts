import { authMethods } from './auth.js';
import { chatMethods } from './chat.js';
import type { MethodTable } from './common.js';
import { conversationMethods } from './conversations.js';
import { fileMethods } from './files.js';
import { historyMethods } from './history.js';
import { userMethods } from './users.js';
import { viewMethods } from './views.js';

/** Every Web API method the sim speaks; any other name answers unknown_method. */
export const METHODS: MethodTable = {
  ...authMethods,
  ...userMethods,
  ...conversationMethods,
  ...historyMethods,
  ...chatMethods,
  ...viewMethods,
  ...fileMethods,
};

export type { MethodContext, MethodHandler, MethodResult, MethodTable } from './common.js';
