/**
 * What can be wrong with the chain, located at one `seq`:
 * - `altered`: the row's stored hash does not match its content (edited in place).
 * - `missing`: a gap in the dense `seq` (a row was deleted), or the chain does not start at 1.
 * - `replaced`: the row is self-consistent but the next row was chained to a different
 *   row at this position: it was rewritten with a recomputed hash, or deleted and a
 *   forged row inserted in its place.
 * - `inserted`: the row chains to neither neighbour (a forged row slipped into the
 *   chain), or precedes the genesis row.
 * - `broken_link`: the row does not chain to its predecessor and nothing after it says
 *   which of the two is genuine (typically at the newest row).
 * - `truncated`: the chain ends before an anchored head: the newest rows were removed.
 * - `rewritten`: the row at an anchored position has a different hash than the anchor
 *   recorded: the chain up to there was rebuilt with recomputed hashes.
 * With STEWARD_AUDIT_KEY (see mac.ts):
 * - `forged`: the row's MAC does not match its hash under the key it names: it was
 *   written or rewritten by someone without the key.
 * - `unkeyed`: the row has no MAC although rows before it are keyed.
 * - `unknown_key`: the row names a key id the verifier does not hold.
 * - `retired_key`: the row is signed with an older key than a row before it.
 */
export type ChainProblemKind =
  | 'altered'
  | 'missing'
  | 'replaced'
  | 'inserted'
  | 'broken_link'
  | 'truncated'
  | 'rewritten'
  | 'forged'
  | 'unkeyed'
  | 'unknown_key'
  | 'retired_key';

export interface ChainProblem {
  seq: number;
  kind: ChainProblemKind;
  message: string;
}
