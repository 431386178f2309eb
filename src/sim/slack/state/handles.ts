import { secret, slackId, triggerId } from '../ids.js';
import { SlackApiError } from '../errors.js';
import type { ResponseUrlRecord, SimFile, SimTrigger } from '../types.js';
import type { StateContext } from './context.js';

/**
 * The short-lived handles Slack gives an app — trigger ids, response URLs — and files
 * being uploaded. None of them is shown to a person, so they emit no change; what the app
 * does with them (a modal opened, a message posted) does.
 */
export class Handles {
  readonly triggers = new Map<string, SimTrigger>();
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  readonly files = new Map<string, SimFile>();
  /** Base URL of the sim's HTTP server ("http://127.0.0.1:port"), set once it listens. */
  baseUrl = '';

  constructor(private readonly ctx: StateContext) {}

  issueTrigger(userId: string, viewId?: string): SimTrigger {
    const now = this.ctx.now();
    const t: SimTrigger = {
      id: triggerId(now),
      user: userId,
      issuedAt: now,
      expiresAt: now + this.ctx.opts.triggerTtlMs,
      exchanged: false,
      viewId,
    };
    this.triggers.set(t.id, t);
    return t;
  }

  /** Spends a trigger id for views.open / views.push, with Slack's three failure modes. */
  exchangeTrigger(id: string): SimTrigger {
    const t = this.triggers.get(id);
    if (!t) throw new SlackApiError('invalid_trigger_id');
    if (t.exchanged) throw new SlackApiError('exchanged_trigger_id');
    if (this.ctx.now() > t.expiresAt) throw new SlackApiError('expired_trigger_id');
    t.exchanged = true;
    return t;
  }

  issueResponseUrl(r: {
    kind: 'command' | 'action';
    user: string;
    channel: string;
    messageTs?: string;
    messageIsEphemeral?: boolean;
  }): ResponseUrlRecord {
    const id = `${slackId('')}/${secret(12)}`;
    const path = r.kind === 'command' ? 'commands' : 'actions';
    const record: ResponseUrlRecord = {
      id,
      url: `${this.baseUrl}/${path}/${this.ctx.team.id}/${id}`,
      kind: r.kind,
      user: r.user,
      channel: r.channel,
      messageTs: r.messageTs,
      messageIsEphemeral: r.messageIsEphemeral ?? false,
      lastTs: undefined,
      lastWasEphemeral: false,
      issuedAt: this.ctx.now(),
      uses: 0,
      posts: [],
    };
    this.responseUrls.set(id, record);
    return record;
  }

  responseUrlByUrl(url: string): ResponseUrlRecord | undefined {
    for (const r of this.responseUrls.values()) if (r.url === url) return r;
    return undefined;
  }

  newFile(f: { name: string; length: number; alt_text?: string; snippet_type?: string }): SimFile {
    const file: SimFile = {
      id: slackId('F'),
      name: f.name,
      title: f.name,
      declared_length: f.length,
      alt_text: f.alt_text,
      snippet_type: f.snippet_type,
      bytes: undefined,
      completed: false,
      channels: [],
      initial_comment: undefined,
      user: this.ctx.botUserId,
      created: this.ctx.nowSec(),
      upload_secret: secret(16),
    };
    this.files.set(file.id, file);
    return file;
  }
}
