/**
 * The response_url endpoints: the app posts a reply (JSON, or a form-encoded `payload`) to
 * the URL a slash command or a click carried, and ../response-url.ts applies it.
 */
import { mediaType, readRawBody } from '../body.js';
import { applyResponseUrlPost } from '../response-url.js';
import type { PathHandler } from './deps.js';
import { notFound } from './not-found.js';

export const receiveResponseUrlPost: PathHandler = async (deps, req, res, path) => {
  const { state } = deps;
  const raw = await readRawBody(req);
  const record = state.responseUrlByUrl(`${state.baseUrl}${path}`);
  if (!record) {
    notFound(res, 'invalid_token');
    return;
  }
  let body: unknown;
  const type = mediaType(req.headers['content-type']);
  try {
    if (type === 'application/x-www-form-urlencoded') {
      const payload = new URLSearchParams(raw.toString('utf8')).get('payload');
      body = payload === null ? undefined : JSON.parse(payload);
    } else {
      body = JSON.parse(raw.toString('utf8'));
    }
  } catch {
    body = raw.toString('utf8');
  }
  const answer = applyResponseUrlPost(state, record, body, { countUse: true, source: 'response_url' });
  res.writeHead(answer.status, { 'content-type': answer.contentType });
  res.end(answer.body);
};
