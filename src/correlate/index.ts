/** Correlation's public surface: the service, its result, targets, evidence and Slack identity. */
export { createCorrelationService } from './service.js';
export type {
  CorrelateOptions,
  CorrelatedFinding,
  CorrelationDeps,
  CorrelationResult,
  CorrelationService,
  ResolvedFinding,
} from './service.js';
export { describeTarget, parseTarget, targetMatcher, type Target } from './target.js';
export type { Evidence } from './evidence.js';
export type { Finding, Owner, Subject } from './types.js';
export type { ResolutionReason } from './resolution.js';
export type { Suppression } from './suppression.js';
export type { UnownedReason } from './owner.js';
export {
  cachedSlackLookup,
  normaliseEmail,
  readSlackCache,
  webClientLookup,
  type SlackUserLookup,
} from './slack-identity.js';
export { findingsTable, sparkline } from './table.js';
export { actorIdOf, isAdminActivityType } from './admin-activity.js';
export { EVENT_KINDS } from './rules/index.js';
