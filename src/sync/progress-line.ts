import type { SourceReport } from './service.js';
import type { SourceProgress } from './types.js';

/**
 * One line per progress report or finished source, for operators watching
 * `steward sync`: counts, rate, and during a catch-up the share of the time span done
 * and an ETA.
 */
const n = (v: number) => Math.round(v).toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function counts(c: Readonly<Record<string, number>>): string {
  const parts = Object.entries(c)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${n(v)}`);
  return parts.length ? parts.join(', ') : 'nothing yet';
}

export function progressLine(p: SourceProgress): string {
  const bits = [`${p.source.padEnd(10)} ${p.phase.padEnd(12)} ${counts(p.counts)}`];
  if (p.rate !== undefined && p.rate > 0) bits.push(`${n(p.rate)}/s`);
  if (p.fraction !== undefined) bits.push(`${Math.floor(p.fraction * 100)}% of span`);
  if (p.etaSeconds !== undefined && p.fraction !== undefined && p.fraction < 1)
    bits.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return bits.join(' · ');
}

export function resultLine(r: SourceReport): string {
  // With several organisations, each line says whose (issue 17).
  if (r.org) return `${sourceLine(r)} [${r.org.name}]`;
  return sourceLine(r);
}

function sourceLine(r: SourceReport): string {
  const secs = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
  const took = Number.isFinite(secs) && secs > 0 ? ` in ${formatDuration(secs)}` : '';
  switch (r.status) {
    case 'succeeded':
      return `✓ ${r.source.padEnd(10)} ${counts(r.counts)}${took}${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`;
    case 'not_available':
      return `– ${r.source.padEnd(10)} not available: ${r.notes.join('; ')}`;
    case 'failed':
      return `✗ ${r.source.padEnd(10)} FAILED: ${r.error?.message ?? 'unknown error'}${r.error?.retry ? ' (temporary; the next sync resumes where this stopped)' : ''}; ${counts(r.counts)} stored before that`;
  }
}
