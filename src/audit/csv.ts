/**
 * RFC 4180 CSV: every field quoted, quotes doubled, CRLF between records. Text cells
 * that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab, CR or LF)
 * get a leading `'`, so an exported reason like `=HYPERLINK(…)` stays text.
 */

const FORMULA_START = /^[=+\-@\t\r\n]/;

export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '""';
  // Numbers are ours (counts, seq), never user text: written as they are.
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
