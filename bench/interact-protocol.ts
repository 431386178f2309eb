/**
 * What `bench/interact.ts` (the Slack side: simulators and platform driver) asks of the
 * Steward process it starts (`bench/interact-steward.ts`), over Node's IPC channel.
 * Times crossing the boundary are epoch milliseconds with sub-millisecond precision
 * (`performance.timeOrigin + performance.now()`), comparable between the two processes.
 */
import type { DeliverResult } from '../src/review/deliver.js';
import type { OpenResult } from '../src/review/open.js';

export interface StartRequest {
  /** Steward's environment (simulator URLs, tokens, security channel, admins). */
  env: Record<string, string>;
  /** PostgreSQL URL to create a scratch database through; undefined → PGlite in memory. */
  dbUrl: string | undefined;
  logLevel: string;
}

export interface Started {
  port: number;
  driverLabel: string;
  pid: number;
}

export interface PersonRow {
  name: string;
  email: string;
  userId: string;
  slackId: string;
}

export interface FindingRow {
  findingId: string;
  keyId: string;
  keyName: string;
  owner: PersonRow;
  /** The evidence names the owner by email only: Steward maps it to Slack during the run. */
  slackIdUnknown?: boolean;
}

export interface ReviewRow {
  id: string;
  finding_id: string;
  slack_channel: string;
  slack_ts: string;
}

export interface ItemState {
  id: string;
  status: string;
  decision: string | null;
  decided_by: string | null;
  decided_rows: number;
  actions: number;
  action_status: string | null;
  certs: number;
}

export interface Timing {
  start: number;
  end: number;
}

export interface LogCounts {
  lines: number;
  byLevel: Record<string, number>;
  /** The first warn/error lines, for the report. */
  problems: string[];
}

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export interface StewardOps {
  seedPeople(rows: PersonRow[]): Promise<void>;
  seedFindings(rows: FindingRow[]): Promise<void>;
  openAndDeliver(opts: { findingIds?: string[] }): Promise<OpenResult & DeliverResult>;
  /** review.openReviews() alone (owners mapped to Slack, review rows written), for diagnosis. */
  openReviews(opts: { findingIds?: string[] }): Promise<OpenResult>;
  deliverPending(opts: { limit?: number; concurrency?: number }): Promise<DeliverResult>;
  reviewRows(findingIds: string[]): Promise<ReviewRow[]>;
  itemStates(itemIds: string[]): Promise<ItemState[]>;
  /** review.decide() / review.preflight() calls since the last take, by review id (preflight: `preflight:<id>`). */
  takeTimings(): Promise<Record<string, Timing>>;
  /**
   * A bare node:http server in the Steward process that answers every request with an
   * empty 200 at once: the floor of what the driver can measure on this machine now.
   */
  startNullServer(): Promise<string>;
  /** Server-side durations (ms) of the /slack/events requests since the last take. */
  takeServerTimes(): Promise<number[]>;
  /** Delays every review.decide() by this long (0: off), to show the ack does not wait for it. */
  setDecideDelay(ms: number): Promise<void>;
  /** Event-loop delay of the Steward process between start and stop (ms). */
  loopDelay(action: 'start' | 'stop'): Promise<LoopDelay | null>;
  /** A V8 CPU profile of the Steward process, written to `path` on stop. */
  profile(action: 'start' | 'stop', path?: string): Promise<void>;
  advanceClock(ms: number): Promise<void>;
  now(): Promise<number>;
  pendingSummary(): Promise<{ n: number; next: string | null }>;
  deliveryCheck(): Promise<{ open: number; pending: number; audited: number }>;
  logs(): Promise<LogCounts>;
  /** Memory of the Steward process. */
  memory(): Promise<{ rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

export type Request =
  { id: number; op: 'start'; args: [StartRequest] } | { id: number; op: keyof StewardOps; args: unknown[] };
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export const epochNow = (): number => performance.timeOrigin + performance.now();
