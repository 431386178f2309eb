/**
 * The page's files, served as they are (no build step): HTML, ES modules, CSS and images
 * from src/sandbox/web. Tests, type declarations and configuration there are not served.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

export function checkWebRoot(root: string): void {
  if (!existsSync(resolve(root, 'index.html')))
    throw new Error(`the sandbox page's files are missing: no index.html in ${root}`);
}

/** Serves `path` from `root`; false when there is no such file to serve. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<boolean> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return false;
  }
  const type = TYPES[extname(path)];
  if (!type || path.includes('\0') || /\.test\.|\/\./.test(path)) return false;
  const file = resolve(root, `.${path}`);
  if (!file.startsWith(resolve(root) + sep)) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(type.startsWith('text/html')
      ? {
          // Only our own scripts and styles; message content is escaped HTML, never script.
          'content-security-policy':
            "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        }
      : {}),
  });
  res.end(body);
  return true;
}
