import type { Evidence } from '../domain/evidence.js';
import { principalKind } from '../domain/roles.js';
import { departureOf, usedByOthers } from './departed.js';
import {
  type Claim,
  type DepartureRecord,
  type KeyRecord,
  type OwnerOverride,
  type ServiceAccountRecord,
  type UserRecord,
} from './types.js';
import { subjectKey, type Subject } from '../domain/findings.js';

export type Owner = Evidence['owner'];

/** What owner resolution reads; a slice of the snapshot. */
export interface OwnerContext {
  users: Map<string, UserRecord>;
  serviceAccounts: Map<string, ServiceAccountRecord>;
  overrides: Map<string, OwnerOverride>;
  claims: Map<string, Claim>;
  /** People who left Slack (issue 20): a leaver's keys that others use have no owner. */
  departures?: readonly DepartureRecord[];
}

/** Why nobody is accountable; stable codes shown to reviewers and auditors. */
export type UnownedReason =
  | 'no_creator_recorded'
  | 'creator_removed'
  | 'creator_left'
  | 'creator_unknown'
  | 'principal_removed'
  | 'principal_unknown'
  | 'service_account_unowned'
  | 'holder_removed'
  | 'holder_unknown'
  | 'actor_not_in_directory'
  | 'invite_not_accepted';

export function nobody(reason: UnownedReason): Owner {
  return { userId: null, email: null, slackId: null, via: null, unownedReason: reason };
}

const isActive = (u: UserRecord | undefined): u is UserRecord => u !== undefined && u.removedAt === null;

function person(u: UserRecord, via: 'holder' | 'principal' | 'creator'): Owner {
  return { userId: u.id, email: u.email, slackId: null, via, unownedReason: null };
}

/** A seat, or an admin role held by a person: the holder answers for it. */
export function holderOwner(user: UserRecord | undefined): Owner {
  if (!user) return nobody('holder_unknown');
  if (user.removedAt !== null) return nobody('holder_removed');
  return person(user, 'holder');
}

/**
 * A key: its principal user, else its creator, else the owner the override map names,
 * else whoever claimed it; a key acting as (or made by) a service account then falls
 * back to that account's override or claim. Nobody → the reason of the first link that
 * failed.
 */
export function keyOwner(key: KeyRecord, ctx: OwnerContext): Owner {
  const principal = key.principal ? { kind: principalKind(key.principal.type), id: key.principal.id } : null;
  const creator = key.createdBy ? { kind: principalKind(key.createdBy.type), id: key.createdBy.id } : null;

  if (principal?.kind === 'user') {
    const u = ctx.users.get(principal.id);
    if (isActive(u)) return person(u, 'principal');
  }
  // A creator who left Slack does not answer for a key others still use (issue 20).
  const left = creatorLeft(key, ctx);
  if (creator?.kind === 'user' && !left) {
    const u = ctx.users.get(creator.id);
    if (isActive(u)) return person(u, 'creator');
  }
  const named = assigned({ type: 'api_key', id: key.id }, ctx);
  if (named) return named;

  const accountId =
    principal?.kind === 'service_account' ? principal.id : creator?.kind === 'service_account' ? creator.id : null;
  if (accountId !== null) {
    const viaAccount = assigned({ type: 'service_account', id: accountId }, ctx);
    if (viaAccount) return viaAccount;
  }

  if (principal?.kind === 'user')
    return nobody(ctx.users.has(principal.id) ? 'principal_removed' : 'principal_unknown');
  if (accountId !== null) return nobody('service_account_unowned');
  if (!creator) return nobody('no_creator_recorded');
  if (left) return nobody('creator_left');
  if (creator.kind === 'user') return nobody(ctx.users.has(creator.id) ? 'creator_removed' : 'creator_unknown');
  return nobody('creator_unknown');
}

/**
 * The creator of this key left Slack and the key is theirs no more: others still use it
 * while the creator is a member, or the creator has since been removed.
 */
export function creatorLeft(
  key: KeyRecord,
  ctx: Pick<OwnerContext, 'users' | 'departures'>,
): { user: UserRecord; departure: DepartureRecord } | null {
  if (!key.createdBy || principalKind(key.createdBy.type) !== 'user') return null;
  const user = ctx.users.get(key.createdBy.id);
  const departure = user ? departureOf(user, ctx.departures) : undefined;
  if (!user || !departure) return null;
  return user.removedAt !== null || usedByOthers(key, user.id, departure) ? { user, departure } : null;
}

/** A service account belongs to whoever the override map names or who claimed it. */
export function serviceAccountOwner(account: { id: string }, ctx: OwnerContext): Owner {
  return assigned({ type: 'service_account', id: account.id }, ctx) ?? nobody('service_account_unowned');
}

/** Whoever made something (an admin key), if they are still a member. */
export function creatorOwner(creatorUserId: string | null, ctx: OwnerContext): Owner {
  if (creatorUserId === null) return nobody('no_creator_recorded');
  const u = ctx.users.get(creatorUserId);
  if (isActive(u)) return person(u, 'creator');
  return nobody(u ? 'creator_removed' : 'creator_unknown');
}

/** The override map first, then the latest claim. */
function assigned(subject: Subject, ctx: OwnerContext): Owner | null {
  const override = ctx.overrides.get(subjectKey(subject));
  if (override) {
    const user = override.email ? activeUserByEmail(ctx, override.email) : undefined;
    return {
      userId: user?.id ?? null,
      email: override.email,
      slackId: override.slackId,
      via: 'override',
      unownedReason: null,
    };
  }
  const claim = ctx.claims.get(subjectKey(subject));
  if (claim) {
    return { userId: claim.userId, email: claim.email, slackId: claim.slackId, via: 'claim', unownedReason: null };
  }
  return null;
}

const emailIndexes = new WeakMap<Map<string, UserRecord>, Map<string, UserRecord>>();

function activeUserByEmail(ctx: OwnerContext, email: string): UserRecord | undefined {
  let index = emailIndexes.get(ctx.users);
  if (!index) {
    index = new Map();
    for (const u of ctx.users.values()) if (u.removedAt === null) index.set(u.email.toLowerCase(), u);
    emailIndexes.set(ctx.users, index);
  }
  return index.get(email.toLowerCase());
}
