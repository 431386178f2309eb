import { charLength, describeIssues, LIMITS, validateBlocks } from './blocks.js';
import type { WorkspaceState } from './state.js';
import type { Json, ResponseUrlPost, ResponseUrlRecord } from './types.js';

export interface ResponseUrlAnswer {
  status: number;
  body: string;
  contentType: string;
}

type Obj = Record<string, unknown>;

function reject(
  record: ResponseUrlRecord,
  state: WorkspaceState,
  body: unknown,
  status: number,
  error: string,
  detail?: string[],
): ResponseUrlAnswer {
  record.posts.push({ at: state.now(), body, outcome: 'rejected', error });
  return {
    status,
    body: JSON.stringify(detail ? { ok: false, error, errors: detail } : { ok: false, error }),
    contentType: 'application/json',
  };
}

/**
 * What Slack does with a message posted to a response_url: replace or delete the
 * original (the message whose button was clicked, or for slash commands the last message
 * this URL produced), or add a new one, ephemeral to the user by default or visible in
 * the channel with `response_type: in_channel`. Each URL takes five posts within thirty
 * minutes.
 */
export function applyResponseUrlPost(
  state: WorkspaceState,
  record: ResponseUrlRecord,
  body: unknown,
  opts: { countUse: boolean; source: 'response_url' | 'command_ack' },
): ResponseUrlAnswer {
  if (opts.countUse) {
    if (state.now() - record.issuedAt > state.opts.responseUrlTtlMs)
      return reject(record, state, body, 404, 'expired_url');
    if (record.uses >= state.opts.responseUrlMaxUses) return reject(record, state, body, 404, 'used_url');
    record.uses += 1;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return reject(record, state, body, 400, 'invalid_payload');
  const msg = body as Obj;
  const post = (outcome: ResponseUrlPost['outcome'], ts?: string): ResponseUrlAnswer => {
    record.posts.push({ at: state.now(), body, outcome, ...(ts ? { ts } : {}) });
    return { status: 200, body: JSON.stringify({ ok: true }), contentType: 'application/json' };
  };

  const originalTs = record.kind === 'action' ? record.messageTs : record.lastTs;
  const originalEphemeral = record.kind === 'action' ? record.messageIsEphemeral : record.lastWasEphemeral;

  if (msg.delete_original === true || msg.delete_original === 'true') {
    if (originalTs) {
      if (originalEphemeral) {
        const e = state.ephemeral(record.channel, originalTs);
        if (e) state.deleteEphemeral(e);
      } else if (state.message(record.channel, originalTs)) {
        state.deleteMessage(record.channel, originalTs);
      }
    }
    return post('deleted', originalTs);
  }

  const text = typeof msg.text === 'string' ? msg.text : undefined;
  const blocks = msg.blocks;
  if (blocks !== undefined && !Array.isArray(blocks)) return reject(record, state, body, 400, 'invalid_blocks_format');
  const hasContent =
    (text !== undefined && text !== '') ||
    (Array.isArray(blocks) && blocks.length > 0) ||
    Array.isArray(msg.attachments);
  if (!hasContent) return reject(record, state, body, 400, 'no_text');
  if (text !== undefined && charLength(text) > LIMITS.messageText)
    return reject(record, state, body, 400, 'msg_too_long');
  if (Array.isArray(blocks)) {
    const issues = validateBlocks(blocks, 'message');
    if (issues.length > 0) return reject(record, state, body, 400, 'invalid_blocks', describeIssues(issues).errors);
  }
  const threadTs = typeof msg.thread_ts === 'string' ? msg.thread_ts : undefined;

  if ((msg.replace_original === true || msg.replace_original === 'true') && originalTs) {
    if (originalEphemeral) {
      const replacement = {
        channel: record.channel,
        user: record.user,
        text: text ?? '',
        blocks: blocks as Json[] | undefined,
        source: opts.source,
      };
      const e = state.ephemeral(record.channel, originalTs);
      if (e) state.replaceEphemeral(e, replacement);
      else state.addEphemeral({ ...replacement, message_ts: originalTs });
      return post('replaced', originalTs);
    }
    if (state.message(record.channel, originalTs)) {
      // The whole message is replaced: blocks the new body leaves out are gone.
      state.updateMessage(record.channel, originalTs, {
        text: text ?? '',
        blocks: blocks ?? [],
        attachments: msg.attachments ?? [],
      });
      return post('replaced', originalTs);
    }
  }

  if (msg.response_type === 'in_channel') {
    const created = state.postAsBot(record.channel, {
      text: text ?? '',
      blocks,
      attachments: msg.attachments,
      thread_ts: threadTs,
    });
    record.lastTs = created.ts;
    record.lastWasEphemeral = false;
    return post('in_channel', created.ts);
  }
  const eph = state.addEphemeral({
    channel: record.channel,
    user: record.user,
    text: text ?? '',
    blocks: blocks as Json[] | undefined,
    thread_ts: threadTs,
    source: opts.source,
  });
  record.lastTs = eph.message_ts;
  record.lastWasEphemeral = true;
  return post('ephemeral', eph.message_ts);
}
