import { invalidArguments, SlackApiError } from '../errors.js';
import type { WorkspaceState } from '../state.js';
import type { JsonObject, SimFile } from '../types.js';
import { checkBlocks, resolveConversation, type MethodTable } from './common.js';
import { permalink } from './chat.js';

const MIME: Record<string, string> = {
  csv: 'text/csv',
  json: 'application/json',
  txt: 'text/plain',
  md: 'text/markdown',
  pdf: 'application/pdf',
  png: 'image/png',
  gz: 'application/gzip',
  zip: 'application/zip',
};

export function uploadUrl(state: WorkspaceState, f: SimFile): string {
  return `${state.baseUrl}/upload/v1/${f.id}/${f.upload_secret}`;
}

export function privateUrl(state: WorkspaceState, f: SimFile): string {
  return `${state.baseUrl}/files-pri/${state.team.id}-${f.id}/${encodeURIComponent(f.name)}`;
}

export function fileJson(state: WorkspaceState, f: SimFile): JsonObject {
  const ext = f.name.includes('.') ? f.name.split('.').pop()!.toLowerCase() : '';
  const out: JsonObject = {
    id: f.id,
    created: f.created,
    timestamp: f.created,
    name: f.name,
    title: f.title,
    mimetype: MIME[ext] ?? 'application/octet-stream',
    filetype: ext || 'binary',
    user: f.user,
    size: f.bytes?.length ?? f.declared_length,
    is_external: false,
    is_public: false,
    url_private: privateUrl(state, f),
    url_private_download: privateUrl(state, f),
    permalink: `https://${state.team.domain}.slack.com/files/${f.user}/${f.id}/${encodeURIComponent(f.name)}`,
    channels: f.channels.filter((c) => c.startsWith('C')),
    groups: f.channels.filter((c) => c.startsWith('G')),
    ims: f.channels.filter((c) => c.startsWith('D')),
  };
  if (f.alt_text !== undefined) out.alt_txt = f.alt_text;
  return out;
}

export const fileMethods: MethodTable = {
  'files.getUploadURLExternal': ({ state, args }) => {
    const filename = args.str('filename');
    if (!filename) throw invalidArguments('missing required field: filename');
    const length = args.int('length');
    if (length === undefined) throw invalidArguments('missing required field: length');
    if (length < 1) throw new SlackApiError('invalid_length');
    const f = state.newFile({
      name: filename,
      length,
      alt_text: args.str('alt_text'),
      snippet_type: args.str('snippet_type'),
    });
    return { upload_url: uploadUrl(state, f), file_id: f.id };
  },

  'files.completeUploadExternal': ({ state, args }) => {
    const files = args.json('files', 'invalid_arguments');
    if (!Array.isArray(files) || files.length === 0) throw invalidArguments('missing required field: files');
    const chosen: SimFile[] = files.map((entry: unknown) => {
      const id = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).id : undefined;
      const f = typeof id === 'string' ? state.files.get(id) : undefined;
      // A file whose bytes never reached the upload URL cannot be completed.
      if (!f || f.bytes === undefined) throw new SlackApiError('file_not_found');
      if (f.completed) throw new SlackApiError('file_not_found');
      const title = (entry as Record<string, unknown>).title;
      if (typeof title === 'string' && title !== '') f.title = title;
      return f;
    });
    const channelArg = args.str('channel_id') ?? args.str('channels')?.split(',')[0];
    const blocks = args.json('blocks', 'invalid_blocks_format');
    if (blocks !== undefined) checkBlocks(blocks, 'message');
    let share: { channel: string; ts: string } | undefined;
    if (channelArg) {
      const channel = resolveConversation(state, channelArg);
      if (channel.is_archived) throw new SlackApiError('is_archived');
      if (channel.kind !== 'im' && !channel.members.has(state.botUserId)) throw new SlackApiError('not_in_channel');
      for (const f of chosen) f.channels.push(channel.id);
      const comment = args.str('initial_comment');
      for (const f of chosen) f.initial_comment = comment;
      const msg = state.postAsBot(channel.id, {
        text: comment ?? '',
        blocks,
        thread_ts: args.str('thread_ts') || undefined,
        files: chosen.map((f) => fileJson(state, f)),
      });
      share = { channel: channel.id, ts: msg.ts };
    }
    for (const f of chosen) f.completed = true;
    return {
      files: chosen.map((f) => {
        const json = fileJson(state, f);
        if (share)
          json.shares = {
            [share.channel.startsWith('C') ? 'public' : 'private']: {
              [share.channel]: [{ ts: share.ts, permalink: permalink(state, share.channel, share.ts) }],
            },
          };
        return json;
      }),
    };
  },
};
