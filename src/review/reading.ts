import type { Evidence } from '../domain/evidence.js';
import type { ReviewDeps } from './deps.js';
import type { ReviewSnapshot } from './snapshot.js';

/**
 * The review as it will be delivered: its evidence with a fresh plain-language reading
 * (a summary, or a triage for an alert). The reading is stored with the evidence when the
 * delivery is recorded, so every later rendering and the audit row show the same words.
 * The explainer bounds its own time, so delivery never waits longer than the policy says.
 */
export async function withReading(deps: Pick<ReviewDeps, 'explainer'>, s: ReviewSnapshot): Promise<ReviewSnapshot> {
  const { reading: _earlier, ...evidence } = s.evidence;
  const shown: Evidence = { ...evidence, reading: await deps.explainer.explain(evidence) };
  return { ...s, evidence: shown, item: { ...s.item, evidenceShown: shown as unknown as Record<string, unknown> } };
}
