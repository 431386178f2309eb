import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerDeps } from './server/deps.js';
import { receiveUpload, serveDownload } from './server/files.js';
import { notFound } from './server/not-found.js';
import { receiveResponseUrlPost } from './server/response-url-route.js';
import { serveWebApi } from './server/web-api.js';

export type { ServerDeps } from './server/deps.js';

/**
 * The HTTP side of the sim: Slack's Web API under /api/<method>, the file upload URLs it
 * hands out, and the response_url endpoints the app posts replies to. Each kind of endpoint
 * has its file under ./server/.
 */
export class SlackSimServer {
  private readonly server: Server;
  /** Requests a `hang` fault left unanswered, ended when the sim closes. */
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`sim error: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    });
    if (deps.upgrade) this.server.on('upgrade', deps.upgrade);
  }

  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${h}:${addr.port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.deps.faults.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const path = url.pathname;
    if (path.startsWith('/api/'))
      return serveWebApi(this.deps, this.hanging, req, res, decodeURIComponent(path.slice('/api/'.length)), url);
    if (path.startsWith('/upload/v1/') && req.method === 'POST') return receiveUpload(this.deps, req, res, path);
    if ((path.startsWith('/commands/') || path.startsWith('/actions/')) && req.method === 'POST')
      return receiveResponseUrlPost(this.deps, req, res, path);
    if (path.startsWith('/files-pri/') && req.method === 'GET') return serveDownload(this.deps, req, res, path);
    notFound(res, 'not found');
  }
}
