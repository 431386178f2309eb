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
import {
  disconnectFrame,
  envelopeFrame,
  helloFrame,
  parseAck,
  type DisconnectReason,
  type EnvelopeType,
} from './socket-frames.js';
import { ConnectionWaiters } from './socket-mode/connection-waiters.js';
import { envelopeResponse } from './socket-mode/envelope-response.js';
import { PendingAcks } from './socket-mode/pending-acks.js';
import { closeLater, closePolitely, startPinging } from './socket-mode/socket-timers.js';
import type {
  DisconnectOptions,
  DisconnectResult,
  SocketConnection,
  SocketFrame,
  SocketModeOptions,
} from './socket-mode/types.js';
import { HOST_PREFIX, rawText, refuse, seqOf } from './socket-mode/wire.js';
import type { JsonObject } from './types.js';

export type * from './socket-mode/types.js';
export { newAppToken } from './socket-mode/wire.js';

interface Live {
  info: SocketConnection;
  ws: WebSocket;
  timers: NodeJS.Timeout[];
}

export class SocketModeHub implements SocketTransport {
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Tickets handed out by apps.connections.open and not yet used. */
  private readonly tickets = new Set<string>();
  private readonly live = new Map<string, Live>();
  private readonly pending = new PendingAcks();
  private readonly waiters = new ConnectionWaiters();
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
    const pinger = startPinging(ws, this.opts.pingIntervalMs ?? 10_000);
    if (pinger) conn.timers.push(pinger);
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
    this.waiters.wakeAll();
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
    this.pending.acked(ack.envelopeId, ack.raw, ack.payload);
  }

  private closed(conn: Live, code: number): void {
    conn.info.open = false;
    conn.info.closeCode = code;
    for (const t of conn.timers) clearTimeout(t);
    this.live.delete(conn.info.id);
    // Envelopes in flight on a dead socket will never be acked there.
    this.pending.abandon(conn.info.id);
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
    const timeoutMs = opts.timeoutMs ?? 10_000;
    return this.waiters.waitFor(ok, timeoutMs, `socket mode: no app connection within ${timeoutMs} ms`);
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
    const outcome = await this.pending.wait(envelopeId, conn.info.id, opts.timeoutMs ?? 30_000, () =>
      this.sendFrame(conn, frame),
    );
    return envelopeResponse(outcome, {
      request,
      envelopeId,
      connection: conn.info.id,
      elapsedMs: performance.now() - started,
      ackDeadlineMs: this.opts.ackDeadlineMs,
    });
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
      conn.timers.push(closeLater(conn.ws, reason, opts.closeAfterMs ?? 10_000));
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
    await closePolitely(
      [...this.live.values()].map((c) => c.ws),
      'sim closing',
      500,
    );
    this.terminateAll();
    this.pending.abandon();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
