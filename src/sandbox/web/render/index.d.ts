/**
 * Types of the page's renderers (index.js), for TypeScript code that imports them — the
 * tests run them in Node. The JavaScript is checked against its own JSDoc by
 * `npx tsc -p src/sandbox/web`.
 */
import type {
  BlockJson,
  ConversationStateJson,
  DraftValues,
  EphemeralJson,
  MessageJson,
  OrgPanelJson,
  RenderContext,
  TextObject,
  ViewJson,
} from '../types.js';

export function escapeHtml(value: unknown): string;
export function decodeSlackEntities(text: string): string;
export function isSafeUrl(url: string): boolean;
export function formatSlackDate(input: { epochSeconds: number; format: string; now: number; tzOffset: number }): string;
export function ordinal(n: number): string;
export function ago(ms: number, nowMs: number): string;
export function emojify(html: string): string;
export const EMOJI: Record<string, string>;
export function renderMrkdwn(text: string, ctx: RenderContext): string;
export function userMention(id: string, label: string | null, ctx: RenderContext): string;
export function renderTextObject(obj: Partial<TextObject> | null | undefined, ctx: RenderContext): string;
export function plainOf(obj: { text?: string } | null | undefined): string;
export function renderElement(el: BlockJson, blockId: string, ctx: RenderContext): string;
export function selectableUsers(ctx: RenderContext): RenderContext['users'][string][];
export function renderInputBlock(
  block: BlockJson,
  ctx: RenderContext,
  opts: { entry?: BlockJson; draft?: string | string[] | null; error?: string },
): string;
export function stateValues(entry: BlockJson | undefined): string[] | undefined;
export function initialValues(el: BlockJson): string[];
export interface BlockOptions {
  state?: Record<string, Record<string, BlockJson>>;
  drafts?: DraftValues;
  errors?: Record<string, string>;
}
export function renderBlocks(blocks: unknown, ctx: RenderContext, opts?: BlockOptions): string;
export function renderBlock(block: BlockJson, ctx: RenderContext, opts: BlockOptions): string;
export function renderAttachments(attachments: unknown, ctx: RenderContext): string;
export function renderRichText(block: BlockJson, ctx: RenderContext): string;
export function renderContent(
  m: { text?: string; blocks?: unknown; attachments?: unknown },
  ctx: RenderContext,
): string;
export function renderMessage(
  m: MessageJson | EphemeralJson,
  channel: string,
  ctx: RenderContext,
  opts?: { ephemeral?: boolean; reply?: boolean },
): string;
export function renderConversation(
  state: ConversationStateJson,
  ctx: RenderContext,
  opts?: { dismissed?: Set<string> },
): string;
export function renderModal(
  view: ViewJson,
  ctx: RenderContext,
  opts?: { drafts?: DraftValues; refused?: Record<string, string>; busy?: boolean; depth?: number; notice?: string },
): string;
export function renderHome(view: ViewJson | null, ctx: RenderContext): string;
export function renderOrgPanel(panel: OrgPanelJson, ctx: RenderContext): string;
