import { describe, expect, it } from 'vitest';
import type { Activity } from '../../anthropic/compliance/schema.js';
import { activityOrg } from './activity-org.js';

const base: Activity = { id: 'activity_1', created_at: '2026-11-02T10:00:00Z', type: 'claude_chat_created' };

describe('activityOrg', () => {
  it("is the activity's organization_uuid, not its org_… id", () => {
    expect(activityOrg({ ...base, organization_id: 'org_01A', organization_uuid: '5f1c-uuid' })).toBe('5f1c-uuid');
  });

  it("is '' when the activity names no organisation, or names it in a form that is not a string", () => {
    expect(activityOrg({ ...base, organization_id: null, organization_uuid: null })).toBe('');
    expect(activityOrg(base)).toBe('');
    expect(activityOrg({ ...base, organization_uuid: 42 })).toBe('');
  });
});
