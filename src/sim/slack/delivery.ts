/**
 * What a delivery from Slack to the app is, whichever way it travels (HTTP to the Request
 * URL, driver.ts; or an envelope over Socket Mode, socket-mode.ts): the options it is sent
 * with, what was sent, and what the app answered. Its own module so the two transports
 * share these types without importing each other.
 */
import type { EnvelopeType } from './socket-frames.js';
import type { JsonObject } from './types.js';

export interface DeliveryOptions {
  /** Sets `x-slack-retry-num` (Slack's retries count from 1). */
  retryNum?: number;
  /** Sets `x-slack-retry-reason` (http_timeout, http_error, connection_failed…). */
  retryReason?: string;
  /** Signs with this timestamp (seconds) instead of now. */
  timestampSeconds?: number;
  /** Backdates the timestamp by this many seconds (still signed correctly): a replayed request. */
  staleBySeconds?: number;
  /** 'invalid' signs with a wrong MAC, 'missing' sends neither signature nor timestamp. */
  signature?: 'valid' | 'invalid' | 'missing';
  /** Signs with another secret (an attacker's). */
  signingSecret?: string;
  /** Delivers somewhere other than the configured Request URL. */
  url?: string;
  /** Gives up on the app after this long (default 30 s); the result then has status 0. */
  timeoutMs?: number;
  /**
   * 'http' posts to the Request URL even when the sim is in socket mode (the default is the
   * socket then). Signature options only apply to HTTP: a socket is pre-authenticated.
   */
  transport?: 'http' | 'socket';
}

export interface DeliveredRequest {
  url: string;
  contentType: string;
  rawBody: string;
  /** Set when it went over a Socket Mode connection (url is then the socket's, rawBody the envelope). */
  socket?: { type: EnvelopeType; payload: JsonObject; envelopeId: string; retryAttempt: number };
}

export interface DriverResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The response body decoded as JSON when it is JSON, else the text (undefined when empty). */
  body: unknown;
  elapsedMs: number;
  /** Slack waits 3 seconds for an acknowledgement; a later answer is one Slack ignores. */
  late: boolean;
  /** What was sent, for resend() and for inspection. */
  request: DeliveredRequest;
  /** Socket Mode only: the envelope, the connection it went on, and the app's ack frame (undefined if none came). */
  socket?: { envelopeId: string; connection: string; ack: Record<string, unknown> | undefined };
}

/** Delivers an envelope over the app's Socket Mode connection (SocketModeHub implements it). */
export interface SocketTransport {
  deliver(type: EnvelopeType, payload: JsonObject, opts?: DeliveryOptions): Promise<DriverResponse>;
}
