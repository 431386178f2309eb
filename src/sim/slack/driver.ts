/**
 * The Slack platform's side of the conversation with our app: it delivers slash
 * commands, button clicks, modal submissions and events to the app's Request URL,
 * signed, with Slack's content types and payload shapes, and applies what the app
 * answers (response_action, slash command replies) to the simulated workspace.
 * Each kind of delivery has its file under ./driver/; this class is the one handle tests use.
 */
import type { DeliveredRequest, DeliveryOptions, DriverResponse } from './delivery.js';
import { AppDelivery } from './driver/app-delivery.js';
import { deliverClick } from './driver/clicks.js';
import { deliverAppHomeOpened, deliverEvent, deliverUrlVerification } from './driver/events.js';
import { deliverClose, deliverSubmission } from './driver/modals.js';
import { deliverSlashCommand } from './driver/slash-command.js';
import type {
  ButtonClickResult,
  ClickInput,
  DriverContext,
  EventResult,
  SlashCommandInput,
  SlashCommandResult,
  SubmitInput,
  ViewSubmissionResult,
} from './driver/types.js';
import { slackId } from './ids.js';
import type { JsonObject } from './types.js';

export type * from './driver/types.js';

export class SlackPlatformDriver {
  private readonly app: AppDelivery;

  constructor(ctx: DriverContext) {
    this.app = new AppDelivery(ctx);
  }

  /** Sends a raw body to the app, signed as Slack signs (or mis-signed, on request). */
  send(rawBody: string, contentType: string, opts: DeliveryOptions = {}): Promise<DriverResponse> {
    return this.app.send(rawBody, contentType, opts);
  }

  /** Delivers the same request again, freshly signed, as Slack's retries do (over the socket: a new envelope, retry_attempt + 1). */
  resend(request: DeliveredRequest, opts: DeliveryOptions = {}): Promise<DriverResponse> {
    return this.app.resend(request, opts);
  }

  slashCommand(input: SlashCommandInput, opts: DeliveryOptions = {}): Promise<SlashCommandResult> {
    return deliverSlashCommand(this.app, input, opts);
  }

  /** A click on a button (or a pick in a select/overflow) in a message or in a view. */
  clickButton(input: ClickInput, opts: DeliveryOptions = {}): Promise<ButtonClickResult> {
    return deliverClick(this.app, input, opts);
  }

  submitView(input: SubmitInput, opts: DeliveryOptions = {}): Promise<ViewSubmissionResult> {
    return deliverSubmission(this.app, input, opts);
  }

  /** The user dismisses the modal; the app hears of it only when the view asked (notify_on_close). */
  closeView(
    input: { userId: string; viewId: string },
    opts: DeliveryOptions = {},
  ): Promise<DriverResponse | undefined> {
    return deliverClose(this.app, input, opts);
  }

  /** Any Events API event, wrapped in Slack's event_callback envelope. */
  event(event: JsonObject, opts: DeliveryOptions & { eventId?: string } = {}): Promise<EventResult> {
    return deliverEvent(this.app, event, opts);
  }

  /** The user opens the app's Home tab (or its Messages tab). */
  appHomeOpened(userId: string, tab: 'home' | 'messages' = 'home', opts: DeliveryOptions = {}): Promise<EventResult> {
    return deliverAppHomeOpened(this.app, userId, tab, opts);
  }

  /** Slack's handshake when a Request URL is saved in the app config. */
  urlVerification(
    challenge = slackId('').toLowerCase(),
    opts: DeliveryOptions = {},
  ): Promise<DriverResponse & { challenge: string }> {
    return deliverUrlVerification(this.app, challenge, opts);
  }
}

export { SlackClientRefusal } from './client-refusal.js';
