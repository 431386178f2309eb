/**
 * The simulator's notion of "now" for everything time-dependent in the data (feed
 * visibility, usage lag, invite expiry, date-window rules). Tests pin or move it;
 * rate limiting deliberately does not use it, because retry-after is wall time.
 */
export type NowSource = () => Date | number;

export class SimClock {
  private fixed: number | undefined;
  private offset = 0;

  constructor(private readonly source: NowSource = () => Date.now()) {}

  now(): number {
    if (this.fixed !== undefined) return this.fixed;
    const v = this.source();
    return (typeof v === 'number' ? v : v.getTime()) + this.offset;
  }

  /** Freezes the clock at `t` until `advance`, another `set`, or `unfreeze`. */
  set(t: Date | string | number): void {
    this.fixed = toMs(t);
  }

  advance(ms: number): void {
    if (this.fixed !== undefined) this.fixed += ms;
    else this.offset += ms;
  }

  unfreeze(): void {
    this.fixed = undefined;
  }
}

export function toMs(t: Date | string | number): number {
  if (typeof t === 'number') return t;
  if (t instanceof Date) return t.getTime();
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new TypeError(`not a timestamp: ${t}`);
  return ms;
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/**
 * RFC 3339 in UTC, whole seconds unless the instant has milliseconds. The
 * whole-second path avoids Date: a 5000-activity page formats 5000 of these.
 */
export function iso(ms: number): string {
  if (ms % 1000 !== 0 || ms < 0) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let secs = (ms - day * DAY_MS) / 1000;
  const h = Math.floor(secs / 3600);
  secs -= h * 3600;
  const m = Math.floor(secs / 60);
  return `${cachedDayPrefix}${PAD2[h]}:${PAD2[m]}:${PAD2[secs - m * 60]}Z`;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function startOfUtcDay(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}
