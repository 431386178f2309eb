/**
 * A process that only sends: `bench/interact.ts` hands it signed Slack requests (built
 * by the simulator's driver) and it posts them all at once to Steward and times each
 * answer. Its event loop has nothing else to do, unlike the driver's, which also serves
 * the Web API calls Steward makes right after each ack. Not run directly.
 */
import { epochNow } from './interact-protocol.js';

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface SendResult {
  status: number;
  elapsedMs: number;
  /** When the answer was read (epoch ms). */
  receivedAt: number;
}

async function send(r: SendRequest): Promise<SendResult> {
  const started = performance.now();
  try {
    const res = await fetch(r.url, {
      method: 'POST',
      headers: r.headers,
      body: r.body,
      signal: AbortSignal.timeout(30_000),
    });
    await res.text();
    return { status: res.status, elapsedMs: performance.now() - started, receivedAt: epochNow() };
  } catch {
    return { status: 0, elapsedMs: performance.now() - started, receivedAt: epochNow() };
  }
}

process.on('message', (m: { id: number; requests: SendRequest[] }) => {
  void Promise.all(m.requests.map(send)).then((results) => process.send!({ id: m.id, results }));
});
process.on('disconnect', () => process.exit(0));
