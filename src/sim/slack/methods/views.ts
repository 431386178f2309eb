import { describeIssues, LIMITS, validateView } from '../blocks.js';
import { invalidArguments, SlackApiError } from '../errors.js';
import { viewJson } from '../shapes.js';
import type { WorkspaceState } from '../state.js';
import type { JsonObject, SimView } from '../types.js';
import type { Args } from '../args.js';
import type { MethodHandler, MethodTable } from './common.js';

/**
 * Decodes and checks a `view` argument. Slack answers a malformed view with
 * invalid_arguments and "[ERROR] … [json-pointer:/view/…]" messages.
 */
export function readView(args: Args, expectType?: 'modal' | 'home'): JsonObject {
  const raw = args.raw.view;
  if (raw === undefined || raw === null || raw === '') throw invalidArguments('missing required field: view');
  let view: unknown = raw;
  if (typeof raw === 'string') {
    if (Buffer.byteLength(raw) > LIMITS.viewBytes) throw new SlackApiError('view_too_large');
    try {
      view = JSON.parse(raw) as unknown;
    } catch {
      throw invalidArguments('invalid JSON in view [json-pointer:/view]');
    }
  } else if (Buffer.byteLength(JSON.stringify(raw)) > LIMITS.viewBytes) {
    throw new SlackApiError('view_too_large');
  }
  checkView(view, expectType);
  return view as JsonObject;
}

export function checkView(view: unknown, expectType?: 'modal' | 'home'): void {
  const issues = validateView(view);
  if (expectType && issues.length === 0 && (view as JsonObject).type !== expectType) {
    issues.push({ pointer: '/view/type', message: `must be ${expectType}` });
  }
  if (issues.length > 0) {
    throw new SlackApiError('invalid_arguments', { messages: describeIssues(issues).messages });
  }
}

function assertExternalIdFree(state: WorkspaceState, view: JsonObject, except?: SimView): void {
  const ext = view.external_id;
  if (typeof ext !== 'string' || ext === '') return;
  const holder = state.viewByExternalId(ext);
  if (holder && holder !== except) throw new SlackApiError('duplicate_external_id');
}

function triggerArg(args: Args): string {
  const t = args.str('trigger_id') ?? args.str('interactivity_pointer');
  if (!t) throw invalidArguments('missing required field: trigger_id');
  return t;
}

/** views.open and views.push take the same arguments and checks; they differ in where the modal goes. */
function showModal(place: (state: WorkspaceState, user: string, view: JsonObject) => SimView): MethodHandler {
  return ({ state, args }) => {
    const trigger = triggerArg(args);
    const view = readView(args, 'modal');
    const t = state.exchangeTrigger(trigger);
    assertExternalIdFree(state, view);
    return { view: viewJson(place(state, t.user, view)) };
  };
}

export const viewMethods: MethodTable = {
  'views.open': showModal((state, user, view) => state.openModal(user, view)),
  'views.push': showModal((state, user, view) => state.pushModal(user, view)),

  'views.update': ({ state, args }) => {
    const viewId = args.str('view_id');
    const externalId = args.str('external_id');
    if (!viewId && !externalId) throw invalidArguments('missing required field: view_id or external_id');
    const existing = viewId ? state.views.get(viewId) : state.viewByExternalId(externalId!);
    // A modal the user already closed is gone for good.
    if (!existing || (existing.type === 'modal' && !existing.open)) throw new SlackApiError('not_found');
    const view = readView(args, existing.type);
    const hash = args.str('hash');
    if (hash && hash !== existing.hash) throw new SlackApiError('hash_conflict');
    assertExternalIdFree(state, view, existing);
    state.applyViewContent(existing, view);
    return { view: viewJson(existing) };
  },

  'views.publish': ({ state, args }) => {
    const userId = args.str('user_id');
    if (!userId) throw invalidArguments('missing required field: user_id');
    const user = state.user(userId);
    if (!user || user.deleted) throw new SlackApiError('user_not_found');
    const view = readView(args, 'home');
    const existing = state.homeView(userId);
    const hash = args.str('hash');
    if (existing && hash && hash !== existing.hash) throw new SlackApiError('hash_conflict');
    assertExternalIdFree(state, view, existing);
    return { view: viewJson(state.publishHome(userId, view)) };
  },
};
