/** What the sim's HTTP server is built over: the workspace, its call log, faults, limits and tokens. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CallLog } from '../calls.js';
import type { Faults } from '../faults.js';
import type { MethodTable } from '../methods/index.js';
import type { RateLimiter } from '../rate-limit.js';
import type { WorkspaceState } from '../state.js';

export interface ServerDeps {
  state: WorkspaceState;
  calls: CallLog;
  faults: Faults;
  limiter: RateLimiter;
  /** Tokens accepted as the app's bot token. */
  tokens: () => readonly string[];
  /** Methods called with the app-level token (xapp-…) instead, e.g. apps.connections.open. */
  appLevel?: { tokens: () => readonly string[]; methods: MethodTable };
  /** WebSocket upgrades (Socket Mode's /link/). */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** An endpoint outside the Web API, given the request's path (the URL it was handed out as). */
export type PathHandler = (
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) => Promise<void> | void;
