import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../domain/evidence.js';
import {
  accessKindOf,
  isSelfReview,
  joinableReview,
  parseScope,
  progressOf,
  reviewerFor,
  type OpenReviewRef,
  type ReviewerContext,
} from './rules.js';

const ctx = (over: Partial<ReviewerContext> = {}): ReviewerContext => ({
  privilegedReviewers: [],
  admins: ['UADMIN1', 'UADMIN2'],
  workspaceReviewers: new Map(),
  holderSlackId: null,
  ownerSlackId: 'UOWNER',
  ...over,
});

const ev = (
  subject: Evidence['subject'],
  access: Evidence['access'],
  owner: Partial<Evidence['owner']> = {},
): Pick<Evidence, 'subject' | 'access' | 'owner'> => ({
  subject,
  access,
  owner: { userId: null, email: null, slackId: null, via: 'holder', ...owner },
});

describe('campaign scopes', () => {
  it('reads the five scopes and refuses anything else', () => {
    expect(parseScope('seats')).toEqual({ kind: 'seats' });
    expect(parseScope(' admins ')).toEqual({ kind: 'admins' });
    expect(parseScope('workspace:wrkspc_01Ab')).toEqual({ kind: 'workspace', workspaceId: 'wrkspc_01Ab' });
    expect(parseScope('workspace:')).toBeNull();
    expect(parseScope('everything')).toBeNull();
  });
  it('reads an organisation by id or by name, spaces and all (issue 17)', () => {
    expect(parseScope('org:11111111-1111-4111-8111-111111111111')).toEqual({
      kind: 'org',
      org: '11111111-1111-4111-8111-111111111111',
    });
    expect(parseScope('org:Acme Production')).toEqual({ kind: 'org', org: 'Acme Production' });
    expect(parseScope('org: ')).toBeNull();
    expect(parseScope(`org:${'x'.repeat(201)}`)).toBeNull();
  });
});

describe('who certifies an access', () => {
  const admin = {
    accessKind: 'org_admin' as const,
    subject: { type: 'user' as const, id: 'user_1' },
    workspaceId: null,
  };
  const key = {
    accessKind: 'api_key' as const,
    subject: { type: 'api_key' as const, id: 'apikey_1' },
    workspaceId: 'wrkspc_A',
  };

  it('gives a key to its owner, or to the workspace reviewers the policy names', () => {
    expect(reviewerFor(key, ctx())).toEqual({ slackId: 'UOWNER', via: 'owner' });
    const named = ctx({ workspaceReviewers: new Map([['wrkspc_A', ['UREV']]]) });
    expect(reviewerFor(key, named)).toEqual({ slackId: 'UREV', via: 'workspace_reviewer' });
    expect(reviewerFor(key, ctx({ ownerSlackId: null }))).toEqual({ slackId: null, via: 'owner' });
  });

  it('never gives privileged access to its holder: a second reviewer, stable across runs', () => {
    const r = reviewerFor(admin, ctx({ holderSlackId: 'UADMIN1', ownerSlackId: 'UADMIN1' }));
    expect(r).toEqual({ slackId: 'UADMIN2', via: 'privileged_reviewer' });
    const again = reviewerFor(admin, ctx({ holderSlackId: null }));
    expect(again).toEqual(reviewerFor(admin, ctx({ holderSlackId: null })));
    expect(['UADMIN1', 'UADMIN2']).toContain(again.slackId);
    // The policy's privileged reviewers take precedence over Steward admins.
    expect(reviewerFor(admin, ctx({ privilegedReviewers: ['UPRIV'] })).slackId).toBe('UPRIV');
    // The only possible reviewer is the holder: nobody, so the security channel.
    expect(reviewerFor(admin, ctx({ privilegedReviewers: ['UPRIV'], holderSlackId: 'UPRIV' })).slackId).toBeNull();
  });
});

describe('self-review', () => {
  const campaign = { id: 'c', number: 1, scope: 'admins', dueAt: '2026-12-01', holderSlackId: 'U1' };
  const role = { ...ev({ type: 'user', id: 'user_1', label: 'a@x' }, { kind: 'org_admin', role: 'admin' }), campaign };
  it('is the holder deciding on their own privileged access', () => {
    expect(isSelfReview(role, { slackId: 'U9', anthropicUserId: 'user_1' })).toBe(true);
    expect(isSelfReview(role, { slackId: 'U1', anthropicUserId: null })).toBe(true);
    expect(isSelfReview(role, { slackId: 'U2', anthropicUserId: 'user_2' })).toBe(false);
    const wsAdmin = ev({ type: 'workspace_member', id: 'wrkspc_A/user_1', label: 'a' }, { kind: 'workspace_admin' });
    expect(isSelfReview(wsAdmin, { slackId: 'U9', anthropicUserId: 'user_1' })).toBe(true);
  });
  it('does not apply to a seat or a key', () => {
    const seat = { ...ev({ type: 'user', id: 'user_1', label: 'a@x' }, { kind: 'seat' }), campaign };
    expect(isSelfReview(seat, { slackId: 'U1', anthropicUserId: 'user_1' })).toBe(false);
  });
});

describe('joining an open review', () => {
  const open = (over: Partial<OpenReviewRef>): OpenReviewRef => ({
    id: 'r1',
    orgId: 'org_a',
    kind: 'dormant_key',
    evidence: ev({ type: 'api_key', id: 'apikey_1', label: 'k' }, { kind: 'api_key' }),
    assigneeSlackId: 'UOWNER',
    ...over,
  });
  const org = { id: 'org_a' };
  const key = { accessKind: 'api_key' as const, subject: { type: 'api_key' as const, id: 'apikey_1' }, org };

  it('joins the review of the same access', () => {
    expect(joinableReview(key, [open({})], null)?.id).toBe('r1');
    expect(joinableReview({ ...key, subject: { type: 'api_key', id: 'apikey_2' } }, [open({})], null)).toBeNull();
  });
  it('never joins the review of the same id in another organisation (issue 17)', () => {
    expect(joinableReview({ ...key, org: { id: 'org_b' } }, [open({})], null)).toBeNull();
    expect(
      joinableReview({ ...key, org: { id: 'org_b' } }, [open({}), open({ id: 'r2', orgId: 'org_b' })], null)?.id,
    ).toBe('r2');
  });
  it('does not join an alert, nor a privileged review that sits with its holder', () => {
    expect(joinableReview(key, [open({ kind: 'usage_spike' })], null)).toBeNull();
    const admin = { accessKind: 'org_admin' as const, subject: { type: 'user' as const, id: 'user_1' }, org };
    const stale = open({
      kind: 'stale_admin',
      evidence: ev({ type: 'user', id: 'user_1', label: 'a' }, { kind: 'org_admin' }),
      assigneeSlackId: 'U1',
    });
    expect(joinableReview(admin, [stale], 'U1')).toBeNull();
    expect(joinableReview(admin, [{ ...stale, assigneeSlackId: 'UADMIN1' }], 'U1')?.id).toBe('r1');
    // A seat review is not a review of the admin role.
    expect(
      joinableReview(
        admin,
        [open({ evidence: ev({ type: 'user', id: 'user_1', label: 'a' }, { kind: 'seat' }) })],
        null,
      ),
    ).toBeNull();
  });
  it('names the access of evidence in campaign words', () => {
    expect(accessKindOf(ev({ type: 'workspace_member', id: 'w/u', label: '' }, { kind: 'seat' }))).toBe(
      'workspace_member',
    );
    expect(accessKindOf(ev({ type: 'invite', id: 'i', label: '' }, { kind: 'invite' }))).toBeNull();
  });
});

describe('completion', () => {
  const due = new Date('2026-12-01T00:00:00Z');
  const groups = [
    { status: 'decided', decision: 'keep', closedAs: null, n: 3 },
    { status: 'decided', decision: 'revoke', closedAs: null, n: 1 },
    { status: 'decided', decision: 'timeout_revoke', closedAs: 'revoked', n: 1 },
    { status: 'open', decision: null, closedAs: null, n: 4 },
    { status: 'pending', decision: null, closedAs: null, n: 1 },
  ];
  it('counts decided, kept, revoked and open, and the percent no longer waiting', () => {
    const p = progressOf(groups, due, new Date('2026-11-20T00:00:00Z'));
    expect(p).toMatchObject({ total: 10, decided: 5, kept: 3, revoked: 2, open: 5, overdue: 0, percent: 50 });
  });
  it('counts open items as overdue once the due date has passed', () => {
    expect(progressOf(groups, due, due).overdue).toBe(5);
  });
  it('counts skipped and escalated items at close, and an empty campaign as complete', () => {
    const closed = progressOf(
      [
        { status: 'open', decision: null, closedAs: 'skipped', n: 2 },
        { status: 'open', decision: null, closedAs: 'escalated', n: 1 },
        { status: 'closed', decision: null, closedAs: 'skipped', n: 1 },
        { status: 'decided', decision: 'keep', closedAs: null, n: 1 },
      ],
      due,
      due,
    );
    expect(closed).toMatchObject({ total: 5, skipped: 3, escalated: 1, kept: 1, overdue: 1, percent: 80 });
    expect(progressOf([], due, due).percent).toBe(100);
  });
});
