import type { ServerResponse } from 'node:http';

/** A plain-text 404, as Slack answers an unknown path, upload URL or response_url (the text differs by endpoint). */
export function notFound(res: ServerResponse, text: string): void {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end(text);
}
