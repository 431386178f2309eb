import { type SimClock, toMs, DAY_MS } from '../clock.js';
import type { IdFactory } from '../ids.js';
import type {
  ApiKeyActor,
  ApiKeyShape,
  OrganizationRole,
  Ordered,
  SimApiKey,
  SimInvite,
  SimOrg,
  SimServiceAccount,
  SimUser,
  SimWorkspace,
  SimWorkspaceMember,
  TimeInput,
  WorkspaceRole,
} from './types.js';

export interface UserInput {
  id?: string;
  email?: string;
  name?: string;
  role?: OrganizationRole;
  addedAt?: TimeInput;
}

export interface InviteInput {
  id?: string;
  email?: string;
  role?: OrganizationRole;
  invitedAt?: TimeInput;
  expiresAt?: TimeInput;
  acceptedAt?: TimeInput | null;
  rbacGroupIds?: string[];
}

export interface WorkspaceInput {
  id?: string;
  name?: string;
  createdAt?: TimeInput;
  archivedAt?: TimeInput | null;
  displayColor?: string;
  /** Omitted → a generated `cmpt_…` id. */
  compartmentId?: string;
  tags?: Record<string, string>;
}

export interface WorkspaceMemberInput {
  workspaceId: string;
  userId: string;
  role?: WorkspaceRole;
  addedAt?: TimeInput;
}

export interface ServiceAccountInput {
  id?: string;
  name?: string;
  description?: string | null;
  organizationRole?: 'admin' | 'developer';
  createdAt?: TimeInput;
  createdByActorId?: string | null;
  archivedAt?: TimeInput | null;
  liveFederationRules?: number;
}

export interface ApiKeyInput {
  id?: string;
  name?: string;
  createdAt?: TimeInput;
  /** Who created it; `null` (the default) is the real "creator not recorded" case. */
  createdBy?: { id: string; type: 'user' | 'service_account' } | null;
  expiresAt?: TimeInput | null;
  hint?: string | null;
  principal?: ApiKeyActor | null;
  /** A workspace id; omitted → the default workspace; `null` → organisation scope. */
  workspaceId?: string | null;
  status?: 'active' | 'inactive' | 'archived';
  /** Overrides the sim-wide `apiKeyShape` for this key. */
  shape?: ApiKeyShape;
}

const COLORS = ['#6C5BB9', '#D97757', '#2F7D6D', '#3B6FB6', '#B34B6A', '#8A6D1F'];

/** Newest first, then the later insertion first: the order every Page list uses. */
export function newestFirst(a: Ordered, b: Ordered): number {
  return b.createdAt - a.createdAt || b.seq - a.seq;
}

/**
 * The mutable organisation behind the Admin API routes. Seed helpers create records
 * directly (no activity is emitted for them); routes mutate through the methods at
 * the bottom so every path keeps the same invariants.
 */
export class OrgState {
  readonly users = new Map<string, SimUser>();
  readonly invites = new Map<string, SimInvite>();
  readonly workspaces = new Map<string, SimWorkspace>();
  readonly members = new Map<string, SimWorkspaceMember>();
  readonly serviceAccounts = new Map<string, SimServiceAccount>();
  readonly apiKeys = new Map<string, SimApiKey>();
  readonly defaultWorkspace: SimWorkspace;
  private seq = 0;

  constructor(
    readonly org: SimOrg,
    private readonly clock: SimClock,
    private readonly ids: IdFactory,
  ) {
    this.defaultWorkspace = this.addWorkspace({ name: 'Default' });
    this.defaultWorkspace.isDefault = true;
  }

  private stamp(at: TimeInput | undefined, id: string): Ordered {
    return { id, seq: ++this.seq, createdAt: at === undefined ? this.clock.now() : toMs(at) };
  }

  addUser(input: UserInput = {}): SimUser {
    const id = input.id ?? this.ids.tagged('user');
    const n = this.users.size + 1;
    const user: SimUser = {
      ...this.stamp(input.addedAt, id),
      email: input.email ?? `user${n}@example.com`,
      name: input.name ?? `User ${n}`,
      role: input.role ?? (this.org.type === 'enterprise' ? 'user' : 'developer'),
      removedAt: null,
      signedOutAt: null,
    };
    this.users.set(id, user);
    return user;
  }

  addInvite(input: InviteInput = {}): SimInvite {
    const id = input.id ?? this.ids.tagged('invite');
    const base = this.stamp(input.invitedAt, id);
    const invite: SimInvite = {
      ...base,
      email: input.email ?? `invitee${this.invites.size + 1}@example.com`,
      role: input.role ?? 'user',
      expiresAt: input.expiresAt === undefined ? base.createdAt + 21 * DAY_MS : toMs(input.expiresAt),
      acceptedAt: input.acceptedAt == null ? null : toMs(input.acceptedAt),
      deletedAt: null,
      rbacGroupIds: input.rbacGroupIds ?? [],
    };
    this.invites.set(id, invite);
    return invite;
  }

  addWorkspace(input: WorkspaceInput = {}): SimWorkspace {
    const id = input.id ?? this.ids.tagged('wrkspc');
    const base = this.stamp(input.createdAt, id);
    // Always drawn, so a given seed yields the same later ids whether or not one is passed.
    const compartmentId = this.ids.tagged('cmpt');
    const ws: SimWorkspace = {
      ...base,
      name: input.name ?? `Workspace ${this.workspaces.size + 1}`,
      archivedAt: input.archivedAt == null ? null : toMs(input.archivedAt),
      displayColor: input.displayColor ?? COLORS[this.workspaces.size % COLORS.length]!,
      compartmentId: input.compartmentId ?? compartmentId,
      isDefault: false,
      tags: input.tags ?? {},
    };
    this.workspaces.set(id, ws);
    return ws;
  }

  addWorkspaceMember(input: WorkspaceMemberInput): SimWorkspaceMember {
    this.requireWorkspace(input.workspaceId);
    this.requireUser(input.userId);
    const key = memberKey(input.workspaceId, input.userId);
    const member: SimWorkspaceMember = {
      ...this.stamp(input.addedAt, input.userId),
      workspaceId: input.workspaceId,
      userId: input.userId,
      role: input.role ?? 'workspace_user',
      removedAt: null,
    };
    this.members.set(key, member);
    return member;
  }

  addServiceAccount(input: ServiceAccountInput = {}): SimServiceAccount {
    const id = input.id ?? this.ids.tagged('svac');
    const base = this.stamp(input.createdAt, id);
    const archivedAt = input.archivedAt == null ? null : toMs(input.archivedAt);
    const sa: SimServiceAccount = {
      ...base,
      name: input.name ?? `service-account-${this.serviceAccounts.size + 1}`,
      description: input.description ?? null,
      organizationRole: input.organizationRole ?? 'developer',
      createdByActorId: input.createdByActorId ?? null,
      updatedAt: base.createdAt,
      updatedByActorId: input.createdByActorId ?? null,
      archivedAt,
      archivedByActorId: null,
      liveFederationRules: input.liveFederationRules ?? 0,
    };
    this.serviceAccounts.set(id, sa);
    return sa;
  }

  addApiKey(input: ApiKeyInput = {}): SimApiKey {
    const id = input.id ?? this.ids.tagged('apikey');
    if (input.workspaceId) this.requireWorkspace(input.workspaceId);
    const key: SimApiKey = {
      ...this.stamp(input.createdAt, id),
      name: input.name ?? `key-${this.apiKeys.size + 1}`,
      createdBy: input.createdBy ?? null,
      expiresAt: input.expiresAt == null ? null : toMs(input.expiresAt),
      hint: input.hint === undefined ? this.ids.keyHint() : input.hint,
      principal: input.principal ?? null,
      workspaceId: input.workspaceId === undefined ? this.defaultWorkspace.id : input.workspaceId,
      status: input.status ?? 'active',
      shape: input.shape,
    };
    this.apiKeys.set(id, key);
    return key;
  }

  user(id: string): SimUser | undefined {
    return this.users.get(id);
  }

  apiKey(id: string): SimApiKey | undefined {
    return this.apiKeys.get(id);
  }

  activeUsers(): SimUser[] {
    return [...this.users.values()].filter((u) => u.removedAt === null);
  }

  member(workspaceId: string, userId: string): SimWorkspaceMember | undefined {
    const m = this.members.get(memberKey(workspaceId, userId));
    return m && m.removedAt === null ? m : undefined;
  }

  inviteStatus(invite: SimInvite): 'accepted' | 'deleted' | 'expired' | 'pending' {
    if (invite.deletedAt !== null) return 'deleted';
    if (invite.acceptedAt !== null) return 'accepted';
    return invite.expiresAt <= this.clock.now() ? 'expired' : 'pending';
  }

  apiKeyStatus(key: SimApiKey): 'active' | 'archived' | 'expired' | 'inactive' {
    if (key.status === 'active' && key.expiresAt !== null && key.expiresAt <= this.clock.now()) return 'expired';
    return key.status;
  }

  /**
   * Removing a member also ends their workspace memberships, as the real API does.
   * `at` backdates the removal (fixtures replaying a history); default: the sim's now.
   */
  removeUser(id: string, at?: TimeInput): void {
    const user = this.requireUser(id);
    const now = at === undefined ? this.clock.now() : toMs(at);
    user.removedAt = now;
    for (const m of this.members.values()) if (m.userId === id && m.removedAt === null) m.removedAt = now;
  }

  private requireUser(id: string): SimUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`no user ${id} in the simulated organisation`);
    return u;
  }

  private requireWorkspace(id: string): SimWorkspace {
    const w = this.workspaces.get(id);
    if (!w) throw new Error(`no workspace ${id} in the simulated organisation`);
    return w;
  }
}

export function memberKey(workspaceId: string, userId: string): string {
  return `${workspaceId}/${userId}`;
}
