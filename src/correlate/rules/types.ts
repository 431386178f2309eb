import type { Policy } from '../../config/policy.js';
import type { Detection, Snapshot } from '../types.js';

/** A rule reads the snapshot and the policy at a given time; it never queries. */
export type Rule = (snapshot: Snapshot, policy: Policy, now: Date) => Detection[];
