/**
 * A modal's submission and dismissal as Slack delivers them (view_submission, view_closed),
 * and what Slack does with the app's answer to a submission: close the modal on an empty
 * ack, or apply its response_action: errors, update, push or clear
 * (https://docs.slack.dev/tools/bolt-js/reference/type-aliases/ViewResponseAction).
 */
import type { DeliveryOptions, DriverResponse } from '../delivery.js';
import { SlackApiError } from '../errors.js';
import { checkView } from '../methods/views.js';
import { SlackClientRefusal } from '../client-refusal.js';
import { teamRef, userRef } from '../payloads.js';
import { viewJson } from '../shapes.js';
import { submissionState } from '../submission.js';
import type { JsonObject, SimView } from '../types.js';
import type { AppDelivery } from './app-delivery.js';
import type { SubmitInput, ViewSubmissionResult } from './types.js';

export async function deliverSubmission(
  app: AppDelivery,
  input: SubmitInput,
  opts: DeliveryOptions,
): Promise<ViewSubmissionResult> {
  const { state } = app.ctx;
  const force = input.force ?? false;
  const view = state.views.get(input.viewId);
  if (!view || view.type !== 'modal') throw new Error(`no modal ${input.viewId}`);
  if (!force) {
    if (view.user !== input.userId) throw new Error(`view ${input.viewId} is not on ${input.userId}'s screen`);
    const stack = state.modalStack(input.userId);
    if (!view.open || stack[stack.length - 1] !== view) throw new Error(`view ${input.viewId} is not the open modal`);
    if (!view.submit) throw new SlackClientRefusal(`view ${input.viewId} has no submit button`);
  }
  const values = submissionState(view, input.values ?? {}, force);
  state.setViewValues(view, values);
  const trigger = state.issueTrigger(input.userId, view.id);
  const payload: JsonObject = {
    type: 'view_submission',
    team: teamRef(state),
    user: userRef(state, input.userId),
    api_app_id: state.appId,
    token: app.ctx.verificationToken,
    trigger_id: trigger.id,
    view: viewJson(view),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  const res = await app.sendPayload(payload, opts);
  const result: ViewSubmissionResult = {
    ...res,
    triggerId: trigger.id,
    payload,
    responseAction: undefined,
    errors: undefined,
    view: undefined,
    rejected: undefined,
  };
  const top = (): SimView | undefined => {
    const stack = state.modalStack(view.user);
    return stack[stack.length - 1];
  };
  if (res.status !== 200) {
    result.rejected = `app answered HTTP ${res.status}`;
  } else if (res.late) {
    result.rejected = `app answered after ${Math.round(res.elapsedMs)} ms (Slack waits ${app.ctx.ackDeadlineMs} ms)`;
  } else if (
    res.body === undefined ||
    (typeof res.body === 'object' && res.body !== null && Object.keys(res.body).length === 0)
  ) {
    state.popModal(view.user);
  } else if (typeof res.body !== 'object' || res.body === null) {
    result.rejected = 'app answered a non-JSON body';
  } else {
    applyResponseAction(app, view, res.body as Record<string, unknown>, result);
  }
  result.view = top();
  return result;
}

function applyResponseAction(
  app: AppDelivery,
  view: SimView,
  body: Record<string, unknown>,
  result: ViewSubmissionResult,
): void {
  const { state } = app.ctx;
  const action = body.response_action;
  try {
    switch (action) {
      case 'errors': {
        const errors = body.errors;
        if (!errors || typeof errors !== 'object') throw new SlackApiError('invalid_errors');
        result.responseAction = 'errors';
        result.errors = errors as Record<string, string>;
        state.setViewErrors(view, result.errors);
        return;
      }
      case 'update':
        checkView(body.view, 'modal');
        result.responseAction = 'update';
        state.applyViewContent(view, body.view as JsonObject);
        return;
      case 'push':
        checkView(body.view, 'modal');
        result.responseAction = 'push';
        state.pushModal(view.user, body.view as JsonObject);
        return;
      case 'clear':
        result.responseAction = 'clear';
        state.closeModal(view.user);
        return;
      default:
        result.rejected = `unknown response_action ${JSON.stringify(action)}`;
    }
  } catch (err) {
    result.rejected =
      err instanceof SlackApiError
        ? `${err.error}${err.messages.length ? `: ${err.messages.join('; ')}` : ''}`
        : String(err);
  }
}

/** The user dismisses the modal; the app hears of it only when the view asked (notify_on_close). */
export async function deliverClose(
  app: AppDelivery,
  input: { userId: string; viewId: string },
  opts: DeliveryOptions,
): Promise<DriverResponse | undefined> {
  const { state } = app.ctx;
  const view = state.views.get(input.viewId);
  if (!view || view.type !== 'modal' || !view.open || view.user !== input.userId)
    throw new Error(`view ${input.viewId} is not open for ${input.userId}`);
  const isCleared = view.clear_on_close;
  if (isCleared) state.closeModal(input.userId);
  else state.popModal(input.userId);
  if (!view.notify_on_close) return undefined;
  return app.sendPayload(
    {
      type: 'view_closed',
      team: teamRef(state),
      user: userRef(state, input.userId),
      api_app_id: state.appId,
      token: app.ctx.verificationToken,
      view: viewJson(view),
      is_cleared: isCleared,
      is_enterprise_install: false,
      enterprise: null,
    },
    opts,
  );
}
