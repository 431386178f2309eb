/**
 * An envelope's outcome told the way the HTTP path tells a delivery (DriverResponse): status
 * 200 with the ack's payload as `body` when the app acked, status 0 when it never did; `late`
 * past Slack's 3-second acknowledgement deadline.
 */
import type { DeliveredRequest, DriverResponse } from '../delivery.js';
import { ackBody } from '../socket-frames.js';
import type { AckOutcome } from './pending-acks.js';

export function envelopeResponse(
  outcome: AckOutcome,
  sent: { request: DeliveredRequest; envelopeId: string; connection: string; elapsedMs: number; ackDeadlineMs: number },
): DriverResponse {
  const body = outcome.acked ? ackBody(outcome.payload) : undefined;
  return {
    status: outcome.acked ? 200 : 0,
    headers: {},
    text: body === undefined ? '' : JSON.stringify(body),
    body,
    elapsedMs: sent.elapsedMs,
    late: !outcome.acked || sent.elapsedMs > sent.ackDeadlineMs,
    request: sent.request,
    socket: { envelopeId: sent.envelopeId, connection: sent.connection, ack: outcome.ack },
  };
}
