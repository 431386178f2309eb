import { describe, expect, it } from 'vitest';
import { authorise, type AuthorisationInput } from './authorise.js';

const base: AuthorisationInput = {
  op: 'keep',
  presentation: 'owner',
  assigneeSlackId: 'UOWNER',
  decidedBySlackId: null,
  actorSlackId: 'UOWNER',
  actorIsAdmin: false,
  actorIsMember: true,
};

describe('authorise', () => {
  it('lets the assignee and admins decide owner reviews, nobody else', () => {
    for (const op of ['keep', 'revoke', 'not_mine'] as const) {
      expect(authorise({ ...base, op }).allowed).toBe(true);
      expect(authorise({ ...base, op, actorSlackId: 'UADMIN', actorIsAdmin: true }).allowed).toBe(true);
      expect(authorise({ ...base, op, actorSlackId: 'UOTHER' }).allowed).toBe(false);
    }
  });

  it("treats an unassigned review as nobody's", () => {
    expect(authorise({ ...base, assigneeSlackId: null, actorSlackId: 'UOWNER' }).allowed).toBe(false);
  });

  it('reserves security-channel decisions for admins', () => {
    expect(authorise({ ...base, op: 'revoke', presentation: 'unowned', actorSlackId: 'UOTHER' }).allowed).toBe(false);
    expect(authorise({ ...base, op: 'acknowledge', presentation: 'anomaly' }).allowed).toBe(false);
    expect(authorise({ ...base, op: 'ask_owner', presentation: 'anomaly', actorIsAdmin: true }).allowed).toBe(true);
  });

  it('lets organisation members claim unowned items only', () => {
    expect(authorise({ ...base, op: 'claim', presentation: 'unowned', actorSlackId: 'UX' }).allowed).toBe(true);
    expect(
      authorise({ ...base, op: 'claim', presentation: 'unowned', actorSlackId: 'UX', actorIsMember: false }).allowed,
    ).toBe(false);
    expect(authorise({ ...base, op: 'claim', presentation: 'anomaly', actorSlackId: 'UX' }).allowed).toBe(false);
  });

  it('lets the reviewer, the decider or an admin restore', () => {
    expect(authorise({ ...base, op: 'restore' }).allowed).toBe(true);
    expect(authorise({ ...base, op: 'restore', assigneeSlackId: 'UZ', decidedBySlackId: 'UOWNER' }).allowed).toBe(true);
    expect(authorise({ ...base, op: 'restore', assigneeSlackId: 'UZ', decidedBySlackId: 'UY' }).allowed).toBe(false);
  });

  it('accepts an answer only from the person asked', () => {
    expect(authorise({ ...base, op: 'answer', askedSlackId: 'UOWNER' }).allowed).toBe(true);
    expect(authorise({ ...base, op: 'answer', askedSlackId: 'UOTHER', actorIsAdmin: true }).allowed).toBe(false);
  });

  it('refuses a self-review of privileged access, even from an admin', () => {
    for (const op of ['keep', 'revoke', 'not_mine'] as const) {
      expect(authorise({ ...base, op, selfReview: true, actorIsAdmin: true }).allowed).toBe(false);
    }
    expect(authorise({ ...base, op: 'keep', selfReview: false, actorIsAdmin: true }).allowed).toBe(true);
  });
});
