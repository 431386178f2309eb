import type { z } from 'zod';
import type { Db } from '../../db/types.js';
import type { Citation } from '../types.js';

/**
 * A read-only tool `/steward ask` offers Claude: a JSON schema for the model, a zod
 * schema that checks what the model sent, and a query over Steward's own tables that
 * returns allow-listed fields only (the same kinds a summary prompt may hold) and the
 * rows it read, so an answer can cite them. No tool writes anything.
 */
export interface ToolSpec<I> {
  name: string;
  description: string;
  /** What Claude is told the input looks like (JSON Schema). */
  inputSchema: Record<string, unknown>;
  /** What the input must be before the query runs. */
  input: z.ZodType<I>;
  run(db: Db, input: I, now: Date): Promise<ToolOutput>;
}

/** A tool as the ask loop calls it: with whatever the model sent. */
export interface AskTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  call(db: Db, raw: unknown, now: Date): Promise<ToolCall>;
}

export type ToolCall = { ok: true; input: unknown; output: ToolOutput } | { ok: false; error: string };

export function defineTool<I>(spec: ToolSpec<I>): AskTool {
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: spec.inputSchema,
    async call(db, raw, now) {
      const parsed = spec.input.safeParse(raw ?? {});
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
        return { ok: false, error: `invalid input: ${why}` };
      }
      return { ok: true, input: parsed.data, output: await spec.run(db, parsed.data, now) };
    },
  };
}

export interface ToolOutput {
  result: unknown;
  /** The rows the result came from. */
  rows: Citation[];
}

/** Most rows one tool call returns: answers stay short and prompts small. */
export const MAX_ROWS = 25;
