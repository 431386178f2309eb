/**
 * The file endpoints Slack hands out: the upload URL from files.getUploadURLExternal (the
 * app posts the bytes there, multipart or raw) and `url_private` downloads, which need the
 * bot token and send anyone else to the login page.
 */
import { parseBody, readRawBody } from '../body.js';
import type { PathHandler } from './deps.js';
import { notFound } from './not-found.js';

export const receiveUpload: PathHandler = async (deps, req, res, path) => {
  const { state } = deps;
  const [, , , fileId, secretPart] = path.split('/');
  const file = fileId ? state.files.get(fileId) : undefined;
  const raw = await readRawBody(req);
  if (!file || file.upload_secret !== secretPart || file.completed) {
    notFound(res, 'not_found');
    return;
  }
  const parsed = parseBody(raw, req.headers['content-type']);
  // WebClient posts multipart (its Buffer becomes a form file); curl may post raw bytes.
  file.bytes = parsed.kind === 'multipart' ? (parsed.files[0]?.data ?? Buffer.alloc(0)) : raw;
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`OK - ${file.bytes.length}`);
};

export const serveDownload: PathHandler = (deps, req, res, path) => {
  const { state } = deps;
  const auth = req.headers.authorization;
  const token = typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
  const m = /^\/files-pri\/[^-]+-([^/]+)\//.exec(path);
  const file = m ? state.files.get(m[1]!) : undefined;
  if (!token || !deps.tokens().includes(token)) {
    res.writeHead(302, { location: `https://${state.team.domain}.slack.com/?redir=login` });
    res.end();
    return;
  }
  if (!file?.bytes || !file.completed) {
    notFound(res, 'not found');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
  res.end(file.bytes);
};
