import { isOrgAdminRole, WORKSPACE_ADMIN_ROLE } from '../../domain/roles.js';
import { splitMembershipId, type Subject } from '../../domain/findings.js';
import type { AttestationRecord, Snapshot } from '../types.js';
import { isLiveKey } from './dormant-key.js';

/** The subject of an approval record as findings name it; null for an admin API key (not in the directory). */
export function attestedSubject(a: AttestationRecord): Subject | null {
  if (a.subjectType === 'api_key' || a.subjectType === 'user' || a.subjectType === 'workspace_member')
    return { type: a.subjectType, id: a.subjectId };
  return null;
}

/** Whether the attested access still exists: the key live, the admin role or workspace admin role still held. */
export function stillHeld(subject: Subject, s: Snapshot): boolean {
  switch (subject.type) {
    case 'api_key': {
      const k = s.keys.get(subject.id);
      return k !== undefined && isLiveKey(k);
    }
    case 'user': {
      const u = s.users.get(subject.id);
      return u !== undefined && u.removedAt === null && isOrgAdminRole(u.role);
    }
    case 'workspace_member': {
      const { workspaceId, userId } = splitMembershipId(subject.id);
      const m = s.memberships.find((x) => x.workspaceId === workspaceId && x.userId === userId);
      return m !== undefined && m.removedAt === null && m.role === WORKSPACE_ADMIN_ROLE;
    }
    default:
      return false;
  }
}
