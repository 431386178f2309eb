/**
 * Slack message timestamps ("seconds.micro") as exact integers of microseconds, so they
 * compare without floating-point error. `oldest` / `latest` arguments may be whole seconds
 * ("1512085950") or full timestamps ("1512085950.000216").
 */

const TS = /^(\d+)(?:\.(\d{1,6})\d*)?$/;

/** Microseconds since the epoch, or undefined when the text is not a timestamp. */
export function tsMicros(ts: string): bigint | undefined {
  const m = TS.exec(ts.trim());
  if (!m) return undefined;
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/** The "seconds.micro" form of a microsecond count. */
export function microsTs(micros: bigint): string {
  const sec = micros / 1_000_000n;
  const micro = micros % 1_000_000n;
  return `${sec}.${String(micro).padStart(6, '0')}`;
}
