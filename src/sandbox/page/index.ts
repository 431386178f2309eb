export { startSandboxPage } from './server.js';
export type {
  AdminChange,
  AuditRowSummary,
  ChainState,
  JobRun,
  OrgPanel,
  OrgPanelSource,
  SandboxPage,
  SandboxPageOptions,
  TimeAdvance,
  TimeControl,
} from './types.js';
