import { StewardError } from './errors.js';

/** What a run covers: everything, or the access of one person, key or workspace. */
export type Target =
  | { kind: 'all' }
  | { kind: 'user'; userId: string }
  | { kind: 'email'; email: string }
  | { kind: 'key'; keyId: string }
  | { kind: 'workspace'; workspaceId: string }
  /** Everything of one organisation, named by its id or its name (issue 17). */
  | { kind: 'org'; org: string };

/**
 * Reads `all`, `user:<id>`, `email:<address>`, `key:<id>`, `workspace:<id>`, or a bare
 * email address, `user_…`, `apikey_…` or `wrkspc_…` id.
 */
export function parseTarget(text: string): Target {
  const t = text.trim();
  const m = /^(user|email|key|workspace|org):(.+)$/.exec(t);
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
      case 'org':
        return { kind: 'org', org: value };
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
    `"${text}" is not a review target: use all, user:<id>, email:<address>, key:<id>, workspace:<id> or org:<id or name>.`,
    { retry: false },
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
    case 'org':
      return `org:${t.org}`;
  }
}
