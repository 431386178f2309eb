/**
 * What the driver is given (its context) and what each of its deliveries takes and returns:
 * the app's answer (DriverResponse, ../delivery.ts) plus what Slack would have handed the user.
 */
import type { DriverResponse, SocketTransport } from '../delivery.js';
import type { SubmittedValues } from '../submission.js';
import type { WorkspaceState } from '../state.js';
import type { JsonObject, ResponseUrlPost, SimView } from '../types.js';

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
