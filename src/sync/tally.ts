import type { SourceName, SourceProgress } from './types.js';

/** Counters for one source run, and the progress report built from them. */
export class Tally {
  readonly counts: Record<string, number> = {};
  private readonly started: number;

  constructor(
    readonly source: SourceName,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.started = clock();
  }

  add(name: string, n = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + n;
  }

  get(name: string): number {
    return this.counts[name] ?? 0;
  }

  elapsedSeconds(): number {
    return (this.clock() - this.started) / 1000;
  }

  /** `rateOf` names the counter the rate is computed from; `fraction` enables an ETA. */
  progress(phase: string, rateOf: string, fraction?: number): SourceProgress {
    const secs = this.elapsedSeconds();
    const p: SourceProgress = { source: this.source, phase, counts: { ...this.counts } };
    if (secs > 0) p.rate = this.get(rateOf) / secs;
    if (fraction !== undefined) {
      p.fraction = Math.max(0, Math.min(1, fraction));
      if (p.fraction > 0 && secs > 0) p.etaSeconds = (secs * (1 - p.fraction)) / p.fraction;
    }
    return p;
  }
}
