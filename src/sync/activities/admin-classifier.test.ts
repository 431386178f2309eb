import { describe, expect, it } from 'vitest';
import { isAdministrativeActivity } from './admin-classifier.js';

describe('isAdministrativeActivity', () => {
  it.each([
    'org_user_invite_sent',
    'org_user_invite_deleted',
    'org_user_deleted',
    'claude_user_role_updated',
    'primary_owner_transferred',
    'admin_api_key_created',
    'platform_api_key_updated',
    'platform_workspace_member_added',
    'platform_workspace_member_updated',
    'platform_workspace_member_removed',
    'platform_workspace_archived',
    'platform_service_account_archived',
    'claude_organization_settings_updated',
    'rbac_group_member_added',
    'scim_user_provisioned',
    'sso_configuration_updated',
  ])('%s is administrative', (type) => expect(isAdministrativeActivity(type)).toBe(true));

  it.each([
    'claude_chat_created',
    'claude_chat_viewed',
    'claude_file_uploaded',
    'claude_project_created',
    'sso_login_succeeded',
    'user_logged_out',
    'compliance_api_accessed',
    'org_users_listed',
    'org_user_viewed',
    'platform_workspace_members_listed',
    'platform_usage_report_messages_viewed',
    'a_type_nobody_has_heard_of',
    '',
  ])('%s is not', (type) => expect(isAdministrativeActivity(type)).toBe(false));
});
