import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Activity } from '../../anthropic/compliance/schema.js';
import { copyFromBlob, copyFromStdin } from '../../db/client.js';
import type { Tx } from '../../db/types.js';
import { actorIdentity } from './actor.js';
import { activityOrg } from './activity-org.js';
import { arrayElementTexts, COPY_NULL, copyField } from './copy-text.js';
import type { RollupAccumulator } from './rollup.js';
import { jsonbSafe } from './write.js';

/**
 * The catch-up's fast path on PostgreSQL (issue 21): a batch's pages streamed into
 * `activity_events` through one `COPY … FROM STDIN`, so the database does per activity
 * what the plain COPY of bench/ingest's baseline does (an `INSERT … SELECT` from the
 * page's JSON cost it ~35% more CPU). Like the plain INSERT it replaces, a batch holding
 * an activity already stored fails whole and is read again and stored carefully
 * (`range-reader.ts`). PGlite has no COPY stream: there each page is one
 * `COPY … FROM '/dev/blob'`.
 */

/** A page as COPY rows. Its roll-ups went into its batch's totals (all-or-nothing: the batch is new or redone). */
export interface CopyPage {
  /** The rows in COPY's text format, UTF-8, outside the JavaScript heap. */
  bytes: Buffer;
  /** Activities on the page. */
  count: number;
  /** Rows written: the page's distinct activities (a repeat within the page is stored once, the first). */
  rows: number;
  /** The buffer `bytes` lies in, handed back to its pool once written. */
  backing: Buffer;
}

/**
 * Buffers for COPY pages, used again once a page is written: a page's rows are some
 * megabytes, and allocating them anew for every page made the garbage collector run for
 * the external memory alone.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly keep = 3) {}

  take(size: number): Buffer {
    const i = this.free.findIndex((b) => b.length >= size);
    return i === -1 ? Buffer.allocUnsafe(size) : this.free.splice(i, 1)[0]!;
  }

  give(buffer: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
  }
}

const hasEscapes = (text: string): boolean =>
  text.includes('\\') || text.includes('\n') || text.includes('\r') || text.includes('\t');

/**
 * The page's rows, written into one buffer: no string of the whole page is kept (it would
 * be garbage the collector has to trace while the page waits). What
 * each distinct activity adds to the roll-ups goes into `rollups`.
 */
export function prepareCopyPage(
  activities: readonly Activity[],
  body: string | undefined,
  ingestedAt: string,
  rollups: RollupAccumulator,
  pool: BufferPool = new BufferPool(0),
): CopyPage {
  const safe = body === undefined ? undefined : jsonbSafe(body);
  let raws = safe === undefined ? undefined : arrayElementTexts(safe, 'data');
  if (raws?.length !== activities.length) raws = activities.map((a) => jsonbSafe(JSON.stringify(a)));
  // No backslash, newline, CR or tab anywhere in the body: no value of it needs escaping
  // (inside JSON strings they could only appear escaped, with a backslash).
  const plain = safe !== undefined && !hasEscapes(safe);
  const field = plain ? (v: string) => v : copyField;
  const size = Buffer.byteLength(safe ?? '');
  // Plain ASCII (no escapes, so no value decodes to anything else): each character is one
  // byte, written as Latin-1 without UTF-8 encoding's work.
  const encoding = plain && size === safe.length ? 'latin1' : 'utf8';
  const seen = new Set<string>();
  const tail = `\t${ingestedAt}\n`;
  let bytes = pool.take(size + activities.length * 256 + 1024);
  let at = 0;
  const put = (text: string) => {
    // Room for the worst case (three UTF-8 bytes a UTF-16 unit) or a bigger buffer.
    if (at + text.length * 3 > bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(bytes.length * 2, at + text.length * 3));
      bytes.copy(bigger, 0, 0, at);
      bytes = bigger;
    }
    at += bytes.write(text, at, encoding);
  };
  let rows = 0;
  // Rows are joined into chunks of some 64 KB before each write: one call into the buffer
  // per field cost more than the copying it saves.
  let chunk = '';
  for (let i = 0; i < activities.length; i++) {
    const a = activities[i]!;
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    rows += 1;
    const who = actorIdentity(a.actor);
    // Worked out once for the row and its roll-ups.
    const org = activityOrg(a);
    rollups.addActivity(a, who.principals, org);
    const actorId = who.actorId === null ? COPY_NULL : field(who.actorId);
    chunk +=
      field(a.id) +
      '\t' +
      field(a.created_at) +
      '\t' +
      field(a.type) +
      '\t' +
      field(who.actorType) +
      '\t' +
      actorId +
      '\t' +
      field(org) +
      '\t' +
      field(raws[i]!) +
      tail;
    if (chunk.length >= 65_536) {
      put(chunk);
      chunk = '';
    }
  }
  put(chunk);
  return { bytes: bytes.subarray(0, at), count: activities.length, rows, backing: bytes };
}

/** The COPY of a batch failed in a way the driver did not report (see `CopyBatchWriter.finish`). */
export class CopyRefused extends Error {
  constructor(cause: unknown) {
    super('PostgreSQL refused the COPY of a batch of activities', { cause });
    this.name = 'CopyRefused';
  }
}

const COPY = 'copy activity_events (id, created_at, type, actor_type, actor_id, org_id, raw, ingested_at)';

/** Streams one batch's pages into one COPY on the batch's transaction. */
export class CopyBatchWriter {
  private failure: unknown;
  private lastWrite: Promise<void> = Promise.resolve();

  private constructor(
    private readonly tx: Tx,
    private readonly target: string,
    /** postgres.js: the COPY's stream; PGlite: none, a COPY per page. */
    private readonly stream: Writable | undefined,
  ) {
    stream?.on('error', (err) => (this.failure ??= err));
  }

  /** `target`: `copy <table> (<columns>)`; activity_events by default. */
  static async open(tx: Tx, target = COPY): Promise<CopyBatchWriter> {
    const stream = copyFromStdin(tx, `${target} from stdin`);
    return new CopyBatchWriter(tx, target, stream ? await stream : undefined);
  }

  /**
   * Sends a page once the one before it has been handed to the connection, so at most
   * two pages wait in this process while PostgreSQL reads.
   */
  async write(page: CopyPage, pool?: BufferPool): Promise<number> {
    if (!this.stream) {
      // The blob is a copy: the buffer is free as soon as it is made.
      const done = copyFromBlob(this.tx, `${this.target} from '/dev/blob'`, page.bytes);
      pool?.give(page.backing);
      await done;
      return page.rows;
    }
    await this.lastWrite;
    this.check();
    const stream = this.stream;
    const idle = stream.writableLength === 0;
    this.lastWrite = new Promise<void>((resolve) => stream.write(page.bytes, () => resolve()));
    // The stream was idle, so the connection copied the page into its message at once
    // (postgres.js frames each chunk anew): the buffer is free.
    if (idle) pool?.give(page.backing);
    return page.rows;
  }

  /**
   * Ends the COPY and makes sure it was stored. postgres.js 3.4 never settles the stream
   * when the server refuses rows it already received whole (porsager/postgres#1173): a
   * statement queued behind the COPY finds the transaction failed instead, and the
   * batch is redone carefully, which reports a failure that persists as it is.
   */
  async finish(): Promise<void> {
    if (!this.stream) return;
    await this.lastWrite;
    this.check();
    // Nothing is buffered now, so the stream hands its end to the connection at once,
    // before the statement below is queued.
    this.stream.end();
    try {
      await this.tx.execute(sql`select 1`);
    } catch (err) {
      throw this.failure ?? new CopyRefused(err);
    }
    this.check();
  }

  /**
   * Stops a COPY the batch cannot finish (its next page failed to arrive): the server is
   * told (CopyFail), so the connection leaves COPY and the transaction can roll back.
   */
  abort(reason: unknown): void {
    if (!this.stream || this.stream.writableEnded || this.stream.destroyed) return;
    this.stream.destroy(reason instanceof Error ? reason : new Error(String(reason)));
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
