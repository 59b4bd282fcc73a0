import type { SourceId } from './source-id.js';
import type { Licence } from './source-status.js';

/** What reading a source needs: the exact permission to grant, and a licence if any. */
export interface SourceRequirement {
  /** Graph application permission(s), or the Exchange setup, that reading needs. */
  readonly permission: string;
  readonly licence?: Licence;
  /** The endpoint or cmdlet, for docs and error messages. */
  readonly endpoint: string;
}

const EXCHANGE = 'Exchange.ManageAsApp (Office 365 Exchange Online) and the Global Reader role';
/**
 * The least-privileged permission of each Graph read below, from its page's permissions table
 * (learn.microsoft.com/graph/api/serviceprincipal-get, serviceprincipal-list-approleassignedto,
 * serviceprincipal-list, authorizationpolicy-get, oauth2permissiongrant-list).
 */
const APPLICATION_READ = 'Application.Read.All';

/** Sources: learn.microsoft.com permission pages of each Graph API; Exchange app-only auth docs. */
export const SOURCE_REQUIREMENTS: Readonly<Record<SourceId, SourceRequirement>> = {
  'graph.users': { permission: 'User.Read.All', endpoint: 'GET /users' },
  'graph.userRegistrationDetails': {
    permission: 'AuditLog.Read.All',
    licence: 'entra-id-p1',
    endpoint: 'GET /reports/authenticationMethods/userRegistrationDetails',
  },
  'graph.conditionalAccessPolicies': {
    permission: 'Policy.Read.All',
    endpoint: 'GET /identity/conditionalAccess/policies',
  },
  'graph.securityDefaults': {
    permission: 'Policy.Read.All',
    endpoint: 'GET /policies/identitySecurityDefaultsEnforcementPolicy',
  },
  'graph.authenticationStrengthPolicies': {
    permission: 'Policy.Read.All',
    endpoint: 'GET /policies/authenticationStrengthPolicies',
  },
  'graph.roleAssignments': {
    permission: 'RoleManagement.Read.Directory, GroupMember.Read.All',
    endpoint: 'GET /roleManagement/directory/roleAssignments?$expand=principal',
  },
  'graph.domains': { permission: 'Domain.Read.All', endpoint: 'GET /domains' },
  'graph.groups': {
    permission: 'GroupMember.Read.All',
    endpoint: 'GET /groups/{id} (the groups Conditional Access policies name)',
  },
  'graph.roleDefinitions': {
    permission: 'RoleManagement.Read.Directory',
    endpoint: 'GET /roleManagement/directory/roleDefinitions',
  },
  'graph.namedLocations': {
    permission: 'Policy.Read.All',
    endpoint: 'GET /identity/conditionalAccess/namedLocations',
  },
  'graph.signIns': { permission: 'AuditLog.Read.All', licence: 'entra-id-p1', endpoint: 'GET /auditLogs/signIns' },
  'graph.riskyUsers': {
    permission: 'IdentityRiskyUser.Read.All',
    licence: 'entra-id-p2',
    endpoint: 'GET /identityProtection/riskyUsers',
  },
  'graph.riskDetections': {
    permission: 'IdentityRiskEvent.Read.All',
    licence: 'entra-id-p2',
    endpoint: 'GET /identityProtection/riskDetections',
  },
  'graph.messageRules': {
    permission: 'MailboxSettings.Read',
    endpoint: 'GET /users/{id}/mailFolders/inbox/messageRules',
  },
  // The names of the folders rules move mail to ("RSS Feeds"): Graph gives only their IDs.
  'graph.mailFolders': { permission: 'Mail.ReadBasic.All', endpoint: 'GET /users/{id}/mailFolders/{id}' },
  'graph.resourceServicePrincipals': {
    permission: APPLICATION_READ,
    endpoint: "GET /servicePrincipals(appId='{Microsoft Graph and Office 365 Exchange Online}')",
  },
  'graph.appRoleAssignedTo': {
    permission: APPLICATION_READ,
    endpoint: "GET /servicePrincipals(appId='{resource}')/appRoleAssignedTo",
  },
  'graph.servicePrincipals': { permission: APPLICATION_READ, endpoint: 'GET /servicePrincipals' },
  'graph.authorizationPolicy': { permission: 'Policy.Read.All', endpoint: 'GET /policies/authorizationPolicy' },
  'graph.oauth2PermissionGrants': {
    // The stored permissions table names Directory.Read.All as least privileged; newer pages may
    // name DelegatedPermissionGrant.Read.All, which this tool does not rely on.
    permission: 'Directory.Read.All',
    endpoint: "GET /oauth2PermissionGrants?$filter=consentType eq 'AllPrincipals'",
  },
  'exo.mailbox': { permission: EXCHANGE, endpoint: 'Get-Mailbox' },
  'exo.hostedOutboundSpamFilterPolicy': { permission: EXCHANGE, endpoint: 'Get-HostedOutboundSpamFilterPolicy' },
  'exo.hostedOutboundSpamFilterRule': { permission: EXCHANGE, endpoint: 'Get-HostedOutboundSpamFilterRule' },
  'exo.remoteDomain': { permission: EXCHANGE, endpoint: 'Get-RemoteDomain' },
  'exo.dkimSigningConfig': { permission: EXCHANGE, endpoint: 'Get-DkimSigningConfig' },
  'exo.transportConfig': { permission: EXCHANGE, endpoint: 'Get-TransportConfig' },
  'exo.casMailbox': { permission: EXCHANGE, endpoint: 'Get-CASMailbox' },
  'exo.recipient': { permission: EXCHANGE, endpoint: 'Get-Recipient -RecipientTypeDetails MailContact,MailUser' },
  'exo.inboxRule': { permission: EXCHANGE, endpoint: 'Get-InboxRule -IncludeHidden' },
  'exo.transportRule': { permission: EXCHANGE, endpoint: 'Get-TransportRule' },
  'exo.outboundConnector': { permission: EXCHANGE, endpoint: 'Get-OutboundConnector -IncludeTestModeConnectors $true' },
  'exo.mailboxPermission': { permission: EXCHANGE, endpoint: 'Get-MailboxPermission -Identity {mailbox}' },
  'exo.recipientPermission': { permission: EXCHANGE, endpoint: 'Get-RecipientPermission -AccessRights SendAs' },
  'exo.organizationConfig': { permission: EXCHANGE, endpoint: 'Get-OrganizationConfig' },
  'exo.mailboxAuditBypassAssociation': { permission: EXCHANGE, endpoint: 'Get-MailboxAuditBypassAssociation' },
  'exo.adminAuditLogConfig': { permission: EXCHANGE, endpoint: 'Get-AdminAuditLogConfig' },
  'exo.applicationAccessPolicy': { permission: EXCHANGE, endpoint: 'Get-ApplicationAccessPolicy' },
  'exo.managementRoleAssignment': { permission: EXCHANGE, endpoint: 'Get-ManagementRoleAssignment' },
  'exo.servicePrincipal': { permission: EXCHANGE, endpoint: 'Get-ServicePrincipal' },
  dns: { permission: 'none (public DNS)', endpoint: 'DNS queries' },
};
