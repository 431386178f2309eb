import { prng } from './ids.js';

/**
 * Simulated network and server time per request (issue 21: a real Activity Feed page costs a
 * round trip; the docs' wire notes saw 0.9–5.1 s). Not API behaviour, so nothing to cite: it
 * delays the response, never changes it.
 *
 *   startAnthropicSim({ latency: { 'compliance.activities': { fixedMs: 100, jitterMs: 50 } } });
 *   sim.latency.set('*', { fixedMs: 20 });   // every other route
 *   sim.latency.clear();
 */
export interface LatencySpec {
  /** Always added. */
  fixedMs?: number;
  /** Plus a uniform random share of this (seeded, so runs repeat). */
  jitterMs?: number;
}

/** Op name or glob (`compliance.*`, `*`) → latency; the most specific (longest) matching key wins. */
export type LatencyInput = Record<string, LatencySpec>;

export class Latency {
  private rules: { pattern: string; test: RegExp; spec: LatencySpec }[] = [];
  private readonly random: () => number;

  constructor(initial: LatencyInput = {}, seed = 1) {
    this.random = prng(seed ^ 0x1a7e_cc1e);
    for (const [pattern, spec] of Object.entries(initial)) this.set(pattern, spec);
  }

  set(pattern: string, spec: LatencySpec): void {
    for (const [name, v] of Object.entries(spec)) {
      if (v !== undefined && (!Number.isFinite(v) || v < 0))
        throw new RangeError(`latency ${pattern}.${name} must be a non-negative number of milliseconds`);
    }
    this.rules = this.rules.filter((r) => r.pattern !== pattern);
    this.rules.push({ pattern, test: glob(pattern), spec });
    this.rules.sort((a, b) => b.pattern.replaceAll('*', '').length - a.pattern.replaceAll('*', '').length);
  }

  delete(pattern: string): void {
    this.rules = this.rules.filter((r) => r.pattern !== pattern);
  }

  clear(): void {
    this.rules = [];
  }

  /** Milliseconds to hold the response of a request to `op` (unmatched routes use `*` if set). */
  delayFor(op: string | undefined): number {
    const rule = this.rules.find((r) => r.test.test(op ?? ''));
    if (!rule) return 0;
    const { fixedMs = 0, jitterMs = 0 } = rule.spec;
    return fixedMs + (jitterMs > 0 ? this.random() * jitterMs : 0);
  }
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
