/**
 * What the hub does to a raw socket over time: ping it as Slack does (the client drops a
 * connection that stops being pinged), close it if the app lingers after a disconnect frame,
 * and close sockets politely before terminating the ones that outstay a grace period.
 */
import { WebSocket } from 'ws';

/** Pings every `intervalMs` while open; undefined when pings are off (0). The timer never holds the process. */
export function startPinging(ws: WebSocket, intervalMs: number): NodeJS.Timeout | undefined {
  if (intervalMs <= 0) return undefined;
  const t = setInterval(() => {
    if (ws.readyState === WebSocket.OPEN) ws.ping(Buffer.from(`ping-${Date.now()}`));
  }, intervalMs);
  t.unref();
  return t;
}

/** Closes the socket with 1001 (going away) after `afterMs`, if it is still open then. */
export function closeLater(ws: WebSocket, reason: string, afterMs: number): NodeJS.Timeout {
  const t = setTimeout(() => {
    if (ws.readyState === WebSocket.OPEN) ws.close(1001, reason);
  }, afterMs);
  t.unref();
  return t;
}

/** Sends each open socket a close frame (1001) and waits for the handshakes, at most `graceMs`. */
export async function closePolitely(sockets: WebSocket[], reason: string, graceMs: number): Promise<void> {
  const closed = Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) =>
          ws.readyState === WebSocket.CLOSED ? resolve() : ws.once('close', () => resolve()),
        ),
    ),
  );
  for (const ws of sockets) if (ws.readyState === WebSocket.OPEN) ws.close(1001, reason);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
}
