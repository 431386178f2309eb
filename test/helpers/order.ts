/**
 * The order `Array.prototype.sort()` uses without a comparator (the text of each item,
 * by UTF-16 code units), spelt out: the linter asks every sort to say how it compares.
 */
type Sortable = string | null | readonly unknown[];

export function byText(a: Sortable, b: Sortable): number {
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
