/**
 * The sandbox page's HTTP server: the page's static files, a JSON API of the simulated
 * workspace, a server-sent event stream of its changes, and the endpoints through which a
 * visitor acts as someone in the workspace (delivered to Steward by the simulator's driver).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { click, closeView, homeOpened, postMessage, runCommand, submit } from './actions.js';
import { PageError, readJson, sendError, sendJson } from './http.js';
import { LiveFeed } from './live.js';
import { ClockMover, CSV_PATH, orgPanelJson, REPORT_PATH, requireOrg, streamReport, timeJson } from './org.js';
import { conversationStateJson, viewsJson, workspaceJson } from './snapshot.js';
import { checkWebRoot, serveStatic, WEB_ROOT } from './static.js';
import type { SandboxPage, SandboxPageOptions } from './types.js';
import { watchSim } from './watch.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export async function startSandboxPage(opts: SandboxPageOptions): Promise<SandboxPage> {
  checkWebRoot(WEB_ROOT);
  const { sim, org, time } = opts;
  const appName = opts.appName ?? 'Steward';
  const live = new LiveFeed();
  const clock = new ClockMover(time);
  const now = () => (time ? time.now().getTime() : sim.state.now());
  const unsubscribe = [
    watchSim(sim, live, { org: org !== undefined }),
    ...(org?.onChange ? [org.onChange(() => live.orgChanged())] : []),
  ];

  const asOf = (url: URL) => url.searchParams.get('as') ?? undefined;
  const json =
    (fn: (req: IncomingMessage, url: URL) => unknown): Handler =>
    async (req, res, url) =>
      sendJson(res, 200, await fn(req, url));
  /** An action: its result, then a hint that the organisation may have changed. */
  const action =
    (fn: (body: Record<string, unknown>) => unknown): Handler =>
    async (req, res) => {
      const body = await readJson(req);
      try {
        sendJson(res, 200, await fn(body));
      } finally {
        if (org) live.orgChanged();
      }
    };

  const get: Record<string, Handler> = {
    '/api/workspace': json(() =>
      workspaceJson(sim.state, { homeChannel: opts.homeChannel, appName, features: { org: !!org, time: !!time } }),
    ),
    '/api/views': json((_req, url) => {
      const as = asOf(url);
      if (!as) throw new PageError(400, 'invalid_field', '"as" must name the person whose screen to read');
      return viewsJson(sim.state, as, now());
    }),
    '/api/time': json(() => timeJson(time, sim.state.now())),
    '/api/org': json(async () => orgPanelJson(await requireOrg(org).snapshot())),
    '/api/events': async (req, res) => live.attach(req, res),
    [REPORT_PATH]: async (_req, res) => {
      const source = requireOrg(org);
      await streamReport(res, { 'content-type': 'text/html; charset=utf-8' }, (out) => source.writeEvidenceReport(out));
    },
    [CSV_PATH]: async (_req, res) => {
      const source = requireOrg(org);
      await streamReport(
        res,
        {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="steward-decisions.csv"',
        },
        (out) => source.writeCsvExport(out),
      );
    },
  };
  const post: Record<string, Handler> = {
    '/api/command': action((b) => runCommand(sim, b, { commands: ['/steward'] })),
    '/api/message': action((b) => postMessage(sim, b)),
    '/api/click': action((b) => click(sim, b)),
    '/api/submit': action((b) => submit(sim, b)),
    '/api/close': action((b) => closeView(sim, b)),
    '/api/home-opened': action((b) => homeOpened(sim, b)),
    '/api/time/advance': async (req, res) => {
      const body = await readJson(req);
      const moved = await clock.advance(body.days);
      live.publish({ type: 'time', now: moved.now.toISOString() });
      live.orgChanged();
      sendJson(res, 200, { ok: true, now: moved.now.toISOString(), ran: moved.ran });
    },
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    if (req.method === 'GET' && path.startsWith('/api/conversations/')) {
      const id = decodeURIComponent(path.slice('/api/conversations/'.length));
      return sendJson(res, 200, conversationStateJson(sim.state, id, asOf(url), now()));
    }
    const handler = req.method === 'GET' ? get[path] : req.method === 'POST' ? post[path] : undefined;
    if (handler) return handler(req, res, url);
    if (req.method === 'GET' && (await serveStatic(WEB_ROOT, path, res))) return;
    const known = get[path] !== undefined || post[path] !== undefined;
    throw new PageError(known ? 405 : 404, known ? 'method_not_allowed' : 'not_found', `${req.method} ${path}`);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const refused = err instanceof PageError ? err : null;
      if (!refused) opts.onError?.(err, `${req.method} ${req.url}`);
      if (res.headersSent) res.destroy();
      else sendError(res, refused ?? new PageError(500, 'internal', err instanceof Error ? err.message : String(err)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}/`,
    async close() {
      for (const off of unsubscribe) off();
      live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
