import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * bench/sim-server.ts takes the simulator's latency setting as flags (issue 13 item 11):
 * what it was given is echoed on its ready line, the feed answers through it, and a
 * flag that is not a non-negative number stops it with the flag's name. The delay
 * itself is not timed here (tests assert no wall-clock duration); src/sim/anthropic/latency.test.ts
 * covers what the setting does.
 */
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
});

function start(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sim-server.ts', '--activities', '20', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const firstLine = new Promise<string | null>((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => resolve(null));
  });
  return { child, exited, firstLine, stderr: () => stderr };
}

describe('bench/sim-server latency flags', () => {
  it('serves the feed with the latency it was given and says so on its ready line', async () => {
    const s = start(['--latency-ms', '15', '--jitter-ms', '5', '--latency-op', 'compliance.activities']);
    const line = await s.firstLine;
    expect(line, s.stderr()).not.toBeNull();
    const info = JSON.parse(line!) as { url: string; complianceKey: string; latencyMs: number; jitterMs: number };
    expect(info).toMatchObject({ latencyMs: 15, jitterMs: 5 });
    const res = await fetch(`${info.url}/v1/compliance/activities?limit=5`, {
      headers: { 'x-api-key': info.complianceKey },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: unknown[] };
    expect(body.data).toHaveLength(5);
  });

  it.each([
    ['--latency-ms', '-3'],
    ['--jitter-ms', 'soon'],
  ])('refuses %s %s, naming the flag', async (flag, value) => {
    const s = start([`${flag}=${value}`]);
    expect(await s.exited).toBe(2);
    expect(s.stderr()).toContain(`${flag} must be a non-negative number of milliseconds, got '${value}'`);
  });
});
