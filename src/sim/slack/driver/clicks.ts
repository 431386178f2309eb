/**
 * A click on a button (or a pick in a select/overflow) as Slack delivers it: a block_actions
 * payload whose container is the message or the view clicked in. Unless forced, the click must
 * be one a real Slack client could make (the element exists, the user can see it).
 */
import type { DeliveryOptions } from '../delivery.js';
import { actionFor, findElement, teamRef, userRef, type FoundElement } from '../payloads.js';
import { messageJson, viewJson } from '../shapes.js';
import { submissionState } from '../submission.js';
import type { JsonObject } from '../types.js';
import type { AppDelivery } from './app-delivery.js';
import { responseUrlHandle } from './response-url-handle.js';
import type { ButtonClickResult, ClickInput } from './types.js';

type ViewClick = Extract<ClickInput, { viewId: string }>;
type MessageClick = Extract<ClickInput, { channel: string }>;

export async function deliverClick(
  app: AppDelivery,
  input: ClickInput,
  opts: DeliveryOptions,
): Promise<ButtonClickResult> {
  const force = input.force ?? false;
  if (!app.ctx.state.user(input.userId) && !force) throw new Error(`no user ${input.userId}`);
  const actionTs = app.ctx.state.nextTs();
  const base: JsonObject = {
    type: 'block_actions',
    user: userRef(app.ctx.state, input.userId),
    api_app_id: app.ctx.state.appId,
    token: app.ctx.verificationToken,
  };
  return input.viewId !== undefined
    ? clickInView(app, input, { base, actionTs, force }, opts)
    : clickInMessage(app, input, { base, actionTs, force }, opts);
}

interface ClickStart {
  base: JsonObject;
  actionTs: string;
  force: boolean;
}

async function clickInView(
  app: AppDelivery,
  input: ViewClick,
  { base, actionTs, force }: ClickStart,
  opts: DeliveryOptions,
): Promise<ButtonClickResult> {
  const { state } = app.ctx;
  const view = state.views.get(input.viewId);
  if (!force) {
    if (!view || view.user !== input.userId) throw new Error(`view ${input.viewId} is not on ${input.userId}'s screen`);
    if (view.type === 'modal' && !view.open) throw new Error(`view ${input.viewId} is closed`);
  }
  const found = view ? findElement(view.blocks, input.actionId, input.blockId) : undefined;
  if (!found && !force) throw new Error(`no element ${input.actionId} in view ${input.viewId}`);
  const trigger = state.issueTrigger(input.userId, view?.type === 'modal' ? view.id : undefined);
  if (view && input.values) state.setViewValues(view, submissionState(view, input.values, true));
  const payload: JsonObject = {
    ...base,
    container: { type: 'view', view_id: input.viewId },
    trigger_id: trigger.id,
    team: teamRef(state),
    enterprise: null,
    is_enterprise_install: false,
    view: view ? viewJson(view) : { id: input.viewId },
    actions: [clickedAction(found, input, actionTs, force)],
  };
  const res = await app.sendPayload(payload, opts);
  // Slack gives clicks in views no response_url.
  return { ...res, triggerId: trigger.id, payload, responseUrl: undefined, responses: () => [] };
}

async function clickInMessage(
  app: AppDelivery,
  input: MessageClick,
  { base, actionTs, force }: ClickStart,
  opts: DeliveryOptions,
): Promise<ButtonClickResult> {
  const { state } = app.ctx;
  const channel = state.channel(input.channel);
  if (!channel && !force) throw new Error(`no channel ${input.channel}`);
  const message = state.message(input.channel, input.ts);
  const ephemeral = message ? undefined : state.ephemeral(input.channel, input.ts);
  if (!force) {
    if (!message && !ephemeral) throw new Error(`no message ${input.ts} in ${input.channel}`);
    if (ephemeral && ephemeral.user !== input.userId)
      throw new Error(`ephemeral ${input.ts} is not visible to ${input.userId}`);
    const canSee = channel!.kind === 'im' ? channel!.user === input.userId : channel!.members.has(input.userId);
    if (!canSee) throw new Error(`${input.userId} is not in ${input.channel}`);
  }
  const blocks = message?.blocks ?? ephemeral?.blocks;
  const found = findElement(blocks, input.actionId, input.blockId);
  if (!found && !force) throw new Error(`no element ${input.actionId} in message ${input.ts}`);
  const trigger = state.issueTrigger(input.userId);
  const record = state.issueResponseUrl({
    kind: 'action',
    user: input.userId,
    channel: input.channel,
    messageTs: input.ts,
    messageIsEphemeral: ephemeral !== undefined,
  });
  const payload: JsonObject = {
    ...base,
    container: {
      type: 'message',
      message_ts: input.ts,
      channel_id: input.channel,
      is_ephemeral: ephemeral !== undefined,
    },
    trigger_id: trigger.id,
    team: teamRef(state),
    enterprise: null,
    is_enterprise_install: false,
    channel: {
      id: input.channel,
      name: channel ? (channel.kind === 'im' ? 'directmessage' : channel.name) : 'unknown',
    },
    state: { values: {} },
    response_url: record.url,
    actions: [clickedAction(found, input, actionTs, force)],
  };
  // Slack leaves the message out for ephemeral containers.
  if (message) payload.message = messageJson(message);
  else if (!ephemeral && force)
    payload.message = { type: 'message', ts: input.ts, text: '', user: state.botUserId, bot_id: state.botId };
  const res = await app.sendPayload(payload, opts);
  return { ...res, triggerId: trigger.id, payload, ...responseUrlHandle(record) };
}

/** The `actions[0]` entry: the element's own when it was found, else (forced) a bare button. */
function clickedAction(
  found: FoundElement | undefined,
  input: ClickInput,
  actionTs: string,
  force: boolean,
): JsonObject {
  if (found) return actionFor(found, { value: input.value, actionTs, force });
  return {
    action_id: input.actionId,
    block_id: input.blockId ?? '',
    type: 'button',
    value: input.value ?? '',
    action_ts: actionTs,
  };
}
