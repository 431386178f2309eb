/**
 * What a person does on the page, played to Steward by the Slack simulator's driver exactly
 * as Slack would: a slash command, a click (buttons, selects), a modal submission or
 * dismissal, opening the Home tab. The driver signs each request and applies Steward's
 * answer (response_action, command replies) to the workspace; the page never talks to
 * Steward itself. A person typing in a channel is a plain message in the workspace.
 */
import type { DriverResponse, SlackSim, SubmittedValues } from '../../sim/slack/index.js';
import { SlackClientRefusal } from '../../sim/slack/index.js';
import { optionalString, PageError, stringField } from './http.js';

type Body = Record<string, unknown>;

/** The person the page acts as: someone in the workspace who could use Slack now. */
export function actingUser(sim: SlackSim, body: Body): string {
  const id = stringField(body, 'as');
  const user = sim.state.user(id);
  if (!user) throw new PageError(400, 'unknown_user', `"as": no person ${id} in the workspace`);
  if (user.is_bot || id === 'USLACKBOT') throw new PageError(400, 'not_a_person', `"as": ${id} is a bot`);
  if (user.deleted) throw new PageError(403, 'user_deactivated', `"as": ${user.real_name} is deactivated in Slack`);
  return id;
}

function submittedValues(body: Body): SubmittedValues {
  const raw = body.values;
  if (raw === undefined || raw === null) return {};
  const bad = () =>
    new PageError(400, 'invalid_values', '"values" must map block_id to { action_id: string | string[] | null }');
  if (typeof raw !== 'object' || Array.isArray(raw)) throw bad();
  const out: SubmittedValues = {};
  for (const [blockId, actions] of Object.entries(raw as Body)) {
    if (!actions || typeof actions !== 'object' || Array.isArray(actions)) throw bad();
    const entry: Record<string, string | string[] | null> = {};
    for (const [actionId, v] of Object.entries(actions as Body)) {
      const ok = v === null || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
      if (!ok) throw bad();
      entry[actionId] = v;
    }
    out[blockId] = entry;
  }
  return out;
}

/** How Slack's client reacts to the app's acknowledgement (3 s, HTTP 200). */
function ackOutcome(res: DriverResponse): { status: number; late: boolean; failure: string | null } {
  let failure: string | null = null;
  if (res.status === 0) failure = 'Steward did not answer at all (the request timed out)';
  else if (res.late) failure = `Steward answered after ${Math.round(res.elapsedMs)} ms; Slack gives up after 3 seconds`;
  else if (res.status !== 200) failure = `Steward answered HTTP ${res.status}`;
  return { status: res.status, late: res.late, failure };
}

/** Runs a driver call, turning its refusals into answers the page can show. */
async function drive<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof SlackClientRefusal) throw new PageError(422, 'refused_by_client', err.message, err.fields);
    if (err instanceof PageError) throw err;
    if (err instanceof TypeError)
      throw new PageError(502, 'app_unreachable', `${what}: Steward is not reachable (${err.message})`);
    // The driver refuses what no Slack client could do (a button no longer there, a channel the person is not in).
    if (err instanceof Error) throw new PageError(409, 'not_possible', `${what}: ${err.message}`);
    throw err;
  }
}

export interface ActionOptions {
  /** Slash commands the app registered (its manifest has /steward only). */
  commands: readonly string[];
}

export async function runCommand(sim: SlackSim, body: Body, opts: ActionOptions): Promise<Body> {
  const userId = actingUser(sim, body);
  const line = stringField(body, 'text').trim();
  const channelId = optionalString(body, 'channel');
  const [command = '', ...rest] = line.split(/\s+/);
  if (!command.startsWith('/')) throw new PageError(400, 'not_a_command', 'a slash command starts with "/"');
  if (!opts.commands.includes(command))
    throw new PageError(
      400,
      'unknown_command',
      `${command} is not a valid command (this workspace has ${opts.commands.join(', ')})`,
    );
  if (channelId && !sim.state.channel(channelId))
    throw new PageError(404, 'channel_not_found', `no conversation ${channelId}`);
  const res = await drive(command, () =>
    sim.driver.slashCommand({ userId, command, text: rest.join(' '), ...(channelId ? { channelId } : {}) }),
  );
  return { ok: true, ...ackOutcome(res) };
}

/** Slack stores what people type with &, < and > escaped. */
const escapeTyped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function postMessage(sim: SlackSim, body: Body): Body {
  const userId = actingUser(sim, body);
  const channelId = stringField(body, 'channel');
  const text = stringField(body, 'text');
  const channel = sim.state.channel(channelId);
  if (!channel) throw new PageError(404, 'channel_not_found', `no conversation ${channelId}`);
  // Steward's manifest sets messages_tab_read_only_enabled: people cannot write to the app.
  if (channel.kind === 'im')
    throw new PageError(
      403,
      'messages_tab_read_only',
      'Sending messages to this app has been turned off. Use /steward commands.',
    );
  if (!channel.members.has(userId))
    throw new PageError(403, 'not_in_channel', `${userId} is not a member of #${channel.name}`);
  if (channel.is_archived) throw new PageError(403, 'is_archived', `#${channel.name} is archived`);
  const threadTs = optionalString(body, 'thread_ts');
  const msg = sim.state.postAsUser(channelId, userId, escapeTyped(text), threadTs);
  return { ok: true, ts: msg.ts };
}

export async function click(sim: SlackSim, body: Body): Promise<Body> {
  const userId = actingUser(sim, body);
  const actionId = stringField(body, 'actionId');
  const blockId = optionalString(body, 'blockId');
  const value = optionalString(body, 'value');
  const viewId = optionalString(body, 'viewId');
  const common = { userId, actionId, ...(blockId ? { blockId } : {}), ...(value !== undefined ? { value } : {}) };
  const res = viewId
    ? await drive('click', () => sim.driver.clickButton({ ...common, viewId, values: submittedValues(body) }))
    : await drive('click', () =>
        sim.driver.clickButton({ ...common, channel: stringField(body, 'channel'), ts: stringField(body, 'ts') }),
      );
  return { ok: true, ...ackOutcome(res) };
}

export async function submit(sim: SlackSim, body: Body): Promise<Body> {
  const userId = actingUser(sim, body);
  const viewId = stringField(body, 'viewId');
  const values = submittedValues(body);
  const res = await drive('submit', () => sim.driver.submitView({ userId, viewId, values }));
  return {
    ok: true,
    ...ackOutcome(res),
    responseAction: res.responseAction ?? null,
    errors: res.errors ?? null,
    rejected: res.rejected ?? null,
    top: res.view?.id ?? null,
  };
}

export async function closeView(sim: SlackSim, body: Body): Promise<Body> {
  const userId = actingUser(sim, body);
  const viewId = stringField(body, 'viewId');
  const res = await drive('close', () => sim.driver.closeView({ userId, viewId }));
  return { ok: true, notified: res !== undefined, ...(res ? ackOutcome(res) : {}) };
}

export async function homeOpened(sim: SlackSim, body: Body): Promise<Body> {
  const userId = actingUser(sim, body);
  const res = await drive('app_home_opened', () => sim.driver.appHomeOpened(userId, 'home'));
  return { ok: true, ...ackOutcome(res) };
}
