import { createTask, parse } from 'node-cron';

/**
 * When a cron schedule next fires after `after`, in a time zone, matched exactly as the
 * scheduler matches it (node-cron's own `match`), pure: the instant is passed in. Used
 * for "certify until the campaign's next run". Candidates are the expression's own
 * hours, minutes and seconds on each local day whose date matches; a day's date is
 * checked once at local noon (which every zone has), so a rare schedule (29 February)
 * costs one check per day, not per second. Null when nothing fires within five years.
 */
const SEARCH_DAYS = 5 * 366;

export function nextRunAfter(expression: string, timezone: string, after: Date): Date | null {
  const fields = parse(expression);
  const task = matcher(expression, timezone);
  const dayTask = dayMatcher(expression, timezone);
  const seconds = sorted(fields.second);
  const minutes = sorted(fields.minute);
  const hours = sorted(fields.hour);
  let day: LocalDay = localParts(after, timezone);
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const { year, month, date } = day;
    if (
      fields.month.includes(month) &&
      (!dayTask || dayTask.match(new Date(zonedTime(year, month, date, 12, 0, 0, timezone))))
    ) {
      for (const h of hours)
        for (const m of minutes)
          for (const s of seconds) {
            const at = zonedTime(year, month, date, h, m, s, timezone);
            if (at > after.getTime() && task.match(new Date(at))) return new Date(at);
          }
    }
    const next = new Date(Date.UTC(year, month - 1, date + 1));
    day = { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, date: next.getUTCDate() };
  }
  return null;
}

/** A matcher for the expression's date fields alone (day of month, month, weekday) at noon. */
function dayMatcher(expression: string, timezone: string) {
  const f = expression.trim().split(/\s+/);
  if (f.length !== 5 && f.length !== 6) return null; // a nickname (@daily …): few candidates a day anyway
  const [dom, month, weekday] = f.slice(-3);
  return matcher(`0 0 12 ${dom} ${month} ${weekday}`, timezone);
}

// node-cron registers every task it creates; these are never started and are kept, one
// per expression and zone (the policy names a handful), rather than made per call.
const matchers = new Map<string, { match(at: Date): boolean }>();
function matcher(expression: string, timezone: string): { match(at: Date): boolean } {
  const key = `${timezone} ${expression}`;
  let m = matchers.get(key);
  if (!m) {
    m = createTask(expression, () => undefined, { timezone, name: 'steward:next-run' });
    matchers.set(key, m);
  }
  return m;
}

const sorted = (v: number[]) => [...v].sort((a, b) => a - b);

interface LocalDay {
  year: number;
  month: number;
  date: number;
}

function localParts(at: Date, timezone: string): LocalDay & { hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return {
    year: n('year'),
    month: n('month'),
    date: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
  };
}

/** The instant a local wall-clock time names in a time zone (the later offset in a gap). */
export function zonedTime(
  year: number,
  month: number,
  date: number,
  hour: number,
  minute: number,
  second: number,
  timezone: string,
): number {
  const wall = Date.UTC(year, month - 1, date, hour, minute, second);
  const offsetAt = (t: number) => {
    const p = localParts(new Date(t), timezone);
    return Date.UTC(p.year, p.month - 1, p.date, p.hour, p.minute, p.second) - t;
  };
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(at: Date, timezone: string): string {
  const p = localParts(at, timezone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.date).padStart(2, '0')}`;
}
