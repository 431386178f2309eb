/**
 * The JSON frames of Slack's Socket Mode protocol, shaped as Slack sends them
 * (docs.slack.dev/apis/events-api/using-socket-mode, and envelopes captured from Slack in
 * python-slack-sdk's socket-mode test fixtures): key order and which fields appear follow
 * those captures.
 */
import type { JsonObject } from './types.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** Slack's documented reasons; anything else passes through for fault tests. */
export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled' | (string & {});

/** Seconds until Slack refreshes a connection: a few hours, or 360 with `debug_reconnects=true`. */
export const CONNECTION_TIME_S = 18_060;
export const DEBUG_CONNECTION_TIME_S = 360;

export function helloFrame(opts: {
  appId: string;
  numConnections: number;
  host: string;
  started: Date;
  debugReconnects: boolean;
}): JsonObject {
  return {
    type: 'hello',
    num_connections: opts.numConnections,
    debug_info: {
      host: opts.host,
      // Slack prints "2020-10-11 12:12:12.120" (UTC, no zone).
      started: opts.started.toISOString().replace('T', ' ').replace('Z', ''),
      build_number: 1,
      approximate_connection_time: opts.debugReconnects ? DEBUG_CONNECTION_TIME_S : CONNECTION_TIME_S,
    },
    connection_info: { app_id: opts.appId },
  };
}

export function disconnectFrame(reason: DisconnectReason, host: string): JsonObject {
  return { type: 'disconnect', reason, debug_info: { host } };
}

/**
 * Whether the app may answer with a payload. In Slack's captures slash commands say true,
 * events and shortcuts false; view submissions (response_action) and block suggestions
 * (options) answer with a body, so they say true. Slack's docs show a block_actions
 * envelope with true but a click's ack carries nothing Slack uses; we follow the captures.
 */
export function acceptsResponsePayload(type: EnvelopeType, payload: JsonObject): boolean {
  if (type === 'slash_commands') return true;
  if (type === 'events_api') return false;
  return payload.type === 'view_submission' || payload.type === 'block_suggestion';
}

export interface EnvelopeOptions {
  envelopeId: string;
  /** 0 for a first delivery. */
  retryAttempt: number;
  retryReason: string;
}

/**
 * One envelope. Events always carry retry_attempt/retry_reason (0 and "" the first time);
 * slash commands and interactions carry them only when this is a retry, as Slack does not
 * retry those and its captures leave the fields out.
 */
export function envelopeFrame(type: EnvelopeType, payload: JsonObject, opts: EnvelopeOptions): JsonObject {
  const frame: JsonObject = {
    envelope_id: opts.envelopeId,
    payload,
    type,
    accepts_response_payload: acceptsResponsePayload(type, payload),
  };
  if (type === 'events_api' || opts.retryAttempt > 0) {
    frame.retry_attempt = opts.retryAttempt;
    frame.retry_reason = opts.retryReason;
  }
  return frame;
}

/** An ack is `{ envelope_id, payload? }`; anything else on the socket is not an ack. */
export function parseAck(
  text: string,
): { envelopeId: string; payload: unknown; raw: Record<string, unknown> } | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return undefined;
  const raw = msg as Record<string, unknown>;
  if (typeof raw.envelope_id !== 'string') return undefined;
  return { envelopeId: raw.envelope_id, payload: raw.payload, raw };
}

/**
 * The ack payload as the HTTP path would have seen the response body: SocketModeClient
 * acks a bare `ack()` with `payload: {}`, the same "nothing to say" as an empty HTTP 200,
 * so an empty (or missing) payload becomes undefined. Anything else is kept as sent.
 */
export function ackBody(payload: unknown): unknown {
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload === 'object' && !Array.isArray(payload) && Object.keys(payload).length === 0) return undefined;
  return payload;
}
