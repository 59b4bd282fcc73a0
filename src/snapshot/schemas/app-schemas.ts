import type { JsonSchema } from '../../model/json-schema.js';
import { arrayOf, booleanOrNull, object, objectOrNull, string, stringOrNull, strings } from './schema-kit.js';

/*
 * The Microsoft Graph v1.0 records the app controls read (apps.mail-access, apps.user-consent):
 * service principals and their app roles, app role assignments, the authorization policy and
 * delegated grants (learn.microsoft.com/graph/api/resources/…).
 */

/** https://learn.microsoft.com/graph/api/resources/approle */
const APP_ROLE_SCHEMA: JsonSchema = object(
  'An app role the resource exposes.',
  {
    id: string('The role ID an assignment names.'),
    value: stringOrNull('The permission name (`Mail.Read`, `full_access_as_app`): how the mail roles are recognised.'),
    displayName: stringOrNull('Its display name.'),
    allowedMemberTypes: strings('`Application` marks an application permission.'),
    isEnabled: booleanOrNull('Whether it can be assigned.'),
  },
  ['id', 'allowedMemberTypes'],
);

const servicePrincipalFields = {
  id: string('Object ID: what assignments and grants name.'),
  appId: string('Application (client) ID: what allowedApps and the run’s client ID name.'),
  displayName: stringOrNull('Shown in evidence.'),
};

/** https://learn.microsoft.com/graph/api/resources/serviceprincipal (Microsoft Graph and Office 365 Exchange Online). */
export const RESOURCE_SERVICE_PRINCIPAL_SCHEMA: JsonSchema = object(
  'A resource whose app roles reach mailboxes.',
  {
    ...servicePrincipalFields,
    appRoles: arrayOf('Its app roles: the names of the role IDs assignments carry.', APP_ROLE_SCHEMA),
  },
  ['id', 'appId', 'appRoles'],
);

/** https://learn.microsoft.com/graph/api/resources/serviceprincipal */
export const SERVICE_PRINCIPAL_SCHEMA: JsonSchema = object(
  'A service principal of the tenant.',
  {
    ...servicePrincipalFields,
    appOwnerOrganizationId: stringOrNull('The tenant the app is registered in; another tenant raises the severity.'),
    publisherName: stringOrNull('Shown in evidence.'),
    verifiedPublisher: objectOrNull('The publisher Microsoft verified, if any.', {
      displayName: stringOrNull('Its name.'),
      verifiedPublisherId: stringOrNull('Null or absent: not verified (raises the severity of another tenant’s app).'),
      addedDateTime: stringOrNull('When it was verified.'),
    }),
    servicePrincipalType: stringOrNull('`Application`, `ManagedIdentity`, …'),
    accountEnabled: booleanOrNull('Shown in evidence.'),
    createdDateTime: {
      description:
        'Returned by Graph but not in its metadata: read when it is an ISO 8601 string (a recent app raises the severity), ignored otherwise.',
    },
  },
  ['id', 'appId'],
);

/** https://learn.microsoft.com/graph/api/resources/approleassignment */
export const APP_ROLE_ASSIGNMENT_SCHEMA: JsonSchema = object(
  'An app role granted on Microsoft Graph or Office 365 Exchange Online.',
  {
    id: string('Its ID.'),
    appRoleId: string('The role granted, named by the resource’s app roles.'),
    principalId: string('Who holds it: the service principal’s object ID.'),
    principalType: stringOrNull('`ServicePrincipal` for an application permission; users and groups are not judged.'),
    principalDisplayName: stringOrNull('Shown when the holder is not among the service principals listed.'),
    resourceId: string('The resource’s object ID: the role is named from that resource only.'),
    resourceDisplayName: stringOrNull('The resource’s name.'),
    createdDateTime: stringOrNull('When it was granted (consented).'),
  },
  ['id', 'appRoleId', 'principalId', 'resourceId'],
);

/** https://learn.microsoft.com/graph/api/resources/authorizationpolicy (one object). */
export const AUTHORIZATION_POLICY_SCHEMA: JsonSchema = object(
  'The tenant’s authorization policy.',
  {
    id: stringOrNull('Its ID.'),
    defaultUserRolePermissions: object(
      'What every user may do.',
      {
        permissionGrantPoliciesAssigned: strings(
          'The consent policies assigned to users: `ManagePermissionGrantsForSelf.{id}` entries (any casing) are user consent; empty, users cannot consent.',
        ),
      },
      ['permissionGrantPoliciesAssigned'],
    ),
  },
  ['defaultUserRolePermissions'],
);

/** https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant */
export const PERMISSION_GRANT_SCHEMA: JsonSchema = object(
  'A delegated permission grant.',
  {
    id: string('Its ID.'),
    clientId: string('The client service principal’s object ID.'),
    consentType: string('`AllPrincipals` (for every user) is judged; `Principal` (one user) is not.'),
    principalId: stringOrNull('The user, for `Principal` grants.'),
    resourceId: string('The resource service principal’s object ID.'),
    scope: stringOrNull('Space-separated delegated permissions; mail ones fail for apps not allowed.'),
  },
  ['id', 'clientId', 'consentType', 'resourceId'],
);
