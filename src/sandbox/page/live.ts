/**
 * Server-sent events to every open page (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * each workspace change, each organisation change and each move of the clock is pushed as
 * one `data:` line of JSON, and the page re-reads what changed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveEventJson } from '../web/types.js';

const HEARTBEAT_MS = 15_000;
const ORG_DEBOUNCE_MS = 200;

export class LiveFeed {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;
  private orgTimer: NodeJS.Timeout | undefined;

  constructor() {
    // A comment line now and then keeps proxies and idle timeouts from closing the stream.
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // The browser reconnects after this many ms if the stream drops.
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  get size(): number {
    return this.clients.size;
  }

  publish(event: LiveEventJson): void {
    this.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** The organisation panel may have changed: tell pages once for a burst of changes. */
  orgChanged(): void {
    if (this.orgTimer) return;
    this.orgTimer = setTimeout(() => {
      this.orgTimer = undefined;
      this.publish({ type: 'org' });
    }, ORG_DEBOUNCE_MS);
    this.orgTimer.unref();
  }

  private write(chunk: string): void {
    for (const res of this.clients) {
      if (!res.writableEnded) res.write(chunk);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    if (this.orgTimer) clearTimeout(this.orgTimer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
