/**
 * Every data source a control can need. Each one is stored in the snapshot folder in the
 * source's own shape (see docs/snapshot-format.md), and each one ends a run with a status.
 */
export const GRAPH_SOURCES = [
  'graph.users',
  'graph.userRegistrationDetails',
  'graph.conditionalAccessPolicies',
  'graph.securityDefaults',
  'graph.authenticationStrengthPolicies',
  'graph.roleAssignments',
  'graph.domains',
  'graph.groups',
  'graph.roleDefinitions',
  'graph.namedLocations',
  'graph.signIns',
  'graph.riskyUsers',
  'graph.riskDetections',
  'graph.messageRules',
  'graph.mailFolders',
  'graph.resourceServicePrincipals',
  'graph.appRoleAssignedTo',
  'graph.servicePrincipals',
  'graph.authorizationPolicy',
  'graph.oauth2PermissionGrants',
] as const;

/** Exchange admin API (`InvokeCommand`) cmdlet output. */
export const EXCHANGE_SOURCES = [
  'exo.mailbox',
  'exo.hostedOutboundSpamFilterPolicy',
  'exo.hostedOutboundSpamFilterRule',
  'exo.remoteDomain',
  'exo.dkimSigningConfig',
  'exo.transportConfig',
  'exo.casMailbox',
  'exo.recipient',
  'exo.inboxRule',
  'exo.transportRule',
  'exo.outboundConnector',
  'exo.mailboxPermission',
  'exo.recipientPermission',
  'exo.organizationConfig',
  'exo.mailboxAuditBypassAssociation',
  'exo.adminAuditLogConfig',
  'exo.applicationAccessPolicy',
  'exo.managementRoleAssignment',
  'exo.servicePrincipal',
] as const;

export const DNS_SOURCES = ['dns'] as const;

export const SOURCE_IDS = [...GRAPH_SOURCES, ...EXCHANGE_SOURCES, ...DNS_SOURCES] as const;

export type GraphSourceId = (typeof GRAPH_SOURCES)[number];
export type ExchangeSourceId = (typeof EXCHANGE_SOURCES)[number];
export type SourceId = (typeof SOURCE_IDS)[number];

/** Sources read from the tenant (Graph and Exchange), as opposed to public DNS. */
export function isTenantSource(id: SourceId): id is GraphSourceId | ExchangeSourceId {
  return id !== 'dns';
}

export function isSourceId(value: string): value is SourceId {
  return (SOURCE_IDS as readonly string[]).includes(value);
}
