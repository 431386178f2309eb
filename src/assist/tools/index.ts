import { principalAccess } from './access.js';
import { searchAudit } from './audit.js';
import { findFindings } from './findings.js';
import type { AskTool } from './tool.js';

export type { AskTool, ToolCall, ToolOutput } from './tool.js';

/**
 * The tools `/steward ask` offers Claude: every one reads, none writes, none acts.
 *
 * Extension point — campaign progress (DESIGN.md §7, "Campaigns"): campaigns do not
 * exist yet. When they do, add a `campaign_progress` tool here over their tables; until
 * then there is no such tool, and Claude is told it cannot answer about campaigns.
 */
export const ASK_TOOLS: readonly AskTool[] = [findFindings, principalAccess, searchAudit];
