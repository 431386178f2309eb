/**
 * CPU seconds spent by processes on this machine, from /proc (Linux): what a benchmark
 * needs to tell whether PostgreSQL, Steward or the simulator was the one busy.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** utime + stime of one process, in seconds; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds of every running process with this command name (e.g. all PostgreSQL backends and workers). */
export function commandCpuSeconds(command: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name === command) out.set(Number(entry), processCpuSeconds(Number(entry)));
    } catch {
      // Exited while listed.
    }
  }
  return out;
}

/** CPU seconds the processes named `command` spent between two snapshots (processes that exited in between are not counted). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, secs] of after) total += secs - (before.get(pid) ?? 0);
  return total;
}

/** CPU seconds of the whole machine (all processes, all cores), from /proc/stat. */
export function machineBusySeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/**
 * Samples the CPU time of every process named `command` (and of given pids) every
 * `everyMs`, so processes that start and exit during a measurement (a connection's
 * backend) are counted too — up to their last sample.
 */
export function sampleCpu(
  command: string,
  pids: number[] = [],
  everyMs = 200,
): { stop(): { command: number; pids: number } } {
  const first = commandCpuSeconds(command);
  const last = new Map(first);
  const pidFirst = new Map(pids.map((p) => [p, processCpuSeconds(p)]));
  const pidLast = new Map(pidFirst);
  const take = () => {
    for (const [pid, secs] of commandCpuSeconds(command)) last.set(pid, secs);
    for (const pid of pids) {
      const secs = processCpuSeconds(pid);
      if (secs > 0) pidLast.set(pid, secs);
    }
  };
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return { command: cpuSince(first, last), pids: cpuSince(pidFirst, pidLast) };
    },
  };
}
