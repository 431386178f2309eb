/** Small pieces of Socket Mode's wire: the app-level token's shape, refused upgrades, frame text, connection ids. */
import type { Duplex } from 'node:stream';
import type { RawData } from 'ws';
import { secret } from '../ids.js';

/** The host name prefix in hello and disconnect frames' debug_info (Slack's are applink-…). */
export const HOST_PREFIX = 'applink-sim';

/** A fresh app-level token shaped like Slack's: xapp-1-<app id>-<digits>-<64 hex>. */
export function newAppToken(appId: string): string {
  return `xapp-1-${appId}-${Math.floor(Math.random() * 1e13)}-${secret(32)}`;
}

/** Answers an upgrade request with a plain HTTP error and closes it. */
export function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** "conn-3" → 3. */
export function seqOf(id: string): number {
  return Number(id.slice('conn-'.length));
}

export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
