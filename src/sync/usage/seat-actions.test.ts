import { describe, expect, it } from 'vitest';
import { anyActivity, seatActions } from './seat-actions.js';

describe('seat actions', () => {
  it('adds up messages, sessions, actions, turns, searches, commits, PRs, jobs and delegations across products', () => {
    const metrics = {
      chat_metrics: {
        message_count: 12,
        thinking_message_count: 5,
        distinct_conversation_count: 3,
        distinct_projects_used_count: 2,
      },
      claude_code_metrics: {
        core_metrics: {
          distinct_session_count: 2,
          commit_count: 1,
          pull_request_count: 1,
          lines_of_code: { added_count: 400, removed_count: 20 },
        },
        tool_actions: { edit_tool: { accepted_count: 7, rejected_count: 1 } },
      },
      cowork_metrics: { action_count: 3, dispatch_turn_count: 2, message_count: 4 },
      science_metrics: { remote_compute_job_count: 1, delegation_count: 1 },
      web_search_count: 6,
    };
    expect(seatActions(metrics)).toBe(12 + 2 + 1 + 1 + 3 + 2 + 4 + 1 + 1 + 6);
  });

  it('is zero for an all-zero day, ignoring nulls and odd values', () => {
    expect(seatActions({ chat_metrics: { message_count: 0 }, web_search_count: null, x: 'y', list: [1, 2] })).toBe(0);
    expect(seatActions(null)).toBe(0);
  });

  it('says whether a day had any activity at all', () => {
    expect(anyActivity({ chat_metrics: { message_count: 0, distinct_files_uploaded_count: 0 } })).toBe(false);
    expect(anyActivity({ chat_metrics: { distinct_files_uploaded_count: 1 } })).toBe(true);
  });
});
