import { lastActivityOf } from './activity.js';
import { dayStart, utcDay } from './days.js';
import type { Approval, Evidence } from '../domain/evidence.js';
import { splitMembershipId } from '../domain/findings.js';
import { creatorOwner, holderOwner, keyOwner, nobody, serviceAccountOwner, type Owner } from './owner.js';
import { principalKind } from '../domain/roles.js';
import type { ActivitySummary, Detection, Finding, Snapshot } from './types.js';
import { windowOf } from './windows.js';

/** Who answers for the subject of a detection, and why (or why nobody does). */
export function ownerFor(d: Detection, s: Snapshot): Owner {
  if (d.kind === 'unknown_actor') return nobody('actor_not_in_directory');
  switch (d.subject.type) {
    case 'user':
      return holderOwner(s.users.get(d.subject.id));
    case 'workspace_member':
      return holderOwner(s.users.get(splitMembershipId(d.subject.id).userId));
    case 'service_account':
      return serviceAccountOwner({ id: d.subject.id }, s);
    case 'invite':
      return nobody('invite_not_accepted');
    case 'api_key': {
      const key = s.keys.get(d.subject.id);
      if (key) return keyOwner(key, s);
      // Admin keys are not in the directory; whoever created one answers for it.
      const by = d.anomaly?.grantedBy as { type: string | null; id: string } | null | undefined;
      return creatorOwner(by && principalKind(by.type) === 'user' ? by.id : null, s);
    }
  }
}

interface SubjectView {
  label: string;
  access: Evidence['access'];
  createdAt: Date | null;
  createdBy: Evidence['createdBy'];
  activity: ActivitySummary | null;
  usageType: string;
}

function actorLabel(s: Snapshot, id: string): string | null {
  return s.users.get(id)?.email ?? s.serviceAccounts.get(id)?.name ?? null;
}

function describe(d: Detection, s: Snapshot): SubjectView {
  const { type, id } = d.subject;
  const role = (d.anomaly?.role as string | undefined) ?? null;
  if (d.kind === 'unknown_actor') {
    const actor = s.actorsNotInDirectory.find((a) => a.id === id);
    const kind = type === 'api_key' ? 'api_key' : type === 'service_account' ? 'service_account' : 'seat';
    return {
      label: id,
      access: { kind, status: 'not_in_directory' },
      createdAt: null,
      createdBy: null,
      activity: actor?.activity ?? null,
      usageType: 'api_usage',
    };
  }
  switch (type) {
    case 'user': {
      const u = s.users.get(id);
      const admin = d.kind === 'stale_admin' || d.kind === 'privilege_grant' || d.kind === 'unattested_access';
      return {
        label: u?.email ?? id,
        access: {
          kind: admin ? 'org_admin' : 'seat',
          role: role ?? u?.role ?? null,
          status: u ? (u.removedAt ? 'removed' : 'active') : 'unknown',
        },
        createdAt: u ? (u.addedAt ?? u.firstSeenAt) : null,
        createdBy: null,
        activity: u?.activity ?? null,
        usageType: 'seat_usage',
      };
    }
    case 'workspace_member': {
      const { userId, workspaceId: inId } = splitMembershipId(id);
      const workspaceId = inId ?? '';
      const u = s.users.get(userId);
      const m = s.memberships.find((x) => x.workspaceId === workspaceId && x.userId === userId);
      const ws = s.workspaces.get(workspaceId);
      return {
        label: `${u?.email ?? userId} in ${ws?.name ?? workspaceId}`,
        access: {
          kind: 'workspace_admin',
          role: role ?? m?.role ?? null,
          workspaceId,
          workspaceName: ws?.name ?? null,
          status: m && m.removedAt === null ? 'active' : 'removed',
        },
        createdAt: m?.firstSeenAt ?? null,
        createdBy: null,
        activity: u?.activity ?? null,
        usageType: 'seat_usage',
      };
    }
    case 'api_key': {
      const k = s.keys.get(id);
      if (!k) {
        const by = d.anomaly?.grantedBy as { type: string | null; id: string } | null | undefined;
        return {
          label: id,
          access: { kind: 'api_key', role: role ?? null, status: 'active' },
          createdAt: typeof d.anomaly?.grantedAt === 'string' ? new Date(d.anomaly.grantedAt) : null,
          createdBy: by ? { type: by.type ?? 'unknown', id: by.id, label: actorLabel(s, by.id) } : null,
          activity: null,
          usageType: 'api_usage',
        };
      }
      const ws = k.workspaceId ? s.workspaces.get(k.workspaceId) : undefined;
      return {
        label: k.name,
        access: {
          kind: 'api_key',
          role: null,
          workspaceId: k.workspaceId,
          workspaceName: ws?.name ?? null,
          scope: k.scope,
          keyHint: k.hint,
          status: k.removedAt ? 'removed' : k.status,
        },
        createdAt: k.createdAt ?? k.firstSeenAt,
        createdBy: k.createdBy
          ? { type: k.createdBy.type, id: k.createdBy.id, label: actorLabel(s, k.createdBy.id) }
          : null,
        activity: k.activity,
        usageType: 'api_usage',
      };
    }
    case 'service_account': {
      const a = s.serviceAccounts.get(id);
      return {
        label: a?.name ?? id,
        access: { kind: 'service_account', status: a ? (a.removedAt ? 'removed' : (a.status ?? 'active')) : 'unknown' },
        createdAt: a?.createdAt ?? null,
        createdBy: a?.createdById ? { type: 'user', id: a.createdById, label: actorLabel(s, a.createdById) } : null,
        activity: a?.activity ?? null,
        usageType: 'api_usage',
      };
    }
    case 'invite': {
      const i = s.invites.get(id);
      return {
        label: i?.email ?? id,
        access: { kind: 'invite', role: i?.role ?? null, status: i?.status ?? null },
        createdAt: i ? (i.invitedAt ?? i.firstSeenAt) : null,
        createdBy: null,
        activity: null,
        usageType: 'seat_usage',
      };
    }
  }
}

/**
 * Turns a detection into a finding with the evidence a reviewer sees and an auditor
 * reads, with activity windows from the subject's recent daily counts. `slackIds` maps lower-cased emails to Slack ids (null: known to have none);
 * the override's or claim's own Slack id always wins.
 */
export function assemble(d: Detection, s: Snapshot, slackIds: ReadonlyMap<string, string | null>, now: Date): Finding {
  const view = describe(d, s);
  const resolved = ownerFor(d, s);
  const owner: Owner = {
    ...resolved,
    slackId: resolved.slackId ?? (resolved.email ? (slackIds.get(resolved.email.toLowerCase()) ?? null) : null),
  };
  // A key's (or service account's) activity adds up; a person's events and seat actions overlap.
  const w = windowOf(view.activity, utcDay(now), view.usageType === 'seat_usage' ? 'max' : 'sum');
  const lastAdminDay = view.activity?.lastAdminDay ?? null;
  const evidence: Evidence = {
    kind: d.kind,
    rule: d.rule,
    subject: { type: d.subject.type, id: d.subject.id, label: view.label },
    access: view.access,
    createdAt: view.createdAt?.toISOString() ?? null,
    createdBy: view.createdBy,
    owner,
    lastActivity: lastActivityOf(view.activity, view.usageType),
    counts: { d7: w.d7, d30: w.d30, d90: w.d90 },
    usage:
      d.subject.type === 'api_key'
        ? { requests30: w.requests30, tokens30: w.tokens30, requests90: w.requests90, tokens90: w.tokens90 }
        : null,
    weekly: w.weekly,
    thresholds: d.thresholds,
    anomaly: d.anomaly ?? null,
    asOf: now.toISOString(),
  };
  if (d.kind === 'stale_admin')
    evidence.lastAdminActivity = lastAdminDay ? { at: dayStart(lastAdminDay).toISOString(), type: 'admin' } : null;
  if (d.idleDays !== undefined && d.idleDays !== null) evidence.idleDays = d.idleDays;
  const approval = approvalOf(d, view, s);
  if (approval) evidence.approval = approval;
  return { fingerprint: d.fingerprint, kind: d.kind, subject: d.subject, evidence, owner };
}

/** The access's approval record (issue 20), when its creator attested it; a seat is not the attested admin role. */
function approvalOf(d: Detection, view: SubjectView, s: Snapshot): Approval | null {
  const a = s.attestations.get(`${d.subject.type}:${d.subject.id}`);
  if (!a || a.status !== 'attested' || a.purpose === null || a.answeredAt === null) return null;
  if (d.subject.type === 'user' && view.access.kind !== 'org_admin') return null;
  return {
    purpose: a.purpose,
    businessOwnerSlackId: a.businessOwnerSlackId,
    endDate: a.endDate,
    attestedBySlackId: a.answeredBySlackId,
    attestedAt: a.answeredAt.toISOString(),
  };
}
