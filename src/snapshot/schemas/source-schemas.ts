import type { JsonSchema } from '../../model/json-schema.js';
import type { SourceId } from '../source-id.js';
import {
  APP_ROLE_ASSIGNMENT_SCHEMA,
  AUTHORIZATION_POLICY_SCHEMA,
  PERMISSION_GRANT_SCHEMA,
  RESOURCE_SERVICE_PRINCIPAL_SCHEMA,
  SERVICE_PRINCIPAL_SCHEMA,
} from './app-schemas.js';
import { DNS_SCHEMA } from './dns-schema.js';
import {
  ADMIN_AUDIT_LOG_CONFIG_SCHEMA,
  APPLICATION_ACCESS_POLICY_SCHEMA,
  AUDIT_BYPASS_SCHEMA,
  EXCHANGE_SERVICE_PRINCIPAL_SCHEMA,
  MAILBOX_PERMISSION_SCHEMA,
  MANAGEMENT_ROLE_ASSIGNMENT_SCHEMA,
  ORGANIZATION_CONFIG_SCHEMA,
  OUTBOUND_CONNECTOR_SCHEMA,
  RECIPIENT_PERMISSION_SCHEMA,
  TRANSPORT_RULE_SCHEMA,
} from './mail-access-exchange-schemas.js';
import {
  CAS_MAILBOX_SCHEMA,
  DKIM_CONFIG_SCHEMA,
  EXCHANGE_RULE_SCHEMA,
  INBOX_RULE_SCHEMA,
  MAILBOX_SCHEMA,
  OUTBOUND_POLICY_SCHEMA,
  OUTBOUND_RULE_SCHEMA,
  RECIPIENT_SCHEMA,
  REMOTE_DOMAIN_SCHEMA,
  TRANSPORT_CONFIG_SCHEMA,
} from './exchange-schemas.js';
import {
  CA_POLICY_SCHEMA,
  DOMAIN_SCHEMA,
  GROUP_SCHEMA,
  NAMED_LOCATION_SCHEMA,
  ROLE_DEFINITION_SCHEMA,
  MAIL_FOLDERS_SCHEMA,
  MAILBOX_RULES_SCHEMA,
  MESSAGE_RULE_SCHEMA,
  REGISTRATION_SCHEMA,
  RISK_DETECTION_SCHEMA,
  RISKY_USER_SCHEMA,
  ROLE_ASSIGNMENT_SCHEMA,
  SECURITY_DEFAULTS_SCHEMA,
  SIGN_IN_SCHEMA,
  STRENGTH_SCHEMA,
  USER_SCHEMA,
} from './graph-schemas.js';

/** What one source's data must look like before any check reads it. */
export interface SourceSchema {
  /**
   * One record: an item of a collection, the single object of a singleton source, one sign-in
   * of the sign-in log, or one line (a mailbox) of the inbox-rule log.
   */
  readonly record: JsonSchema;
  /** Inbox rules: one rule, checked by the rule parser, so a bad rule is an `error` alone. */
  readonly rule?: JsonSchema;
}

/**
 * The one description of every source: the snapshot reader, the live collectors, the
 * simulator and docs/snapshot-format.md all take their shapes from here.
 */
export const SOURCE_SCHEMAS: Readonly<Record<SourceId, SourceSchema>> = {
  'graph.users': { record: USER_SCHEMA },
  'graph.userRegistrationDetails': { record: REGISTRATION_SCHEMA },
  'graph.conditionalAccessPolicies': { record: CA_POLICY_SCHEMA },
  'graph.securityDefaults': { record: SECURITY_DEFAULTS_SCHEMA },
  'graph.authenticationStrengthPolicies': { record: STRENGTH_SCHEMA },
  'graph.roleAssignments': { record: ROLE_ASSIGNMENT_SCHEMA },
  'graph.domains': { record: DOMAIN_SCHEMA },
  'graph.groups': { record: GROUP_SCHEMA },
  'graph.roleDefinitions': { record: ROLE_DEFINITION_SCHEMA },
  'graph.namedLocations': { record: NAMED_LOCATION_SCHEMA },
  'graph.signIns': { record: SIGN_IN_SCHEMA },
  'graph.riskyUsers': { record: RISKY_USER_SCHEMA },
  'graph.riskDetections': { record: RISK_DETECTION_SCHEMA },
  'graph.messageRules': { record: MAILBOX_RULES_SCHEMA, rule: MESSAGE_RULE_SCHEMA },
  'graph.mailFolders': { record: MAIL_FOLDERS_SCHEMA },
  'graph.resourceServicePrincipals': { record: RESOURCE_SERVICE_PRINCIPAL_SCHEMA },
  'graph.appRoleAssignedTo': { record: APP_ROLE_ASSIGNMENT_SCHEMA },
  'graph.servicePrincipals': { record: SERVICE_PRINCIPAL_SCHEMA },
  'graph.authorizationPolicy': { record: AUTHORIZATION_POLICY_SCHEMA },
  'graph.oauth2PermissionGrants': { record: PERMISSION_GRANT_SCHEMA },
  'exo.mailbox': { record: MAILBOX_SCHEMA },
  'exo.hostedOutboundSpamFilterPolicy': { record: OUTBOUND_POLICY_SCHEMA },
  'exo.hostedOutboundSpamFilterRule': { record: OUTBOUND_RULE_SCHEMA },
  'exo.remoteDomain': { record: REMOTE_DOMAIN_SCHEMA },
  'exo.dkimSigningConfig': { record: DKIM_CONFIG_SCHEMA },
  'exo.transportConfig': { record: TRANSPORT_CONFIG_SCHEMA },
  'exo.casMailbox': { record: CAS_MAILBOX_SCHEMA },
  'exo.recipient': { record: RECIPIENT_SCHEMA },
  'exo.inboxRule': { record: INBOX_RULE_SCHEMA, rule: EXCHANGE_RULE_SCHEMA },
  'exo.transportRule': { record: TRANSPORT_RULE_SCHEMA },
  'exo.outboundConnector': { record: OUTBOUND_CONNECTOR_SCHEMA },
  'exo.mailboxPermission': { record: MAILBOX_PERMISSION_SCHEMA },
  'exo.recipientPermission': { record: RECIPIENT_PERMISSION_SCHEMA },
  'exo.organizationConfig': { record: ORGANIZATION_CONFIG_SCHEMA },
  'exo.mailboxAuditBypassAssociation': { record: AUDIT_BYPASS_SCHEMA },
  'exo.adminAuditLogConfig': { record: ADMIN_AUDIT_LOG_CONFIG_SCHEMA },
  'exo.applicationAccessPolicy': { record: APPLICATION_ACCESS_POLICY_SCHEMA },
  'exo.managementRoleAssignment': { record: MANAGEMENT_ROLE_ASSIGNMENT_SCHEMA },
  'exo.servicePrincipal': { record: EXCHANGE_SERVICE_PRINCIPAL_SCHEMA },
  dns: { record: DNS_SCHEMA },
};
