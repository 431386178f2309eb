/**
 * Realistic Steward Slack content without a database: review snapshots built in memory and
 * rendered by Steward's own Block Kit builders (src/slack/blocks), for the page's tests and
 * screenshots.
 */
import { randomUUID } from 'node:crypto';
import type { OutboxAction } from '../../src/actions/outbox.js';
import type { Evidence } from '../../src/domain/evidence.js';
import type { FindingKind } from '../../src/domain/findings.js';
import { presentationOf } from '../../src/review/presentation.js';
import { revocationFor } from '../../src/review/revocation.js';
import type { ReviewItem, ReviewSnapshot } from '../../src/review/snapshot.js';

const DAY = 86_400_000;

export interface SnapshotInput {
  kind: FindingKind;
  subject: Evidence['subject'];
  access?: Evidence['access'];
  rule?: string;
  route?: 'dm' | 'security_channel';
  assigneeSlackId?: string | null;
  ownerEmail?: string | null;
  now: Date;
  status?: ReviewItem['status'];
  decision?: string | null;
  decidedBySlackId?: string | null;
  reason?: string | null;
  removal?: Partial<OutboxAction> | null;
  weekly?: number[];
  lastActivityDaysAgo?: number | null;
}

export function makeEvidence(input: SnapshotInput): Evidence {
  const isKey = input.subject.type === 'api_key';
  const owner: Evidence['owner'] = input.ownerEmail
    ? {
        userId: 'user_01Owner',
        email: input.ownerEmail,
        slackId: input.assigneeSlackId ?? null,
        via: isKey ? 'creator' : 'holder',
      }
    : { userId: null, email: null, slackId: null, via: null, unownedReason: 'creator_removed' };
  const last = input.lastActivityDaysAgo === undefined ? 47 : input.lastActivityDaysAgo;
  return {
    kind: input.kind,
    rule: input.rule ?? 'No activity for 47 days (threshold 30).',
    subject: input.subject,
    access:
      input.access ??
      (isKey
        ? {
            kind: 'api_key',
            keyHint: 'sk-ant-api03-…Xq7w',
            workspaceName: 'Production',
            status: 'active',
            scope: 'workspace',
          }
        : { kind: 'seat', role: 'user' }),
    createdAt: new Date(input.now.getTime() - 200 * DAY).toISOString(),
    createdBy: input.ownerEmail ? { type: 'user', id: 'user_01Owner', label: input.ownerEmail } : null,
    owner,
    lastActivity:
      last === null
        ? null
        : {
            at: new Date(input.now.getTime() - last * DAY).toISOString(),
            type: isKey ? 'api_request' : 'claude_chat_created',
          },
    counts: { d7: 0, d30: 0, d90: 38 },
    usage: isKey ? { requests30: 0, tokens30: 0, requests90: 1240, tokens90: 3_400_000 } : null,
    weekly: input.weekly ?? [14, 22, 9, 6, 1, 0, 0, 0, 0, 0, 0, 0],
    thresholds: { dormant_days: 30 },
    asOf: input.now.toISOString(),
  };
}

export function makeSnapshot(input: SnapshotInput): ReviewSnapshot {
  const evidence = makeEvidence(input);
  const route = input.route ?? (input.assigneeSlackId ? 'dm' : 'security_channel');
  const now = input.now;
  const id = randomUUID();
  const item: ReviewItem = {
    id,
    orgId: '',
    findingId: randomUUID(),
    fingerprint: `${input.kind}:${input.subject.type}:${input.subject.id}`,
    kind: input.kind,
    subjectType: input.subject.type,
    subjectId: input.subject.id,
    status: input.status ?? 'open',
    route,
    assigneeUserId: input.assigneeSlackId ? 'user_01Owner' : null,
    assigneeEmail: input.ownerEmail ?? null,
    assigneeSlackId: input.assigneeSlackId ?? null,
    assignedVia: input.assigneeSlackId ? 'creator' : null,
    dueAt: new Date(now.getTime() + 5 * DAY),
    decision: input.decision ?? null,
    decidedBySlackId: input.decidedBySlackId ?? null,
    decidedAt: input.decision ? now : null,
    reason: input.reason ?? null,
    keepUntil: input.decision === 'keep' ? new Date(now.getTime() + 90 * DAY) : null,
    evidenceShown: evidence as unknown as Record<string, unknown>,
    slackChannel: null,
    slackTs: null,
    deliveredAt: new Date(now.getTime() - 2 * DAY),
    deliveryLeaseUntil: null,
    deliveryAttempts: 1,
    deliveryError: null,
    escalationChannel: null,
    escalationTs: null,
    askedSlackId: null,
    askChannel: null,
    askTs: null,
    ownerAnswer: null,
    remindersSent: 0,
    lastRemindedAt: null,
    escalatedAt: null,
    closedReason: null,
    version: 0,
    createdAt: new Date(now.getTime() - 2 * DAY),
    updatedAt: now,
  };
  const planned = revocationFor(evidence);
  const removal: OutboxAction | null =
    input.removal && planned
      ? {
          id: randomUUID(),
          orgId: '',
          reviewItemId: id,
          kind: planned.kind,
          targetType: planned.targetType,
          targetId: planned.targetId,
          params: {},
          idempotencyKey: `steward:${id}:${planned.kind}:${planned.targetId}`,
          status: 'succeeded',
          attempts: 1,
          nextAttemptAt: now,
          lockedBy: null,
          lockedUntil: null,
          lastError: null,
          result: {},
          requestedBySlackId: input.decidedBySlackId ?? null,
          createdAt: now,
          completedAt: now,
          ...input.removal,
        }
      : null;
  return {
    item,
    evidence,
    presentation: presentationOf(input.kind, route),
    planned,
    actions: removal ? [removal] : [],
    removal,
    restore: null,
    restorableUntil: removal?.status === 'succeeded' && planned?.restorable ? new Date(now.getTime() + 7 * DAY) : null,
  };
}
