/**
 * Slack's Socket Mode, simulated: `apps.connections.open` (app-level token) hands out a
 * one-time WebSocket URL on the sim's own HTTP server, the socket says `hello`, and the
 * driver's deliveries travel as envelopes the app acknowledges with `{ envelope_id,
 * payload }`. Built so the real @slack/socket-mode client (and Bolt's SocketModeReceiver)
 * connects to it unchanged.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { DeliveredRequest, DeliveryOptions, DriverResponse, SocketTransport } from './delivery.js';
import type { MethodTable } from './methods/index.js';
import { secret } from './ids.js';
import {
  ackBody,
  disconnectFrame,
  envelopeFrame,
  helloFrame,
  parseAck,
  type DisconnectReason,
  type EnvelopeType,
} from './socket-frames.js';
import type { WorkspaceState } from './state.js';
import type { JsonObject } from './types.js';

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

/** What the driver needs: deliver one envelope and wait for its ack. */
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

interface Live {
  info: SocketConnection;
  ws: WebSocket;
  timers: NodeJS.Timeout[];
}

interface Pending {
  connection: string;
  resolve: (r: { acked: boolean; ack: Record<string, unknown> | undefined; payload: unknown }) => void;
}

const HOST_PREFIX = 'applink-sim';

export class SocketModeHub implements SocketTransport {
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Tickets handed out by apps.connections.open and not yet used. */
  private readonly tickets = new Set<string>();
  private readonly live = new Map<string, Live>();
  private readonly pending = new Map<string, Pending>();
  private readonly waiters = new Set<() => void>();
  private seq = 0;
  /** Every connection ever opened, oldest first. */
  readonly connections: SocketConnection[] = [];
  /** Every frame on every socket, in order: for asserting on the wire format. */
  readonly frames: SocketFrame[] = [];

  constructor(private readonly opts: SocketModeOptions) {}

  get appToken(): string {
    return this.opts.appToken;
  }

  /** Whether an app connection is open and able to take envelopes. */
  get connected(): boolean {
    return this.target() !== undefined;
  }

  /** The Web API methods called with the app-level token. */
  methods(): MethodTable {
    return { 'apps.connections.open': () => this.openUrl() };
  }

  /** apps.connections.open: a fresh one-time URL. Slack's is wss://wss-primary.slack.com/link/?ticket=…&app_id=…. */
  openUrl(): { url: string } {
    const { state } = this.opts;
    if (!state.baseUrl) throw new Error('sim is not listening yet');
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return { url: `${state.baseUrl.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${state.appId}` };
  }

  /** The HTTP server's 'upgrade' listener: only /link/ with an unspent ticket becomes a socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    if (url.pathname !== '/link/' && url.pathname !== '/link') return refuse(socket, 404, 'Not Found');
    const ticket = url.searchParams.get('ticket');
    // Tickets are single use: a replayed URL is refused, so the app must call apps.connections.open again.
    if (!ticket || !this.tickets.delete(ticket)) return refuse(socket, 401, 'Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) =>
      this.accept(ws, `${this.opts.state.baseUrl.replace(/^http/, 'ws')}${req.url ?? ''}`, url),
    );
  }

  private accept(ws: WebSocket, fullUrl: string, url: URL): void {
    this.seq += 1;
    const id = `conn-${this.seq}`;
    const info: SocketConnection = {
      id,
      url: fullUrl,
      openedAt: Date.now(),
      disconnectReason: undefined,
      open: true,
      closeCode: undefined,
    };
    const conn: Live = { info, ws, timers: [] };
    this.connections.push(info);
    this.live.set(id, conn);
    ws.on('message', (data: RawData, isBinary: boolean) => this.received(conn, data, isBinary));
    ws.on('close', (code: number) => this.closed(conn, code));
    ws.on('error', () => {
      // A reset socket also emits 'close'; that is where the bookkeeping happens.
    });
    const ping = this.opts.pingIntervalMs ?? 10_000;
    if (ping > 0) {
      const t = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.ping(Buffer.from(`ping-${Date.now()}`));
      }, ping);
      t.unref();
      conn.timers.push(t);
    }
    this.sendFrame(
      conn,
      helloFrame({
        appId: this.opts.state.appId,
        numConnections: this.openConnections().length,
        host: `${HOST_PREFIX}-${this.seq}`,
        started: new Date(),
        debugReconnects: url.searchParams.get('debug_reconnects') === 'true',
      }),
    );
    for (const wake of Array.from(this.waiters)) wake();
  }

  private received(conn: Live, data: RawData, isBinary: boolean): void {
    const text = isBinary ? '' : rawText(data);
    let decoded: unknown = text;
    try {
      decoded = JSON.parse(text);
    } catch {
      // Kept as text in the frame log.
    }
    this.frames.push({ at: Date.now(), connection: conn.info.id, direction: 'received', data: decoded });
    const ack = parseAck(text);
    if (!ack) return;
    const waiting = this.pending.get(ack.envelopeId);
    if (!waiting) return; // A late ack (after the driver gave up) or an unknown id: Slack ignores both.
    this.pending.delete(ack.envelopeId);
    waiting.resolve({ acked: true, ack: ack.raw, payload: ack.payload });
  }

  private closed(conn: Live, code: number): void {
    conn.info.open = false;
    conn.info.closeCode = code;
    for (const t of conn.timers) clearTimeout(t);
    this.live.delete(conn.info.id);
    // Envelopes in flight on a dead socket will never be acked there.
    for (const [id, p] of this.pending) {
      if (p.connection !== conn.info.id) continue;
      this.pending.delete(id);
      p.resolve({ acked: false, ack: undefined, payload: undefined });
    }
  }

  private sendFrame(conn: Live, frame: JsonObject): void {
    this.frames.push({ at: Date.now(), connection: conn.info.id, direction: 'sent', data: frame });
    conn.ws.send(JSON.stringify(frame));
  }

  private openConnections(): Live[] {
    return [...this.live.values()].filter((c) => c.ws.readyState === WebSocket.OPEN);
  }

  /** The newest open connection not told to go away: during a refresh the new socket takes over. */
  private target(): Live | undefined {
    const ready = this.openConnections().filter((c) => c.info.disconnectReason === undefined);
    return ready[ready.length - 1];
  }

  /** Resolves once a connection is ready (now, or when the next one says hello). */
  async waitForConnection(opts: { timeoutMs?: number; newerThan?: string } = {}): Promise<SocketConnection> {
    const ok = (): SocketConnection | undefined => {
      const t = this.target();
      if (!t) return undefined;
      if (opts.newerThan !== undefined && seqOf(t.info.id) <= seqOf(opts.newerThan)) return undefined;
      return t.info;
    };
    const now = ok();
    if (now) return now;
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const c = ok();
        if (!c) return;
        cleanup();
        resolve(c);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`socket mode: no app connection within ${opts.timeoutMs ?? 10_000} ms`));
      }, opts.timeoutMs ?? 10_000);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }

  /**
   * Sends one envelope to the app and waits for its ack, answering as the HTTP path does:
   * status 200 and the ack payload as `body` when acked, status 0 when the app never acked
   * (timeout, or its socket closed first). Retry options become retry_attempt/retry_reason.
   */
  async deliver(type: EnvelopeType, payload: JsonObject, opts: DeliveryOptions = {}): Promise<DriverResponse> {
    const conn = this.target();
    if (!conn) {
      throw new Error(
        'socket mode is on but no app connection is open: start the app first (or await sim.socket.waitForConnection())',
      );
    }
    const envelopeId = randomUUID();
    const retryAttempt = opts.retryNum ?? 0;
    const frame = envelopeFrame(type, payload, {
      envelopeId,
      retryAttempt,
      retryReason: opts.retryReason ?? (retryAttempt > 0 ? 'timeout' : ''),
    });
    const request: DeliveredRequest = {
      url: conn.info.url,
      contentType: 'application/json',
      rawBody: JSON.stringify(frame),
      socket: { type, payload, envelopeId, retryAttempt },
    };
    const started = performance.now();
    const outcome = await new Promise<{ acked: boolean; ack: Record<string, unknown> | undefined; payload: unknown }>(
      (resolve) => {
        const timer = setTimeout(() => {
          this.pending.delete(envelopeId);
          resolve({ acked: false, ack: undefined, payload: undefined });
        }, opts.timeoutMs ?? 30_000);
        this.pending.set(envelopeId, {
          connection: conn.info.id,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
        this.sendFrame(conn, frame);
      },
    );
    const elapsedMs = performance.now() - started;
    const body = outcome.acked ? ackBody(outcome.payload) : undefined;
    return {
      status: outcome.acked ? 200 : 0,
      headers: {},
      text: body === undefined ? '' : JSON.stringify(body),
      body,
      elapsedMs,
      late: !outcome.acked || elapsedMs > this.opts.ackDeadlineMs,
      request,
      socket: { envelopeId, connection: conn.info.id, ack: outcome.ack },
    };
  }

  /**
   * Sends `{"type":"disconnect","reason":…}`. SocketModeClient answers any disconnect by
   * closing the socket and, 5 s (its clientPingTimeout) later, calling apps.connections.open
   * again; by default this waits for that new connection.
   */
  async disconnect(
    reason: DisconnectReason = 'refresh_requested',
    opts: DisconnectOptions = {},
  ): Promise<DisconnectResult> {
    const started = performance.now();
    const targets = this.openConnections().filter(
      (c) => opts.connection === undefined || c.info.id === opts.connection,
    );
    const newest = this.connections[this.connections.length - 1]?.id ?? 'conn-0';
    for (const conn of targets) {
      conn.info.disconnectReason = reason;
      this.sendFrame(conn, disconnectFrame(reason, `${HOST_PREFIX}-${seqOf(conn.info.id)}`));
      const t = setTimeout(() => {
        if (conn.ws.readyState === WebSocket.OPEN) conn.ws.close(1001, reason);
      }, opts.closeAfterMs ?? 10_000);
      t.unref();
      conn.timers.push(t);
    }
    const notified = targets.map((c) => c.info.id);
    const awaitReconnect = opts.awaitReconnect ?? (reason === 'refresh_requested' || reason === 'warning');
    if (!awaitReconnect)
      return { notified, reconnected: false, newConnection: undefined, elapsedMs: performance.now() - started };
    try {
      const fresh = await this.waitForConnection({ timeoutMs: opts.timeoutMs ?? 20_000, newerThan: newest });
      return { notified, reconnected: true, newConnection: fresh.id, elapsedMs: performance.now() - started };
    } catch {
      return { notified, reconnected: false, newConnection: undefined, elapsedMs: performance.now() - started };
    }
  }

  /** Drops every socket without a close handshake, as a crashed Slack edge would. */
  terminateAll(): void {
    for (const conn of this.live.values()) conn.ws.terminate();
  }

  /**
   * Closes every socket with a close frame (1001, going away) and waits briefly for the
   * handshake, so an app that already called stop() finishes cleanly instead of logging a
   * reset; whatever lingers past 500 ms is terminated.
   */
  async close(): Promise<void> {
    const open = [...this.live.values()];
    const closed = Promise.all(
      open.map(
        (c) =>
          new Promise<void>((resolve) =>
            c.ws.readyState === WebSocket.CLOSED ? resolve() : c.ws.once('close', () => resolve()),
          ),
      ),
    );
    for (const c of open) if (c.ws.readyState === WebSocket.OPEN) c.ws.close(1001, 'sim closing');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 500)))]);
    clearTimeout(timer);
    this.terminateAll();
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve({ acked: false, ack: undefined, payload: undefined });
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** A fresh app-level token shaped like Slack's: xapp-1-<app id>-<digits>-<64 hex>. */
export function newAppToken(appId: string): string {
  return `xapp-1-${appId}-${Math.floor(Math.random() * 1e13)}-${secret(32)}`;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function seqOf(id: string): number {
  return Number(id.slice('conn-'.length));
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
