/**
 * The Slack platform's side of the conversation with our app: it delivers slash
 * commands, button clicks, modal submissions and events to the app's Request URL,
 * signed, with Slack's content types and payload shapes, and applies what the app
 * answers (response_action, slash command replies) to the simulated workspace.
 */
import { checkView } from './methods/views.js';
import { SlackApiError } from './errors.js';
import { slackId } from './ids.js';
import {
  actionFor,
  findElement,
  SlackClientRefusal,
  submissionState,
  teamRef,
  userRef,
  type SubmittedValues,
} from './payloads.js';
import { applyResponseUrlPost } from './response-url.js';
import { messageJson, viewJson } from './shapes.js';
import { signSlackRequest } from './sign.js';
import type { EnvelopeType } from './socket-frames.js';
import type { SocketTransport } from './socket-mode.js';
import type { WorkspaceState } from './state.js';
import type { JsonObject, ResponseUrlPost, ResponseUrlRecord, SimView } from './types.js';

export interface DeliveryOptions {
  /** Sets `x-slack-retry-num` (Slack's retries count from 1). */
  retryNum?: number;
  /** Sets `x-slack-retry-reason` (http_timeout, http_error, connection_failed…). */
  retryReason?: string;
  /** Signs with this timestamp (seconds) instead of now. */
  timestampSeconds?: number;
  /** Backdates the timestamp by this many seconds (still signed correctly): a replayed request. */
  staleBySeconds?: number;
  /** 'invalid' signs with a wrong MAC, 'missing' sends neither signature nor timestamp. */
  signature?: 'valid' | 'invalid' | 'missing';
  /** Signs with another secret (an attacker's). */
  signingSecret?: string;
  /** Delivers somewhere other than the configured Request URL. */
  url?: string;
  /** Gives up on the app after this long (default 30 s); the result then has status 0. */
  timeoutMs?: number;
  /**
   * 'http' posts to the Request URL even when the sim is in socket mode (the default is the
   * socket then). Signature options only apply to HTTP: a socket is pre-authenticated.
   */
  transport?: 'http' | 'socket';
}

export interface DeliveredRequest {
  url: string;
  contentType: string;
  rawBody: string;
  /** Set when it went over a Socket Mode connection (url is then the socket's, rawBody the envelope). */
  socket?: { type: EnvelopeType; payload: JsonObject; envelopeId: string; retryAttempt: number };
}

export interface DriverResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The response body decoded as JSON when it is JSON, else the text (undefined when empty). */
  body: unknown;
  elapsedMs: number;
  /** Slack waits 3 seconds for an acknowledgement; a later answer is one Slack ignores. */
  late: boolean;
  /** What was sent, for resend() and for inspection. */
  request: DeliveredRequest;
  /** Socket Mode only: the envelope, the connection it went on, and the app's ack frame (undefined if none came). */
  socket?: { envelopeId: string; connection: string; ack: Record<string, unknown> | undefined };
}

export interface WithResponseUrl {
  responseUrl: string;
  /** Everything the app has posted to this request's response_url so far. */
  responses: () => ResponseUrlPost[];
}

export interface SlashCommandResult extends DriverResponse, WithResponseUrl {
  triggerId: string;
}

export interface ButtonClickResult extends DriverResponse {
  triggerId: string;
  payload: JsonObject;
  /** Absent for clicks in views (Slack gives those no response_url). */
  responseUrl: string | undefined;
  responses: () => ResponseUrlPost[];
}

export interface ViewSubmissionResult extends DriverResponse {
  triggerId: string;
  payload: JsonObject;
  /** The response_action the app answered with, if any. */
  responseAction: 'errors' | 'update' | 'push' | 'clear' | undefined;
  /** Field errors (block_id → message) from `response_action: errors`. */
  errors: Record<string, string> | undefined;
  /** The view now on top of the user's modal, or undefined when the modal closed. */
  view: SimView | undefined;
  /** Why Slack would have shown the user an error instead of applying the answer. */
  rejected: string | undefined;
}

export interface EventResult extends DriverResponse {
  eventId: string;
  payload: JsonObject;
}

export interface DriverContext {
  state: WorkspaceState;
  requestUrl: () => string | undefined;
  signingSecret: string;
  verificationToken: string;
  ackDeadlineMs: number;
  /** The Socket Mode transport while the sim is in socket mode; undefined means HTTP. */
  socket?: () => SocketTransport | undefined;
}

export interface SlashCommandInput {
  userId: string;
  command?: string;
  text?: string;
  /** Where the command was typed (default: the user's DM with the app). */
  channelId?: string;
}

export type ClickInput = {
  userId: string;
  actionId: string;
  blockId?: string;
  /** The button's value (must match it unless forced), or the option/user picked in a select. */
  value?: string;
  /** For clicks in a modal: what the user has typed so far, carried in `view.state.values`. */
  values?: SubmittedValues;
  /** Skip the checks a real Slack client implies (the element exists, the user can see it). */
  force?: boolean;
} & ({ channel: string; ts: string; viewId?: undefined } | { viewId: string; channel?: undefined; ts?: undefined });

export interface SubmitInput {
  userId: string;
  viewId: string;
  values?: SubmittedValues;
  force?: boolean;
}

function responseHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

function decode(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if ((contentType ?? '').includes('json') || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export class SlackPlatformDriver {
  constructor(private readonly ctx: DriverContext) {}

  private get state(): WorkspaceState {
    return this.ctx.state;
  }

  /** Sends a raw body to the app, signed as Slack signs (or mis-signed, on request). */
  async send(rawBody: string, contentType: string, opts: DeliveryOptions = {}): Promise<DriverResponse> {
    const url = opts.url ?? this.ctx.requestUrl();
    if (!url) throw new Error('no requestUrl: set one with sim.setRequestUrl() before driving the app');
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    const signature = opts.signature ?? 'valid';
    if (signature !== 'missing') {
      const ts = opts.timestampSeconds ?? Math.floor(Date.now() / 1000) - (opts.staleBySeconds ?? 0);
      const signed = signSlackRequest(opts.signingSecret ?? this.ctx.signingSecret, rawBody, ts);
      headers['x-slack-request-timestamp'] = signed['x-slack-request-timestamp'];
      headers['x-slack-signature'] =
        signature === 'invalid'
          ? signed['x-slack-signature'].replace(/.{8}$/, '00000000')
          : signed['x-slack-signature'];
    }
    if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
    const request: DeliveredRequest = { url, contentType, rawBody };
    const started = performance.now();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: rawBody,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
      const text = await res.text();
      const elapsedMs = performance.now() - started;
      return {
        status: res.status,
        headers: responseHeaders(res),
        text,
        body: decode(text, res.headers.get('content-type') ?? undefined),
        elapsedMs,
        late: elapsedMs > this.ctx.ackDeadlineMs,
        request,
      };
    } catch (err) {
      const elapsedMs = performance.now() - started;
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        return { status: 0, headers: {}, text: '', body: undefined, elapsedMs, late: true, request };
      }
      throw err;
    }
  }

  /** Delivers the same request again, freshly signed, as Slack's retries do (over the socket: a new envelope, retry_attempt + 1). */
  resend(request: DeliveredRequest, opts: DeliveryOptions = {}): Promise<DriverResponse> {
    if (request.socket) {
      const socket = this.ctx.socket?.();
      if (!socket) throw new Error('cannot resend a Socket Mode envelope: the sim is no longer in socket mode');
      return socket.deliver(request.socket.type, request.socket.payload, {
        retryNum: request.socket.retryAttempt + 1,
        retryReason: 'timeout',
        ...opts,
      });
    }
    return this.send(request.rawBody, request.contentType, {
      url: request.url,
      retryNum: 1,
      retryReason: 'http_timeout',
      ...opts,
    });
  }

  /** In socket mode the envelope goes over the app's connection; otherwise undefined (use HTTP). */
  private viaSocket(
    type: EnvelopeType,
    payload: JsonObject,
    opts: DeliveryOptions,
  ): Promise<DriverResponse> | undefined {
    const socket = opts.transport === 'http' ? undefined : this.ctx.socket?.();
    if (!socket) {
      if (opts.transport === 'socket')
        throw new Error('transport "socket" asked for but the sim is not in socket mode');
      return undefined;
    }
    return socket.deliver(type, payload, opts);
  }

  private postForm(fields: Record<string, string>, opts: DeliveryOptions): Promise<DriverResponse> {
    return this.send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', opts);
  }

  /** A slash command: form fields over HTTP, the same fields as a JSON payload over a socket. */
  private sendCommand(fields: Record<string, string>, opts: DeliveryOptions): Promise<DriverResponse> {
    return this.viaSocket('slash_commands', fields, opts) ?? this.postForm(fields, opts);
  }

  private sendPayload(payload: JsonObject, opts: DeliveryOptions): Promise<DriverResponse> {
    return this.viaSocket('interactive', payload, opts) ?? this.postForm({ payload: JSON.stringify(payload) }, opts);
  }

  private responseUrlHandle(record: ResponseUrlRecord): WithResponseUrl {
    return { responseUrl: record.url, responses: () => [...record.posts] };
  }

  // ---- slash commands -------------------------------------------------------------------

  async slashCommand(input: SlashCommandInput, opts: DeliveryOptions = {}): Promise<SlashCommandResult> {
    const { state } = this;
    const user = state.user(input.userId);
    if (!user) throw new Error(`no user ${input.userId}`);
    const channel = input.channelId ? state.channel(input.channelId) : state.openDm(input.userId);
    if (!channel) throw new Error(`no channel ${input.channelId}`);
    const trigger = state.issueTrigger(input.userId);
    const record = state.issueResponseUrl({ kind: 'command', user: input.userId, channel: channel.id });
    const fields: Record<string, string> = {
      token: this.ctx.verificationToken,
      team_id: state.team.id,
      team_domain: state.team.domain,
      channel_id: channel.id,
      channel_name: channel.kind === 'im' ? 'directmessage' : channel.name,
      user_id: user.id,
      user_name: user.name,
      command: input.command ?? '/steward',
      text: input.text ?? '',
      api_app_id: state.appId,
      is_enterprise_install: 'false',
      response_url: record.url,
      trigger_id: trigger.id,
    };
    const res = await this.sendCommand(fields, opts);
    // An immediate reply in the HTTP answer is shown like a response_url post.
    if (res.status === 200 && !res.late && res.body !== undefined) {
      const body = typeof res.body === 'string' ? { text: res.body } : res.body;
      applyResponseUrlPost(state, record, body, { countUse: false, source: 'command_ack' });
    }
    return { ...res, triggerId: trigger.id, ...this.responseUrlHandle(record) };
  }

  // ---- block actions ----------------------------------------------------------------------

  /** A click on a button (or a pick in a select/overflow) in a message or in a view. */
  async clickButton(input: ClickInput, opts: DeliveryOptions = {}): Promise<ButtonClickResult> {
    const { state } = this;
    const force = input.force ?? false;
    if (!state.user(input.userId) && !force) throw new Error(`no user ${input.userId}`);
    const actionTs = state.nextTs();
    const base: JsonObject = {
      type: 'block_actions',
      user: userRef(state, input.userId),
      api_app_id: state.appId,
      token: this.ctx.verificationToken,
    };

    if (input.viewId !== undefined) {
      const view = state.views.get(input.viewId);
      if (!force) {
        if (!view || view.user !== input.userId)
          throw new Error(`view ${input.viewId} is not on ${input.userId}'s screen`);
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
        actions: [
          found
            ? actionFor(found, { value: input.value, actionTs, force })
            : {
                action_id: input.actionId,
                block_id: input.blockId ?? '',
                type: 'button',
                value: input.value ?? '',
                action_ts: actionTs,
              },
        ],
      };
      const res = await this.sendPayload(payload, opts);
      return { ...res, triggerId: trigger.id, payload, responseUrl: undefined, responses: () => [] };
    }

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
      actions: [
        found
          ? actionFor(found, { value: input.value, actionTs, force })
          : {
              action_id: input.actionId,
              block_id: input.blockId ?? '',
              type: 'button',
              value: input.value ?? '',
              action_ts: actionTs,
            },
      ],
    };
    // Slack leaves the message out for ephemeral containers.
    if (message) payload.message = messageJson(message);
    else if (!ephemeral && force)
      payload.message = { type: 'message', ts: input.ts, text: '', user: state.botUserId, bot_id: state.botId };
    const res = await this.sendPayload(payload, opts);
    return { ...res, triggerId: trigger.id, payload, ...this.responseUrlHandle(record) };
  }

  // ---- modals ---------------------------------------------------------------------------

  async submitView(input: SubmitInput, opts: DeliveryOptions = {}): Promise<ViewSubmissionResult> {
    const { state } = this;
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
      token: this.ctx.verificationToken,
      trigger_id: trigger.id,
      view: viewJson(view),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const res = await this.sendPayload(payload, opts);
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
      result.rejected = `app answered after ${Math.round(res.elapsedMs)} ms (Slack waits ${this.ctx.ackDeadlineMs} ms)`;
    } else if (
      res.body === undefined ||
      (typeof res.body === 'object' && res.body !== null && Object.keys(res.body).length === 0)
    ) {
      state.popModal(view.user);
    } else if (typeof res.body !== 'object' || res.body === null) {
      result.rejected = 'app answered a non-JSON body';
    } else {
      this.applyResponseAction(view, res.body as Record<string, unknown>, result);
    }
    result.view = top();
    return result;
  }

  private applyResponseAction(view: SimView, body: Record<string, unknown>, result: ViewSubmissionResult): void {
    const { state } = this;
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
  async closeView(
    input: { userId: string; viewId: string },
    opts: DeliveryOptions = {},
  ): Promise<DriverResponse | undefined> {
    const { state } = this;
    const view = state.views.get(input.viewId);
    if (!view || view.type !== 'modal' || !view.open || view.user !== input.userId)
      throw new Error(`view ${input.viewId} is not open for ${input.userId}`);
    const isCleared = view.clear_on_close;
    if (isCleared) state.closeModal(input.userId);
    else state.popModal(input.userId);
    if (!view.notify_on_close) return undefined;
    return this.sendPayload(
      {
        type: 'view_closed',
        team: teamRef(state),
        user: userRef(state, input.userId),
        api_app_id: state.appId,
        token: this.ctx.verificationToken,
        view: viewJson(view),
        is_cleared: isCleared,
        is_enterprise_install: false,
        enterprise: null,
      },
      opts,
    );
  }

  // ---- events -----------------------------------------------------------------------------

  /** Any Events API event, wrapped in Slack's event_callback envelope. */
  async event(event: JsonObject, opts: DeliveryOptions & { eventId?: string } = {}): Promise<EventResult> {
    const { state } = this;
    const now = state.now();
    const eventId = opts.eventId ?? slackId('Ev');
    const inner: JsonObject = { ...event };
    if (inner.event_ts === undefined) inner.event_ts = state.nextTs();
    const payload: JsonObject = {
      token: this.ctx.verificationToken,
      team_id: state.team.id,
      context_team_id: state.team.id,
      context_enterprise_id: null,
      api_app_id: state.appId,
      event: inner,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(now / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: state.team.id,
          user_id: state.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(JSON.stringify({ t: state.team.id, a: state.appId })).toString('base64url')}`,
    };
    const res = await (this.viaSocket('events_api', payload, opts) ??
      this.send(JSON.stringify(payload), 'application/json', opts));
    return { ...res, eventId, payload };
  }

  /** The user opens the app's Home tab (or its Messages tab). */
  appHomeOpened(userId: string, tab: 'home' | 'messages' = 'home', opts: DeliveryOptions = {}): Promise<EventResult> {
    const { state } = this;
    const dm = state.openDm(userId);
    const event: JsonObject = { type: 'app_home_opened', user: userId, channel: dm.id, tab };
    const home = state.homeView(userId);
    if (tab === 'home' && home) event.view = viewJson(home);
    return this.event(event, opts);
  }

  /** Slack's handshake when a Request URL is saved in the app config. */
  async urlVerification(
    challenge = slackId('').toLowerCase(),
    opts: DeliveryOptions = {},
  ): Promise<DriverResponse & { challenge: string }> {
    const body = JSON.stringify({ token: this.ctx.verificationToken, challenge, type: 'url_verification' });
    const res = await this.send(body, 'application/json', opts);
    return { ...res, challenge };
  }
}

export { SlackClientRefusal };
