import { splitMembershipId, type Subject } from '../domain/findings.js';
import { principalKind } from '../domain/roles.js';
import type { Target } from '../domain/target.js';
import type { Snapshot } from './types.js';

/**
 * Which subjects a target covers. A person's access is their seat, their admin roles in
 * workspaces, and the keys that act as them or that they created; a workspace's is its
 * members, their roles in it, and its keys.
 */
export function targetMatcher(target: Target, s: Snapshot): (subject: Subject) => boolean {
  // `org:` chose the organisation's pass already (correlationPasses); within it, everything.
  if (target.kind === 'all' || target.kind === 'org') return () => true;
  if (target.kind === 'key') return (x) => x.type === 'api_key' && x.id === target.keyId;

  if (target.kind === 'workspace') {
    const ws = target.workspaceId;
    const members = new Set(s.memberships.filter((m) => m.workspaceId === ws).map((m) => m.userId));
    return (x) => {
      if (x.type === 'workspace_member') return x.id.startsWith(`${ws}/`);
      if (x.type === 'api_key') return s.keys.get(x.id)?.workspaceId === ws;
      if (x.type === 'user') return members.has(x.id);
      return false;
    };
  }

  const userIds = new Set<string>();
  let email: string | null = null;
  if (target.kind === 'user') userIds.add(target.userId);
  else {
    email = target.email;
    for (const u of s.users.values()) if (u.email.toLowerCase() === email) userIds.add(u.id);
  }
  const ownsKey = (keyId: string): boolean => {
    const k = s.keys.get(keyId);
    if (!k) return false;
    const p = k.principal && principalKind(k.principal.type) === 'user' ? k.principal.id : null;
    const c = k.createdBy && principalKind(k.createdBy.type) === 'user' ? k.createdBy.id : null;
    return (p !== null && userIds.has(p)) || (c !== null && userIds.has(c));
  };
  return (x) => {
    switch (x.type) {
      case 'user':
        return userIds.has(x.id);
      case 'workspace_member':
        return userIds.has(splitMembershipId(x.id).userId);
      case 'api_key':
        return ownsKey(x.id);
      case 'invite':
        return email !== null && s.invites.get(x.id)?.email.toLowerCase() === email;
      default:
        return false;
    }
  };
}
