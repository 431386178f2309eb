import { randomUUID } from 'node:crypto';
import type { FindingKind } from '../../src/domain/findings.js';
import type { Evidence } from '../../src/domain/evidence.js';
import { eq } from 'drizzle-orm';
import { apiKeys, findings, orgUsers, reviewItems } from '../../src/db/schema/index.js';
import type { Harness } from './harness.js';

export interface Person {
  slackId: string;
  userId: string;
  email: string;
}

/** Someone who is both in the Claude organisation (sim + directory) and in Slack. */
export async function seedPerson(
  h: Harness,
  name: string,
  opts: { role?: string; inSlack?: boolean } = {},
): Promise<Person> {
  const email = `${name}@example.com`;
  const u = h.anthropic.state.addUser({ email, name, role: (opts.role ?? 'user') as never });
  await h.db.db
    .insert(orgUsers)
    .values({ id: u.id, email, name, role: opts.role ?? 'user', addedAt: new Date('2026-01-05T00:00:00Z') });
  const slackId =
    opts.inSlack === false
      ? ''
      : h.slack.addUser({ name, email, real_name: name[0]!.toUpperCase() + name.slice(1) }).id;
  // Everyone seeded can see the security channel, as a security team would.
  if (slackId) h.slack.state.joinChannel(h.securityChannel, slackId);
  return { slackId, userId: u.id, email };
}

export async function seedKey(h: Harness, name: string, owner: Person | null): Promise<string> {
  const k = h.anthropic.state.addApiKey({
    name,
    createdBy: owner ? { id: owner.userId, type: 'user' } : null,
    // The API key object's documented principal shape (SDK 1.16 `APIKey.principal`), so the
    // simulator's side effects (removing a user turns off their keys) find these keys.
    principal: owner ? { type: 'user_actor', user_id: owner.userId } : null,
  });
  await h.db.db.insert(apiKeys).values({
    id: k.id,
    name,
    status: 'active',
    createdAt: new Date('2026-02-01T00:00:00Z'),
    createdByType: owner ? 'user' : null,
    createdById: owner?.userId ?? null,
    principalType: owner ? 'user' : null,
    principalId: owner?.userId ?? null,
    partialKeyHint: 'sk-ant-api03-...AbCd',
  });
  return k.id;
}

export function evidence(
  kind: FindingKind,
  subject: Evidence['subject'],
  owner: Person | null,
  over: Partial<Evidence> = {},
): Evidence {
  const access: Evidence['access'] =
    subject.type === 'api_key'
      ? {
          kind: 'api_key',
          keyHint: 'sk-ant-api03-...AbCd',
          workspaceName: 'Default',
          status: 'active',
          scope: 'workspace',
        }
      : { kind: 'seat', role: 'user' };
  return {
    kind,
    rule: `No activity for 45 days (threshold 30).`,
    subject,
    access,
    createdAt: '2026-02-01T00:00:00.000Z',
    createdBy: owner ? { type: 'user', id: owner.userId, label: owner.email } : null,
    owner: owner
      ? {
          userId: owner.userId,
          email: owner.email,
          slackId: null,
          via: subject.type === 'api_key' ? 'principal' : 'holder',
          unownedReason: null,
        }
      : { userId: null, email: null, slackId: null, via: null, unownedReason: 'no_creator_recorded' },
    lastActivity: { at: '2026-09-01T10:00:00.000Z', type: 'claude_chat_created' },
    counts: { d7: 0, d30: 0, d90: 3 },
    usage: subject.type === 'api_key' ? { requests30: 0, tokens30: 0, requests90: 120, tokens90: 45000 } : null,
    weekly: [3, 5, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    thresholds: { dormant_days: 30 },
    asOf: '2026-11-22T00:00:00.000Z',
    ...over,
  };
}

export async function seedFinding(h: Harness, e: Evidence): Promise<string> {
  const id = randomUUID();
  await h.db.db.insert(findings).values({
    id,
    fingerprint: `${e.kind}:${e.subject.type}:${e.subject.id}`,
    kind: e.kind,
    subjectType: e.subject.type,
    subjectId: e.subject.id,
    evidence: e as unknown as Record<string, unknown>,
    owner: e.owner,
    firstDetectedAt: new Date(Date.now() - 60_000),
  });
  return id;
}

/** A review item as stored now. */
export async function storedReview(h: Harness, id: string): Promise<typeof reviewItems.$inferSelect> {
  const [row] = await h.db.db.select().from(reviewItems).where(eq(reviewItems.id, id));
  if (!row) throw new Error(`no review item ${id}`);
  return row;
}
