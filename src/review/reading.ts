import type { Evidence } from '../domain/evidence.js';
import type { ReviewDeps } from './deps.js';
import type { ReviewSnapshot } from './snapshot.js';

/**
 * The review as it will be delivered: its evidence with a fresh plain-language reading
 * (a summary, or a triage for an alert). The reading is stored with the evidence when the
 * delivery is recorded, so every later rendering and the audit row show the same words.
 * The explainer bounds its own time, so delivery never waits longer than the policy says.
 */
export async function withReading(
  deps: Pick<ReviewDeps, 'explainer' | 'logger'>,
  s: ReviewSnapshot,
): Promise<ReviewSnapshot> {
  const { reading: _earlier, ...evidence } = s.evidence;
  let reading: Evidence['reading'] = null;
  try {
    reading = await deps.explainer.explain(evidence);
  } catch (err) {
    // A reading is a help, never a condition: the review goes out without one.
    deps.logger.warn({ err, reviewItemId: s.item.id }, 'no reading for this review; it is delivered without one');
  }
  const shown: Evidence = { ...evidence, reading };
  return { ...s, evidence: shown, item: { ...s.item, evidenceShown: shown as unknown as Record<string, unknown> } };
}
