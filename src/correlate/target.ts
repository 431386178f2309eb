import { StewardError } from '../errors.js';
import { principalKind } from './roles.js';
import type { Snapshot, Subject } from './types.js';

/** What a run covers: everything, or the access of one person, key or workspace. */
export type Target =
  | { kind: 'all' }
  | { kind: 'user'; userId: string }
  | { kind: 'email'; email: string }
  | { kind: 'key'; keyId: string }
  | { kind: 'workspace'; workspaceId: string };

/**
 * Reads `all`, `user:<id>`, `email:<address>`, `key:<id>`, `workspace:<id>`, or a bare
 * email address, `user_…`, `apikey_…` or `wrkspc_…` id.
 */
export function parseTarget(text: string): Target {
  const t = text.trim();
  const m = /^(user|email|key|workspace):(.+)$/.exec(t);
  if (t === 'all') return { kind: 'all' };
  if (m) {
    const value = m[2]!.trim();
    switch (m[1]) {
      case 'user':
        return { kind: 'user', userId: value };
      case 'email':
        return { kind: 'email', email: value.toLowerCase() };
      case 'key':
        return { kind: 'key', keyId: value };
      default:
        return { kind: 'workspace', workspaceId: value };
    }
  }
  if (/^[^@\s]+@[^@\s]+$/.test(t)) return { kind: 'email', email: t.toLowerCase() };
  if (t.startsWith('user_')) return { kind: 'user', userId: t };
  if (t.startsWith('apikey_')) return { kind: 'key', keyId: t };
  if (t.startsWith('wrkspc_')) return { kind: 'workspace', workspaceId: t };
  throw new StewardError(
    'bad_target',
    `"${text}" is not a review target: use all, user:<id>, email:<address>, key:<id> or workspace:<id>.`,
  );
}

export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'all':
      return 'all';
    case 'user':
      return `user:${t.userId}`;
    case 'email':
      return `email:${t.email}`;
    case 'key':
      return `key:${t.keyId}`;
    case 'workspace':
      return `workspace:${t.workspaceId}`;
  }
}

/**
 * Which subjects a target covers. A person's access is their seat, their admin roles in
 * workspaces, and the keys that act as them or that they created; a workspace's is its
 * members, their roles in it, and its keys.
 */
export function targetMatcher(target: Target, s: Snapshot): (subject: Subject) => boolean {
  if (target.kind === 'all') return () => true;
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
        return userIds.has(x.id.slice(x.id.indexOf('/') + 1));
      case 'api_key':
        return ownsKey(x.id);
      case 'invite':
        return email !== null && s.invites.get(x.id)?.email.toLowerCase() === email;
      default:
        return false;
    }
  };
}
