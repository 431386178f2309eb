import { slackId } from '../ids.js';
import type { SimUser } from '../types.js';
import type { StateContext } from './context.js';

export interface NewUser {
  id?: string;
  name?: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  deleted?: boolean;
  tz?: string;
  tz_label?: string;
  tz_offset?: number;
}

/** The people (and bots) of the workspace. */
export class UserDirectory {
  readonly users = new Map<string, SimUser>();

  constructor(private readonly ctx: StateContext) {}

  defaults(id: string, name: string): SimUser {
    return {
      id,
      team_id: this.ctx.team.id,
      name,
      real_name: name,
      display_name: name,
      email: undefined,
      is_bot: false,
      is_app_user: false,
      is_admin: false,
      is_owner: false,
      deleted: false,
      tz: 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      bot_id: undefined,
      updated: this.ctx.nowSec(),
    };
  }

  /** Stores a fully formed user (the app's own bot user at start). */
  put(user: SimUser): SimUser {
    this.users.set(user.id, user);
    this.ctx.emit({ kind: 'user.changed', user: user.id });
    return user;
  }

  add(u: NewUser = {}): SimUser {
    const id = u.id ?? slackId('U');
    if (this.users.has(id)) throw new Error(`user ${id} already exists`);
    const name = u.name ?? (u.email ? u.email.split('@')[0]! : id.toLowerCase());
    return this.put({
      ...this.defaults(id, name),
      real_name: u.real_name ?? name,
      display_name: u.display_name ?? u.real_name ?? name,
      email: u.email,
      is_bot: u.is_bot ?? false,
      is_admin: u.is_admin ?? false,
      is_owner: u.is_owner ?? false,
      deleted: u.deleted ?? false,
      tz: u.tz ?? 'Europe/London',
      tz_label: u.tz_label ?? 'Greenwich Mean Time',
      tz_offset: u.tz_offset ?? 0,
      bot_id: u.is_bot ? slackId('B') : undefined,
    });
  }

  update(id: string, patch: Partial<Omit<SimUser, 'id'>>): SimUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`no user ${id}`);
    Object.assign(u, patch, { updated: this.ctx.nowSec() });
    this.ctx.emit({ kind: 'user.changed', user: id });
    return u;
  }

  get(id: string): SimUser | undefined {
    return this.users.get(id);
  }

  byEmail(email: string): SimUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const u of this.users.values()) if (u.email?.toLowerCase() === wanted) return u;
    return undefined;
  }

  list(): SimUser[] {
    return [...this.users.values()];
  }
}
