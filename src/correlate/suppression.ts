import type { FindingKind } from '../domain/findings.js';
import type { Exemption } from './types.js';
import type { Subject } from '../domain/findings.js';

export interface Certification {
  validUntil: Date;
  reason: string;
}

/** What can suppress a finding: exemptions (table and policy file) and valid "Keep" certifications. */
export interface SuppressionRules {
  exemptions: Exemption[];
  /** By fingerprint: the certification that lasts longest. */
  certifications: Map<string, Certification>;
}

export interface Suppression {
  fingerprint: string;
  kind: FindingKind;
  subject: Subject;
  by: 'exemption' | 'certification';
  until: string;
  reason: string;
}

/**
 * Why a finding must not be reviewed now, if it must not: an exemption for its subject
 * (for its kind, or for every kind) that has not expired, or a certification of its
 * fingerprint still valid. The one that lasts longest is reported.
 */
export function suppressionOf(
  f: { fingerprint: string; kind: FindingKind; subject: Subject },
  rules: SuppressionRules,
  now: Date,
): Suppression | null {
  let best: Suppression | null = null;
  for (const e of rules.exemptions) {
    if (e.subject.type !== f.subject.type || e.subject.id !== f.subject.id) continue;
    if (e.kind !== null && e.kind !== f.kind) continue;
    if (e.expiresAt <= now) continue;
    if (!best || e.expiresAt.toISOString() > best.until) {
      best = {
        fingerprint: f.fingerprint,
        kind: f.kind,
        subject: f.subject,
        by: 'exemption',
        until: e.expiresAt.toISOString(),
        reason: e.reason,
      };
    }
  }
  const cert = rules.certifications.get(f.fingerprint);
  if (cert && cert.validUntil > now && (!best || cert.validUntil.toISOString() > best.until)) {
    best = {
      fingerprint: f.fingerprint,
      kind: f.kind,
      subject: f.subject,
      by: 'certification',
      until: cert.validUntil.toISOString(),
      reason: cert.reason,
    };
  }
  return best;
}
