import type { MacSummary } from './verify-mac.js';
import { quoted } from './verify-rows.js';

const range = (from: number, to: number) => (from === to ? `row ${from}` : `rows ${from}–${to}`);

/**
 * One sentence on what protects the rows a successful verify walked: the SHA-256 chain
 * alone (rows written before the key existed, or no key to check with), or the chain and
 * the MAC, with the boundary between the two and which key signed which rows.
 */
export function describeMac(mac: MacSummary, rows: number): string {
  if (rows === 0)
    return mac.checked
      ? 'Rows will be keyed: STEWARD_AUDIT_KEY is set.'
      : 'STEWARD_AUDIT_KEY is not set: rows will be chained but not keyed.';
  const unkeyed = mac.unkeyedRows > 0 ? range(1, mac.unkeyedRows) : null;
  const keyed = mac.keyedFrom === null ? null : range(mac.keyedFrom, mac.keyedFrom + mac.keyedRows - 1);
  if (!mac.checked) {
    if (keyed === null) return 'Chained but not keyed: no row carries a MAC, and STEWARD_AUDIT_KEY is not set.';
    return (
      `Chained; MACs NOT checked: STEWARD_AUDIT_KEY is not set, so the MACs of ${keyed} were not verified` +
      `${unkeyed ? ` (${unkeyed} predate the key and are chained but not keyed)` : ''}. Set it, with every key that signed rows, to check them.`
    );
  }
  if (keyed === null)
    return `Chained but not keyed: no row carries a MAC yet (all ${rows} were written before STEWARD_AUDIT_KEY was set); rows appended from now on are signed.`;
  const keys = mac.keys.map((k) => `key ${quoted(k.id)} ${range(k.from, k.to)}`).join(', ');
  if (unkeyed === null) return `Chained and keyed: every row's MAC checked (${keys}).`;
  const subject = mac.unkeyedRows === 1 ? 'Row 1 is' : `Rows 1–${mac.unkeyedRows} are`;
  return `${subject} chained but not keyed (written before STEWARD_AUDIT_KEY was set); from row ${mac.keyedFrom} on, chained and keyed: every MAC checked (${keys}).`;
}
