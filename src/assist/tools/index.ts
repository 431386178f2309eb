import { principalAccess } from './access.js';
import { searchAudit } from './audit.js';
import { campaignProgress, type CampaignProgressSource } from './campaigns.js';
import { findFindings } from './findings.js';
import type { AskTool } from './tool.js';

export type { AskTool, ToolCall, ToolOutput } from './tool.js';

export type { CampaignProgressSource, CampaignProgressView } from './campaigns.js';

/**
 * The tools `/steward ask` offers Claude: every one reads, none writes, none acts.
 * Campaign progress comes from review through a port the composition root fills.
 */
export function askTools(deps: { campaigns: CampaignProgressSource }): readonly AskTool[] {
  return [findFindings, principalAccess, searchAudit, campaignProgress(deps.campaigns)];
}
