/**
 * The options of a select, overflow, radio or checkbox element, as interaction payloads
 * carry them back: found by value across `options` and `option_groups`, and trimmed to the
 * fields Slack echoes (docs.slack.dev/reference/interaction-payloads).
 */
import type { Json, JsonObject } from './types.js';

type Obj = Record<string, unknown>;

function allOptions(el: Obj): Obj[] {
  const out: Obj[] = [];
  if (Array.isArray(el.options)) out.push(...(el.options as Obj[]));
  if (Array.isArray(el.option_groups)) {
    for (const g of el.option_groups as Obj[]) if (Array.isArray(g.options)) out.push(...(g.options as Obj[]));
  }
  return out;
}

export function optionByValue(el: Obj, value: string): Obj | undefined {
  return allOptions(el).find((o) => o.value === value);
}

export function cleanOption(o: Obj): JsonObject {
  const out: JsonObject = { text: o.text as Json, value: o.value as Json };
  if (o.description !== undefined) out.description = o.description as Json;
  return out;
}
