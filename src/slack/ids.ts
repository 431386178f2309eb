/** Stable action and view ids: the contract between the blocks we post and the listeners. */
export const ACTION = {
  keep: 'steward_keep',
  revoke: 'steward_revoke',
  /** One access in a leaver alert; value `<review id>|<holding type>|<holding id>`. */
  revokeHolding: 'steward_revoke_holding',
  notMine: 'steward_not_mine',
  claim: 'steward_claim',
  acknowledge: 'steward_acknowledge',
  askOwner: 'steward_ask_owner',
  restore: 'steward_restore',
  retry: 'steward_retry',
  answerYes: 'steward_answer_yes',
  answerNo: 'steward_answer_no',
  findingsPage: 'steward_findings_page',
  campaignRemind: 'steward_campaign_remind',
  attest: 'steward_attest',
  disown: 'steward_disown',
  /** Renew a Keep from its "ends in 7 days" DM; value: the certification id. */
  renewKeep: 'steward_renew_keep',
} as const;

export const VIEW = {
  keep: 'steward_keep_modal',
  notMine: 'steward_not_mine_modal',
  attest: 'steward_attest_modal',
  renewKeep: 'steward_renew_keep_modal',
} as const;

export const INPUT = {
  reason: { block: 'keep_reason', action: 'reason' },
  duration: { block: 'keep_duration', action: 'duration' },
  keepDate: { block: 'keep_date', action: 'keep_date' },
  owner: { block: 'new_owner', action: 'owner' },
  purpose: { block: 'attest_purpose', action: 'purpose' },
  businessOwner: { block: 'attest_owner', action: 'owner' },
  endDate: { block: 'attest_end', action: 'end' },
} as const;
