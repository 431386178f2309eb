import type { Activity } from '../../anthropic/compliance/schema.js';
import { actorIdentity, type PrincipalType } from './actor.js';
import { activityOrg } from './activity-org.js';
import { isAdministrativeActivity } from './admin-classifier.js';
import { copyField } from './copy-text.js';

/**
 * What one activity adds to the roll-ups, worked out once when its page arrives and
 * kept until the database says whether the activity was new.
 */
export interface Contribution {
  /** The organisation the activity names, '' for none (`activity-org.ts`). */
  org: string;
  /** Time since the epoch in microseconds (the API may send sub-millisecond digits). */
  micros: number;
  /** `created_at` as sent, for PostgreSQL to parse. */
  at: string;
  day: string;
  type: string;
  admin: boolean;
  /** A `*_viewed` activity: content loaded, possibly in the background, so not counted as use. */
  view: boolean;
  principals: Array<[string, PrincipalType]>;
}

/**
 * "`*_viewed` activities … may be recorded when the application loads content in the background"
 * (https://platform.claude.com/docs/en/manage-claude/compliance-activity-feed): kept apart from use.
 */
export const isViewActivity = (type: string): boolean => type.endsWith('_viewed');

/** RFC 3339 → microseconds since the epoch, keeping digits past the millisecond. */
export function toMicros(rfc3339: string): number {
  const ms = Date.parse(rfc3339);
  // Fractional seconds start after "YYYY-MM-DDTHH:MM:SS"; digits past the third are microseconds.
  if (rfc3339.charCodeAt(19) !== 46 /* . */ || !isDigit(rfc3339, 23)) return ms * 1000;
  let extra = 0;
  for (let i = 23; i < 26; i++) extra = extra * 10 + (isDigit(rfc3339, i) ? rfc3339.charCodeAt(i) - 48 : 0);
  return ms * 1000 + extra;
}

const isDigit = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/** The UTC day of a time: the date as written when the offset is `Z`, computed otherwise. */
function utcDay(rfc3339: string, micros: number): string {
  const last = rfc3339.charCodeAt(rfc3339.length - 1);
  if ((last === 90 || last === 122) /* Z z */ && rfc3339.charCodeAt(10) !== 32) return rfc3339.slice(0, 10);
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 10);
}

export function contributionOf(
  a: Activity,
  principals: Contribution['principals'] = actorIdentity(a.actor).principals,
): Contribution {
  const micros = toMicros(a.created_at);
  return {
    org: activityOrg(a),
    micros,
    at: a.created_at,
    day: utcDay(a.created_at, micros),
    type: a.type,
    admin: isAdministrativeActivity(a.type),
    view: isViewActivity(a.type),
    principals,
  };
}

interface Row {
  orgId: string;
  principalId: string;
  day: string;
  type: string;
  events: number;
  admin: number;
  views: number;
  first: number;
  firstAt: string;
  last: number;
  lastAt: string;
  lastType: string;
}

/**
 * Per (organisation, principal, UTC day) totals of the activities newly stored in one batch. The
 * rules make the result independent of how the feed was cut into batches, so an
 * interrupted and resumed sync ends with the same rows as an uninterrupted one:
 * counts add; first/last take the earliest/latest time; on a tie in the last time the
 * greatest type name wins (byte order, `COLLATE "C"` in SQL); the principal type is
 * the least seen. Kept as organisation → principal → day → row, so adding an activity
 * builds no key.
 */
export class RollupAccumulator {
  private readonly orgs = new Map<string, Map<string, Map<string, Row>>>();
  private count = 0;
  /** The last organisation seen and its rows: a feed's activities mostly share one. */
  private lastOrg: string | undefined;
  private lastOrgRows = new Map<string, Map<string, Row>>();
  /** The last day seen: a page's activities mostly share it, and reusing it saves a string each. */
  private lastDay = '';

  add(c: Contribution): void {
    this.addParts(c.org, c.micros, c.at, c.day, c.type, c.admin, c.view, c.principals);
  }

  private rowsOf(org: string): Map<string, Map<string, Row>> {
    if (org === this.lastOrg) return this.lastOrgRows;
    let rows = this.orgs.get(org);
    if (!rows) this.orgs.set(org, (rows = new Map()));
    this.lastOrg = org;
    this.lastOrgRows = rows;
    return rows;
  }

  /** What `add(contributionOf(a, principals))` does, without the contribution object. */
  addActivity(a: Activity, principals: Contribution['principals'], org: string = activityOrg(a)): void {
    if (principals.length === 0) return;
    const at = a.created_at;
    const micros = toMicros(at);
    // Same UTC day as written (offset Z) as the last activity: the same string.
    const z = at.charCodeAt(at.length - 1);
    const sameDay =
      (z === 90 || z === 122) /* Z z */ &&
      at.charCodeAt(10) !== 32 &&
      this.lastDay !== '' &&
      at.startsWith(this.lastDay);
    const day = sameDay ? this.lastDay : (this.lastDay = utcDay(at, micros));
    this.addParts(org, micros, at, day, a.type, isAdministrativeActivity(a.type), isViewActivity(a.type), principals);
  }

  private addParts(
    org: string,
    micros: number,
    at: string,
    day: string,
    type: string,
    admin: boolean,
    view: boolean,
    principals: Contribution['principals'],
  ): void {
    const rows = this.rowsOf(org);
    for (const [id, principalType] of principals) {
      let days = rows.get(id);
      if (!days) rows.set(id, (days = new Map()));
      const r = days.get(day);
      if (!r) {
        this.count += 1;
        days.set(day, {
          orgId: org,
          principalId: id,
          day,
          type: principalType,
          events: 1,
          admin: admin ? 1 : 0,
          views: view ? 1 : 0,
          first: micros,
          firstAt: at,
          last: micros,
          lastAt: at,
          lastType: type,
        });
        continue;
      }
      r.events += 1;
      if (admin) r.admin += 1;
      if (view) r.views += 1;
      if (principalType < r.type) r.type = principalType;
      if (micros < r.first) {
        r.first = micros;
        r.firstAt = at;
      }
      if (micros > r.last || (micros === r.last && type > r.lastType)) {
        r.last = micros;
        r.lastAt = at;
        r.lastType = type;
      }
    }
  }

  /** Adds another accumulator's totals (a page's), by the same rules. */
  merge(other: RollupAccumulator): void {
    for (const [org, otherRows] of other.orgs) this.mergeOrg(org, otherRows);
  }

  private mergeOrg(org: string, otherRows: Map<string, Map<string, Row>>): void {
    const rows = this.rowsOf(org);
    for (const [id, otherDays] of otherRows) {
      let days = rows.get(id);
      if (!days) rows.set(id, (days = new Map()));
      for (const [day, o] of otherDays) {
        const r = days.get(day);
        if (!r) {
          this.count += 1;
          days.set(day, { ...o });
          continue;
        }
        r.events += o.events;
        r.admin += o.admin;
        r.views += o.views;
        if (o.type < r.type) r.type = o.type;
        if (o.first < r.first) {
          r.first = o.first;
          r.firstAt = o.firstAt;
        }
        if (o.last > r.last || (o.last === r.last && o.lastType > r.lastType)) {
          r.last = o.last;
          r.lastAt = o.lastAt;
          r.lastType = o.lastType;
        }
      }
    }
  }

  get size(): number {
    return this.count;
  }

  private *allRows(): Generator<Row> {
    for (const rows of this.orgs.values()) for (const days of rows.values()) yield* days.values();
  }

  /** The rows in COPY's text format: o, p, d, t, e, a, v, f, l, lt. */
  copyText(): string {
    const out: string[] = [];
    for (const r of this.allRows()) {
      out.push(
        `${copyField(r.orgId)}\t${copyField(r.principalId)}\t${r.day}\t${copyField(r.type)}\t${r.events}\t${r.admin}\t${r.views}\t${copyField(r.firstAt)}\t${copyField(r.lastAt)}\t${copyField(r.lastType)}\n`,
      );
    }
    return out.join('');
  }

  /** The rows for `json_to_recordset`. */
  json(): string {
    const out: unknown[] = [];
    for (const r of this.allRows())
      out.push({
        o: r.orgId,
        p: r.principalId,
        d: r.day,
        t: r.type,
        e: r.events,
        a: r.admin,
        v: r.views,
        f: r.firstAt,
        l: r.lastAt,
        lt: r.lastType,
      });
    return JSON.stringify(out);
  }
}
