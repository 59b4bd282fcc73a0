import type { SourceId } from './source-id.js';

/**
 * Where each source lives in a snapshot folder. Graph collections are stored as Graph returns
 * them (`{"value": [...]}`); streamed sources are JSON Lines, one Graph page or one `$batch`
 * item per line, so they can be read back without holding them in memory. Exchange sources
 * are `InvokeCommand` output; DNS is the answers by question.
 */
export const SOURCE_FILES: Readonly<Record<SourceId, string>> = {
  'graph.users': 'graph/users.json',
  'graph.userRegistrationDetails': 'graph/userRegistrationDetails.json',
  'graph.conditionalAccessPolicies': 'graph/conditionalAccessPolicies.json',
  'graph.securityDefaults': 'graph/securityDefaults.json',
  'graph.authenticationStrengthPolicies': 'graph/authenticationStrengthPolicies.json',
  'graph.roleAssignments': 'graph/roleAssignments.json',
  'graph.domains': 'graph/domains.json',
  'graph.groups': 'graph/groups.json',
  'graph.roleDefinitions': 'graph/roleDefinitions.json',
  'graph.namedLocations': 'graph/namedLocations.json',
  'graph.signIns': 'graph/signIns.jsonl',
  'graph.riskyUsers': 'graph/riskyUsers.json',
  'graph.riskDetections': 'graph/riskDetections.json',
  'graph.messageRules': 'graph/messageRules.jsonl',
  // Folder names travel inside each mailbox's line of messageRules.jsonl (`folders`).
  'graph.mailFolders': 'graph/messageRules.jsonl',
  'graph.resourceServicePrincipals': 'graph/resourceServicePrincipals.json',
  'graph.appRoleAssignedTo': 'graph/appRoleAssignedTo.json',
  'graph.servicePrincipals': 'graph/servicePrincipals.json',
  'graph.authorizationPolicy': 'graph/authorizationPolicy.json',
  'graph.oauth2PermissionGrants': 'graph/oauth2PermissionGrants.json',
  'exo.mailbox': 'exchange/Get-Mailbox.json',
  'exo.hostedOutboundSpamFilterPolicy': 'exchange/Get-HostedOutboundSpamFilterPolicy.json',
  'exo.hostedOutboundSpamFilterRule': 'exchange/Get-HostedOutboundSpamFilterRule.json',
  'exo.remoteDomain': 'exchange/Get-RemoteDomain.json',
  'exo.dkimSigningConfig': 'exchange/Get-DkimSigningConfig.json',
  'exo.transportConfig': 'exchange/Get-TransportConfig.json',
  'exo.casMailbox': 'exchange/Get-CASMailbox.json',
  'exo.recipient': 'exchange/Get-Recipient.json',
  'exo.inboxRule': 'exchange/Get-InboxRule.json',
  'exo.transportRule': 'exchange/Get-TransportRule.json',
  'exo.outboundConnector': 'exchange/Get-OutboundConnector.json',
  'exo.mailboxPermission': 'exchange/Get-MailboxPermission.json',
  'exo.recipientPermission': 'exchange/Get-RecipientPermission.json',
  'exo.organizationConfig': 'exchange/Get-OrganizationConfig.json',
  'exo.mailboxAuditBypassAssociation': 'exchange/Get-MailboxAuditBypassAssociation.json',
  'exo.adminAuditLogConfig': 'exchange/Get-AdminAuditLogConfig.json',
  'exo.applicationAccessPolicy': 'exchange/Get-ApplicationAccessPolicy.json',
  'exo.managementRoleAssignment': 'exchange/Get-ManagementRoleAssignment.json',
  'exo.servicePrincipal': 'exchange/Get-ServicePrincipal.json',
  dns: 'dns/answers.json',
};

export const MANIFEST_FILE = 'manifest.json';

/** Sources stored as JSON Lines and read as page streams. */
export const STREAMED_SOURCES: ReadonlySet<SourceId> = new Set(['graph.signIns', 'graph.messageRules']);

/** Sources stored as a single object rather than a `value` collection. */
export const SINGLETON_SOURCES: ReadonlySet<SourceId> = new Set([
  'graph.securityDefaults',
  'graph.authorizationPolicy',
  'dns',
]);

/**
 * Sources whose data travels inside another source's records, so they have no file of their own:
 * only their status is recorded (`graph.mailFolders`: the folder names in each messageRules line).
 */
export const EMBEDDED_SOURCES: ReadonlyMap<SourceId, SourceId> = new Map([['graph.mailFolders', 'graph.messageRules']]);
