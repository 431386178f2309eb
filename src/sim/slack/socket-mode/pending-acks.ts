/**
 * Envelopes sent and not yet acknowledged. Each waits for the app's `{ envelope_id, payload }`
 * ack; it ends unacked when its time runs out, when the socket it went on closes (an envelope
 * on a dead socket is never acked there), or when the hub closes.
 */

export interface AckOutcome {
  acked: boolean;
  ack: Record<string, unknown> | undefined;
  payload: unknown;
}

interface Pending {
  connection: string;
  resolve: (r: AckOutcome) => void;
}

function unacked(): AckOutcome {
  return { acked: false, ack: undefined, payload: undefined };
}

export class PendingAcks {
  private readonly pending = new Map<string, Pending>();

  /** Registers the envelope, then sends it; resolves with its ack, or unacked after `timeoutMs`. */
  wait(envelopeId: string, connection: string, timeoutMs: number, send: () => void): Promise<AckOutcome> {
    return new Promise<AckOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        resolve(unacked());
      }, timeoutMs);
      this.pending.set(envelopeId, {
        connection,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
      send();
    });
  }

  /** The app acked `envelopeId`. A late ack (after the wait gave up) or an unknown id is ignored, as Slack ignores both. */
  acked(envelopeId: string, ack: Record<string, unknown>, payload: unknown): void {
    const waiting = this.pending.get(envelopeId);
    if (!waiting) return;
    this.pending.delete(envelopeId);
    waiting.resolve({ acked: true, ack, payload });
  }

  /** Ends, unacked, every envelope in flight on `connection` (or on every connection). */
  abandon(connection?: string): void {
    for (const [id, p] of this.pending) {
      if (connection !== undefined && p.connection !== connection) continue;
      this.pending.delete(id);
      p.resolve(unacked());
    }
  }
}
