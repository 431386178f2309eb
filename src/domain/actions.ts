/**
 * What Steward can do to access through the Admin API: the plan a decision makes
 * (review), the row the outbox keeps (actions), the line a message shows (slack).
 */

export const ACTION_KINDS = [
  'deactivate_key',
  'restore_key',
  'remove_member',
  'lower_org_role',
  'lower_workspace_role',
  'delete_invite',
  'archive_service_account',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export function isActionKind(kind: string): kind is ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(kind);
}

/** What a decision asks the outbox to do, before it is stored. */
export interface PlannedAction {
  kind: ActionKind;
  targetType: string;
  targetId: string;
  params: Record<string, unknown>;
  /** Whether the access can be given back from the message during the grace period. */
  restorable: boolean;
  /** What the reviewer is told will happen, e.g. "Deactivate the key (restorable for 7 days)". */
  description: string;
}
