import { createHash } from 'node:crypto';
import type { Evidence } from '../../domain/evidence.js';
import { isAnomaly, splitMembershipId, type Subject } from '../../domain/findings.js';

/**
 * The rules of a certification campaign (issue 16), pure: which access a scope covers,
 * who certifies each access, when an open review is joined instead of a new message,
 * what counts as a self-review, and the completion figures.
 */

export type CampaignScope =
  | { kind: 'seats' }
  | { kind: 'keys' }
  | { kind: 'admins' }
  | { kind: 'all' }
  | { kind: 'workspace'; workspaceId: string }
  /** Everything of one organisation (issue 17), by its id or name (a name with spaces quoted on the command line). */
  | { kind: 'org'; org: string };

export function parseScope(text: string): CampaignScope | null {
  const t = text.trim();
  if (t === 'seats' || t === 'keys' || t === 'admins' || t === 'all') return { kind: t };
  // A name with spaces arrives as one word when quoted (`org:"Acme Production"`, see commandWords).
  const o = /^org:(.{1,200})$/.exec(t);
  if (o && o[1]!.trim()) return { kind: 'org', org: o[1]!.trim() };
  const m = /^workspace:([A-Za-z0-9_-]+)$/.exec(t);
  return m ? { kind: 'workspace', workspaceId: m[1]! } : null;
}

export function describeScope(s: CampaignScope): string {
  return s.kind === 'workspace' ? `workspace:${s.workspaceId}` : s.kind === 'org' ? `org:${s.org}` : s.kind;
}

/** One kind of access a campaign certifies. A plain workspace membership is `workspace_member`. */
export type AccessKind = 'seat' | 'api_key' | 'org_admin' | 'workspace_admin' | 'workspace_member';

/** Admin and owner roles and workspace admins: never certified by the person who holds them. */
export const PRIVILEGED_ACCESS: ReadonlySet<AccessKind> = new Set<AccessKind>(['org_admin', 'workspace_admin']);

/** One access in a campaign's scope, with the evidence a finding's review would show. */
export interface CampaignAccess {
  accessKind: AccessKind;
  subject: Subject;
  /** The organisation that holds it (issue 17; '' not identified yet), and its name as last given. */
  org: { id: string; name: string | null };
  /** The workspace a key or membership belongs to (for workspace reviewers). */
  workspaceId: string | null;
  evidence: Evidence;
}

/** The access an evidence object is about, in a campaign's words; null when campaigns do not certify it. */
export function accessKindOf(e: Pick<Evidence, 'subject' | 'access'>): AccessKind | null {
  if (e.subject.type === 'workspace_member')
    return e.access.kind === 'workspace_admin' ? 'workspace_admin' : 'workspace_member';
  if (e.subject.type === 'user' && (e.access.kind === 'seat' || e.access.kind === 'org_admin')) return e.access.kind;
  if (e.subject.type === 'api_key' && e.access.kind === 'api_key') return 'api_key';
  return null;
}

export const accessKey = (a: { accessKind: string; subject: Subject }): string =>
  `${a.accessKind}:${a.subject.type}:${a.subject.id}`;

/** The fingerprint of a certification review (one unresolved review per access at a time). */
export const certificationFingerprint = (a: { accessKind: string; subject: Subject }): string =>
  `certification:${accessKey(a)}`;

/** The Anthropic user whose access this is (a seat or role holder); null for keys. */
export function holderOf(subject: Subject): string | null {
  if (subject.type === 'user') return subject.id;
  if (subject.type === 'workspace_member') return splitMembershipId(subject.id).userId;
  return null;
}

export function isPrivileged(e: Pick<Evidence, 'subject' | 'access'>): boolean {
  const kind = accessKindOf(e);
  return kind !== null && PRIVILEGED_ACCESS.has(kind);
}

/**
 * Nobody certifies their own privileged access: true when the actor holds the role the
 * review is about, by their organisation identity or by the holder's Slack id the
 * campaign recorded (all that is known before the person is looked up).
 */
export function isSelfReview(
  e: Pick<Evidence, 'subject' | 'access' | 'campaign'>,
  actor: { slackId: string; anthropicUserId: string | null },
): boolean {
  if (!isPrivileged(e)) return false;
  const holder = holderOf(e.subject);
  if (holder !== null && actor.anthropicUserId !== null && holder === actor.anthropicUserId) return true;
  const holderSlackId = e.campaign?.holderSlackId ?? null;
  return holderSlackId !== null && holderSlackId === actor.slackId;
}

export interface ReviewerContext {
  /** The policy's `privileged_reviewers`; empty → the Steward admins. */
  privilegedReviewers: readonly string[];
  admins: readonly string[];
  /** Workspace id → its reviewers, from the policy. */
  workspaceReviewers: ReadonlyMap<string, readonly string[]>;
  /** The Slack id of the person holding the access (seats, roles), when known. */
  holderSlackId: string | null;
  /** The Slack id of the access's owner (from the evidence), when known. */
  ownerSlackId: string | null;
}

export type ReviewerVia = 'owner' | 'workspace_reviewer' | 'privileged_reviewer';

export interface Reviewer {
  /** null: nobody could be chosen; the item goes to the security channel. */
  slackId: string | null;
  via: ReviewerVia;
}

/**
 * Who certifies an access. Privileged access: a second reviewer (the policy's
 * privileged reviewers, else a Steward admin) who is not its holder. Seats and keys:
 * the workspace's reviewers when the policy names them, else the owner. A pool is
 * shared out by a stable hash of the access, so a re-run picks the same person.
 */
export function reviewerFor(
  a: Pick<CampaignAccess, 'accessKind' | 'subject' | 'workspaceId'>,
  ctx: ReviewerContext,
): Reviewer {
  const key = accessKey(a);
  if (PRIVILEGED_ACCESS.has(a.accessKind)) {
    const pool = (ctx.privilegedReviewers.length > 0 ? ctx.privilegedReviewers : ctx.admins).filter(
      (id) => id !== ctx.holderSlackId,
    );
    return { slackId: pick(pool, key), via: 'privileged_reviewer' };
  }
  const named = a.workspaceId ? ctx.workspaceReviewers.get(a.workspaceId) : undefined;
  if (named && named.length > 0) return { slackId: pick(named, key), via: 'workspace_reviewer' };
  return { slackId: ctx.ownerSlackId, via: 'owner' };
}

function pick(pool: readonly string[], key: string): string | null {
  if (pool.length === 0) return null;
  const sorted = [...new Set(pool)].sort();
  const n = createHash('sha256').update(key).digest().readUInt32BE(0);
  return sorted[n % sorted.length]!;
}

/** An undecided review already open, as the join rule needs it. */
export interface OpenReviewRef {
  id: string;
  /** Its organisation (issue 17): a review joins only an access of the same organisation. */
  orgId: string;
  kind: string;
  evidence: Pick<Evidence, 'subject' | 'access' | 'owner'>;
  assigneeSlackId: string | null;
}

/**
 * The open review an access joins instead of getting a second message: one about the
 * same access (in the same organisation) that asks Keep or Revoke (alerts are acknowledged, not certified), unless
 * it sits with the holder of privileged access, who may not certify it.
 */
export function joinableReview(
  a: Pick<CampaignAccess, 'accessKind' | 'subject'> & { org: { id: string } },
  open: readonly OpenReviewRef[],
  holderSlackId: string | null,
): OpenReviewRef | null {
  for (const r of open) {
    if (isAnomaly(r.kind) || r.orgId !== a.org.id) continue;
    if (r.evidence.subject.type !== a.subject.type || r.evidence.subject.id !== a.subject.id) continue;
    if (accessKindOf(r.evidence) !== a.accessKind) continue;
    if (PRIVILEGED_ACCESS.has(a.accessKind) && r.assigneeSlackId !== null && r.assigneeSlackId === holderSlackId)
      continue;
    return r;
  }
  return null;
}

/** Where one item stands, from its review and how the campaign's close treated it. */
export type ItemOutcome = 'kept' | 'revoked' | 'skipped' | 'escalated' | 'closed' | 'open';

export function outcomeOf(i: { status: string; decision: string | null; closedAs: string | null }): ItemOutcome {
  if (i.status === 'decided') {
    if (i.decision === 'revoke' || i.decision === 'timeout_revoke') return 'revoked';
    return 'kept';
  }
  if (i.closedAs === 'skipped') return 'skipped';
  if (i.status === 'closed') return 'closed';
  if (i.closedAs === 'escalated') return 'escalated';
  return 'open';
}

export interface Progress {
  total: number;
  decided: number;
  kept: number;
  revoked: number;
  skipped: number;
  escalated: number;
  /** Closed without a decision (the finding behind a joined review went away). */
  closed: number;
  open: number;
  /** Open past the campaign's due date. */
  overdue: number;
  /** Items no longer waiting for anyone, out of all, rounded down to a whole percent. */
  percent: number;
}

/** Completion figures from per-group counts (the database groups; this adds up). */
export function progressOf(
  groups: ReadonlyArray<{ status: string; decision: string | null; closedAs: string | null; n: number }>,
  dueAt: Date,
  now: Date,
): Progress {
  const p: Progress = {
    total: 0,
    decided: 0,
    kept: 0,
    revoked: 0,
    skipped: 0,
    escalated: 0,
    closed: 0,
    open: 0,
    overdue: 0,
    percent: 0,
  };
  for (const g of groups) {
    p.total += g.n;
    p[outcomeOf(g)] += g.n;
  }
  p.decided = p.kept + p.revoked;
  const waiting = p.open + p.escalated;
  p.overdue = now.getTime() >= dueAt.getTime() ? waiting : 0;
  p.percent = p.total === 0 ? 100 : Math.floor(((p.total - waiting) * 100) / p.total);
  return p;
}
