/** What the Socket Mode hub is started with, and what it reports about its connections. */
import type { DisconnectReason } from '../socket-frames.js';
import type { WorkspaceState } from '../state.js';

export interface SocketModeOptions {
  state: WorkspaceState;
  /** The app-level token apps.connections.open accepts (xapp-…). */
  appToken: string;
  /** Slack's acknowledgement deadline (3 s); a later ack makes the result `late`. */
  ackDeadlineMs: number;
  /**
   * How often the sim pings each socket, as Slack does (the client drops a connection that
   * stops being pinged for 30 s once pings have started). 0 turns pings off.
   */
  pingIntervalMs?: number;
}

export interface SocketConnection {
  /** "conn-1", "conn-2"… in the order the sockets opened. */
  id: string;
  /** The URL the app connected to (its ticket is spent). */
  url: string;
  openedAt: number;
  /** Set once the sim has told the connection to go away: it gets no new envelopes. */
  disconnectReason: DisconnectReason | undefined;
  open: boolean;
  /** The close code once closed (1000 when the app closed politely). */
  closeCode: number | undefined;
}

export interface SocketFrame {
  at: number;
  connection: string;
  direction: 'sent' | 'received';
  /** Decoded JSON (or the raw text when it was not JSON). */
  data: unknown;
}

/** How SocketModeHub.disconnect() tells the app to go away, and what it waits for. */
export interface DisconnectOptions {
  /** Only this connection (default: every open one). */
  connection?: string;
  /**
   * Wait until the app has opened a fresh connection (called apps.connections.open again
   * and heard `hello`). Default true for refresh_requested and warning.
   */
  awaitReconnect?: boolean;
  /**
   * Slack closes the socket itself if the app lingers; this is how long the sim lets it
   * (default 10 s, Slack's warning lead time).
   */
  closeAfterMs?: number;
  /** Gives up waiting for the reconnect after this long (default 20 s: SocketModeClient waits 5 s before it retries). */
  timeoutMs?: number;
}

export interface DisconnectResult {
  /** Connections the frame went to. */
  notified: string[];
  reconnected: boolean;
  /** The connection the app opened afterwards, when it did. */
  newConnection: string | undefined;
  elapsedMs: number;
}
