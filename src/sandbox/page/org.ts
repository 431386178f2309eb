/**
 * The organisation panel and the clock: JSON for the page, the evidence report and CSV
 * export streamed from the OrgPanelSource, and "+1 day / +1 week" through TimeControl.
 */
import type { ServerResponse } from 'node:http';
import type { OrgPanelJson, TimeJson } from '../web/types.js';
import { PageError } from './http.js';
import type { OrgPanel, OrgPanelSource, TimeAdvance, TimeControl } from './types.js';

export const REPORT_PATH = '/org/evidence-report.html';
export const CSV_PATH = '/org/decisions.csv';
export const MAX_ADVANCE_DAYS = 31;

const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

export function orgPanelJson(p: OrgPanel): OrgPanelJson {
  return {
    organisation: { name: p.organisation.name, stats: p.organisation.stats ?? [] },
    changes: p.changes.map((c) => ({
      at: iso(c.at),
      kind: c.kind,
      summary: c.summary,
      target: { ...c.target },
      status: c.status,
      requestedBy: c.requestedBy,
      request: c.request ?? null,
      detail: c.detail ?? null,
    })),
    audit: {
      rows: p.audit.rows.map((r) => ({
        seq: r.seq,
        at: iso(r.at),
        actor: { ...r.actor },
        action: r.action,
        subject: r.subject ? { ...r.subject } : null,
        outcome: r.outcome,
        reviewItemId: r.reviewItemId,
        hash: r.hash,
      })),
      chain: {
        ok: p.audit.chain.ok,
        rows: p.audit.chain.rows,
        head: p.audit.chain.head,
        problem: p.audit.chain.problem ?? null,
        checkedAt: iso(p.audit.chain.checkedAt),
      },
    },
    links: { evidenceReport: REPORT_PATH, csvExport: CSV_PATH },
  };
}

export function requireOrg(org: OrgPanelSource | undefined): OrgPanelSource {
  if (!org) throw new PageError(404, 'org_not_configured', 'this page was started without an organisation panel');
  return org;
}

/** Streams a report; an error after the first byte can only cut the response short. */
export async function streamReport(
  res: ServerResponse,
  headers: Record<string, string>,
  write: (out: ServerResponse) => Promise<void>,
): Promise<void> {
  res.writeHead(200, { ...headers, 'cache-control': 'no-store' });
  try {
    await write(res);
    res.end();
  } catch (err) {
    res.destroy(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}

export function timeJson(time: TimeControl | undefined, fallbackNow: number): TimeJson {
  return { now: new Date(time ? time.now().getTime() : fallbackNow).toISOString(), controllable: time !== undefined };
}

/** Moves the clock once at a time: a second press while jobs run is refused, not queued. */
export class ClockMover {
  private running = false;

  constructor(private readonly time: TimeControl | undefined) {}

  async advance(daysRaw: unknown): Promise<TimeAdvance> {
    if (!this.time) throw new PageError(404, 'time_not_configured', 'this page was started without a time control');
    if (typeof daysRaw !== 'number' || !Number.isInteger(daysRaw) || daysRaw < 1 || daysRaw > MAX_ADVANCE_DAYS)
      throw new PageError(400, 'invalid_days', `"days" must be a whole number from 1 to ${MAX_ADVANCE_DAYS}`);
    if (this.running)
      throw new PageError(409, 'clock_busy', 'the clock is already moving; wait for the jobs to finish');
    this.running = true;
    try {
      return await this.time.advance(daysRaw);
    } finally {
      this.running = false;
    }
  }
}
