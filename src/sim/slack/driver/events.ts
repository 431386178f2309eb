/**
 * Events API deliveries: any event wrapped in Slack's event_callback envelope, the
 * app_home_opened event, and the url_verification handshake sent when a Request URL is saved.
 */
import type { DeliveryOptions, DriverResponse } from '../delivery.js';
import { slackId } from '../ids.js';
import { viewJson } from '../shapes.js';
import type { JsonObject } from '../types.js';
import type { AppDelivery } from './app-delivery.js';
import type { EventResult } from './types.js';

/** Any Events API event, wrapped in Slack's event_callback envelope. */
export async function deliverEvent(
  app: AppDelivery,
  event: JsonObject,
  opts: DeliveryOptions & { eventId?: string },
): Promise<EventResult> {
  const { state } = app.ctx;
  const now = state.now();
  const eventId = opts.eventId ?? slackId('Ev');
  const inner: JsonObject = { ...event };
  if (inner.event_ts === undefined) inner.event_ts = state.nextTs();
  const payload: JsonObject = {
    token: app.ctx.verificationToken,
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
  const res = await app.sendEvent(payload, opts);
  return { ...res, eventId, payload };
}

/** The user opens the app's Home tab (or its Messages tab). */
export function deliverAppHomeOpened(
  app: AppDelivery,
  userId: string,
  tab: 'home' | 'messages',
  opts: DeliveryOptions,
): Promise<EventResult> {
  const { state } = app.ctx;
  const dm = state.openDm(userId);
  const event: JsonObject = { type: 'app_home_opened', user: userId, channel: dm.id, tab };
  const home = state.homeView(userId);
  if (tab === 'home' && home) event.view = viewJson(home);
  return deliverEvent(app, event, opts);
}

/** Slack's handshake when a Request URL is saved in the app config. */
export async function deliverUrlVerification(
  app: AppDelivery,
  challenge: string,
  opts: DeliveryOptions,
): Promise<DriverResponse & { challenge: string }> {
  const body = JSON.stringify({ token: app.ctx.verificationToken, challenge, type: 'url_verification' });
  const res = await app.send(body, 'application/json', opts);
  return { ...res, challenge };
}
