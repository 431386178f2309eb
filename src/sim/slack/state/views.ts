import { randomInt } from 'node:crypto';
import { SlackApiError } from '../errors.js';
import { slackId } from '../ids.js';
import { withGeneratedIds } from '../shapes.js';
import type { Json, JsonObject, SimView } from '../types.js';
import type { StateContext } from './context.js';

/** How many views a modal may stack (views.push: push_limit_reached past this). */
export const MAX_MODAL_STACK = 3;

/** Where a view sits in a modal stack (views.push). */
export interface ViewLinks {
  root?: string | null;
  previous?: string | null;
}

/** What is on people's screens: modal stacks and App Home tabs. */
export class ViewStore {
  readonly views = new Map<string, SimView>();
  /** Each user's open modal: view ids from root to top. */
  readonly modalStacks = new Map<string, string[]>();
  readonly homeViews = new Map<string, string>();

  constructor(private readonly ctx: StateContext) {}

  newHash(): string {
    return `${this.ctx.nowSec()}.${randomInt(10_000_000, 99_999_999)}`;
  }

  /** Stores a view object as Slack would hold it (ids filled in, fresh hash). */
  createView(user: string, view: JsonObject, links: ViewLinks = {}): SimView {
    const id = slackId('V');
    const v: SimView = {
      id,
      team_id: this.ctx.team.id,
      type: view.type === 'home' ? 'home' : 'modal',
      user,
      title: null,
      submit: null,
      close: null,
      blocks: [],
      private_metadata: '',
      callback_id: '',
      external_id: '',
      hash: '',
      state: { values: {} },
      root_view_id: links.root === undefined ? id : links.root,
      previous_view_id: links.previous ?? null,
      clear_on_close: false,
      notify_on_close: false,
      app_id: this.ctx.appId,
      bot_id: this.ctx.botId,
      app_installed_team_id: this.ctx.team.id,
      open: true,
      errors: undefined,
    };
    this.fill(v, view);
    this.views.set(id, v);
    return v;
  }

  /** Replaces a view's content in place (views.update, response_action: update). */
  applyViewContent(v: SimView, view: JsonObject): void {
    this.fill(v, view);
    this.changed(v);
  }

  /** What the user has typed into a view's inputs so far (kept in `state.values`). */
  setValues(v: SimView, values: SimView['state']['values']): void {
    v.state = { values: { ...v.state.values, ...values } };
    this.changed(v);
  }

  /** Field errors the app answered with (`response_action: errors`), shown under the inputs. */
  setErrors(v: SimView, errors: Record<string, string> | undefined): void {
    v.errors = errors;
    this.changed(v);
  }

  private changed(v: SimView): void {
    if (v.type === 'home') this.ctx.emit({ kind: 'home.published', user: v.user });
    else this.ctx.emit({ kind: 'view.updated', viewId: v.id, user: v.user });
  }

  private fill(v: SimView, view: JsonObject): void {
    const plain = (x: Json | undefined): JsonObject | null =>
      x && typeof x === 'object' && !Array.isArray(x) ? { emoji: true, ...x } : null;
    const previousValues = v.state.values;
    v.blocks = withGeneratedIds(view.blocks);
    v.title = plain(view.title);
    v.submit = plain(view.submit);
    v.close = plain(view.close);
    v.private_metadata = typeof view.private_metadata === 'string' ? view.private_metadata : '';
    v.callback_id = typeof view.callback_id === 'string' ? view.callback_id : '';
    v.external_id = typeof view.external_id === 'string' ? view.external_id : '';
    v.clear_on_close = view.clear_on_close === true;
    v.notify_on_close = view.notify_on_close === true;
    v.hash = this.newHash();
    v.errors = undefined;
    // Entered input survives an update when block_id and action_id stay the same.
    const kept: SimView['state']['values'] = {};
    for (const b of v.blocks) {
      if (!b || typeof b !== 'object' || Array.isArray(b) || typeof b.block_id !== 'string') continue;
      const prev = previousValues[b.block_id];
      if (prev) kept[b.block_id] = prev;
    }
    v.state = { values: kept };
  }

  viewByExternalId(externalId: string): SimView | undefined {
    for (const v of this.views.values()) if (v.external_id === externalId && (v.open || v.type === 'home')) return v;
    return undefined;
  }

  /** The modal stack a user has open (root first), or an empty list. */
  modalStack(userId: string): SimView[] {
    return (this.modalStacks.get(userId) ?? []).map((id) => this.views.get(id)!).filter(Boolean);
  }

  openModal(userId: string, view: JsonObject): SimView {
    this.closeModal(userId);
    const v = this.createView(userId, view);
    this.modalStacks.set(userId, [v.id]);
    this.ctx.emit({ kind: 'view.opened', viewId: v.id, user: userId });
    return v;
  }

  pushModal(userId: string, view: JsonObject): SimView {
    const stack = this.modalStacks.get(userId);
    if (!stack || stack.length === 0) throw new SlackApiError('not_found');
    if (stack.length >= MAX_MODAL_STACK) throw new SlackApiError('push_limit_reached');
    const top = stack[stack.length - 1]!;
    const v = this.createView(userId, view, { root: stack[0]!, previous: top });
    stack.push(v.id);
    this.ctx.emit({ kind: 'view.pushed', viewId: v.id, user: userId });
    return v;
  }

  /** Pops the top view of a user's modal (closing the modal when it was the root). */
  popModal(userId: string): void {
    const stack = this.modalStacks.get(userId);
    if (!stack) return;
    const id = stack.pop();
    if (stack.length === 0) this.modalStacks.delete(userId);
    if (id) this.close(this.views.get(id)!);
  }

  closeModal(userId: string): void {
    const stack = this.modalStack(userId);
    this.modalStacks.delete(userId);
    for (const v of stack.reverse()) this.close(v);
  }

  private close(v: SimView): void {
    v.open = false;
    this.ctx.emit({ kind: 'view.closed', viewId: v.id, user: v.user });
  }

  homeView(userId: string): SimView | undefined {
    const id = this.homeViews.get(userId);
    return id ? this.views.get(id) : undefined;
  }

  /** views.publish: creates the user's Home tab or replaces its content. */
  publishHome(userId: string, view: JsonObject): SimView {
    const existing = this.homeView(userId);
    if (existing) {
      this.applyViewContent(existing, view);
      return existing;
    }
    const v = this.createView(userId, view);
    this.homeViews.set(userId, v.id);
    this.ctx.emit({ kind: 'home.published', user: userId });
    return v;
  }
}
