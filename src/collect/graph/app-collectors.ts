import type {
  AppRole,
  AppRoleAssignment,
  AuthorizationPolicy,
  OAuth2PermissionGrant,
  ServicePrincipal,
  VerifiedPublisher,
} from '../../snapshot/graph-types.js';
import { MAIL_RESOURCE_APP_IDS } from '../../snapshot/resource-apps.js';
import type { SourceCollectors } from '../live/source-collector.js';
import { type GraphApi, GraphRequestError } from './graph-api.js';
import { graphSource, readCollection } from './graph-source.js';
import { ShapeReader } from './shape.js';

/*
 * The app collectors: who holds which application permission on Microsoft Graph and Office 365
 * Exchange Online, the tenant's service principals, the user consent setting and the delegated
 * grants made for all users. All are directory (identity and access) reads, priced in resource
 * units by Graph's throttling (learn.microsoft.com/graph/throttling-limits).
 */

/** A resource service principal by its appId (learn.microsoft.com/graph/api/serviceprincipal-get). */
export const resourcePath = (appId: string): string =>
  `/servicePrincipals(appId='${appId}')?$select=id,appId,displayName,appRoles`;
/**
 * Every app role granted on a resource; "if the resource service principal is the service
 * principal for the Microsoft Graph API, this will return all service principals that have been
 * granted any app-only permissions" (learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto).
 */
export const assignedToPath = (appId: string): string => `/servicePrincipals(appId='${appId}')/appRoleAssignedTo`;
/**
 * Every service principal, without `$select`: `createdDateTime` is returned by Graph but is not in
 * its metadata (msgraph-sdk-java#2246), so selecting it is not relied on; each page is cut to the
 * fields below as it arrives.
 */
export const SERVICE_PRINCIPALS_PATH = '/servicePrincipals?$top=999';
export const AUTHORIZATION_POLICY_PATH = '/policies/authorizationPolicy';
/** Only the grants an admin made for every user (learn.microsoft.com/graph/api/oauth2permissiongrant-list). */
export const ALL_PRINCIPALS_GRANTS_PATH = "/oauth2PermissionGrants?$filter=consentType eq 'AllPrincipals'";

function endpoint(path: string): string {
  return path.split('?')[0] ?? path;
}

function readAppRole(r: ShapeReader, item: unknown, at: string): AppRole {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    value: r.optionalString(o.value, `${at}.value`),
    displayName: r.optionalString(o.displayName, `${at}.displayName`),
    allowedMemberTypes: r.strings(o.allowedMemberTypes, `${at}.allowedMemberTypes`),
    isEnabled: r.optionalBoolean(o.isEnabled, `${at}.isEnabled`),
  };
}

function readPublisher(r: ShapeReader, value: unknown, at: string): VerifiedPublisher | null {
  const o = r.optionalObject(value, at);
  if (o === null) return null;
  return {
    displayName: r.optionalString(o.displayName, `${at}.displayName`),
    verifiedPublisherId: r.optionalString(o.verifiedPublisherId, `${at}.verifiedPublisherId`),
    addedDateTime: r.optionalString(o.addedDateTime, `${at}.addedDateTime`),
  };
}

/** A service principal cut to what the app controls read; app roles only for a resource. */
function readServicePrincipal(r: ShapeReader, item: unknown, at: string, withRoles: boolean): ServicePrincipal {
  const o = r.object(item, at);
  // Not in Graph's metadata: kept when it is a string, never a reason to fail the read.
  const created = typeof o.createdDateTime === 'string' ? o.createdDateTime : null;
  const roles = withRoles && o.appRoles !== undefined && o.appRoles !== null ? o.appRoles : [];
  if (!Array.isArray(roles)) r.fail(`${at}.appRoles`, 'is not an array');
  return {
    id: r.string(o.id, `${at}.id`),
    appId: r.string(o.appId, `${at}.appId`),
    displayName: r.optionalString(o.displayName, `${at}.displayName`),
    appOwnerOrganizationId: r.optionalString(o.appOwnerOrganizationId, `${at}.appOwnerOrganizationId`),
    publisherName: r.optionalString(o.publisherName, `${at}.publisherName`),
    verifiedPublisher: readPublisher(r, o.verifiedPublisher, `${at}.verifiedPublisher`),
    servicePrincipalType: r.optionalString(o.servicePrincipalType, `${at}.servicePrincipalType`),
    accountEnabled: r.optionalBoolean(o.accountEnabled, `${at}.accountEnabled`),
    createdDateTime: created,
    ...(withRoles ? { appRoles: roles.map((role, i) => readAppRole(r, role, `${at}.appRoles[${i}]`)) } : {}),
  };
}

function readAssignment(r: ShapeReader, item: unknown, at: string): AppRoleAssignment {
  const o = r.object(item, at);
  // Older pages name the creation time `creationTimestamp` (approleassignment resource).
  const created = o.createdDateTime ?? o.creationTimestamp;
  return {
    id: r.string(o.id, `${at}.id`),
    appRoleId: r.string(o.appRoleId, `${at}.appRoleId`),
    principalId: r.string(o.principalId, `${at}.principalId`),
    principalType: r.optionalString(o.principalType, `${at}.principalType`),
    principalDisplayName: r.optionalString(o.principalDisplayName, `${at}.principalDisplayName`),
    resourceId: r.string(o.resourceId, `${at}.resourceId`),
    resourceDisplayName: r.optionalString(o.resourceDisplayName, `${at}.resourceDisplayName`),
    createdDateTime: typeof created === 'string' ? created : null,
  };
}

function readGrant(r: ShapeReader, item: unknown, at: string): OAuth2PermissionGrant {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    clientId: r.string(o.clientId, `${at}.clientId`),
    consentType: r.string(o.consentType, `${at}.consentType`),
    principalId: r.optionalString(o.principalId, `${at}.principalId`),
    resourceId: r.string(o.resourceId, `${at}.resourceId`),
    scope: r.optionalString(o.scope, `${at}.scope`),
  };
}

/** Graph's answer when an object does not exist (for a resource the tenant has no service principal of). */
function isNotFound(error: unknown): boolean {
  return error instanceof GraphRequestError && error.status === 404;
}

/**
 * Microsoft Graph's and Office 365 Exchange Online's service principals, with their app roles. A
 * tenant without Exchange Online has no service principal for it (404): it is left out, and the
 * check says so. Graph's is always there; the check errs if it is missing.
 */
async function resourceServicePrincipals(graph: GraphApi): Promise<readonly ServicePrincipal[]> {
  const out: ServicePrincipal[] = [];
  for (const appId of MAIL_RESOURCE_APP_IDS) {
    const path = resourcePath(appId);
    const r = new ShapeReader(endpoint(path));
    try {
      out.push(readServicePrincipal(r, await graph.get(path), '(body)', true));
    } catch (error: unknown) {
      if (!isNotFound(error)) throw error;
    }
  }
  return out;
}

/** The app roles granted on both resources, one paged list each. */
async function appRoleAssignedTo(graph: GraphApi): Promise<readonly AppRoleAssignment[]> {
  const out: AppRoleAssignment[] = [];
  for (const appId of MAIL_RESOURCE_APP_IDS) {
    const path = assignedToPath(appId);
    const r = new ShapeReader(endpoint(path));
    try {
      out.push(...(await readCollection(graph, path, (item, at) => readAssignment(r, item, at))));
    } catch (error: unknown) {
      if (!isNotFound(error)) throw error;
    }
  }
  return out;
}

async function servicePrincipals(graph: GraphApi): Promise<readonly ServicePrincipal[]> {
  const r = new ShapeReader(endpoint(SERVICE_PRINCIPALS_PATH));
  return readCollection(graph, SERVICE_PRINCIPALS_PATH, (item, at) => readServicePrincipal(r, item, at, false));
}

async function authorizationPolicy(graph: GraphApi): Promise<AuthorizationPolicy> {
  const r = new ShapeReader(AUTHORIZATION_POLICY_PATH);
  const body = r.object(await graph.get(AUTHORIZATION_POLICY_PATH), '(body)');
  // v1.0 answers the one object; some versions wrapped it in a one-item collection.
  const wrapped = Array.isArray(body.value) && body.value.length === 1 ? body.value[0] : undefined;
  const o = wrapped === undefined ? body : r.object(wrapped, 'value[0]');
  const permissions = r.object(o.defaultUserRolePermissions, 'defaultUserRolePermissions');
  return {
    id: r.optionalString(o.id, 'id'),
    defaultUserRolePermissions: {
      permissionGrantPoliciesAssigned: r.strings(
        permissions.permissionGrantPoliciesAssigned,
        'defaultUserRolePermissions.permissionGrantPoliciesAssigned',
      ),
    },
  };
}

async function allPrincipalsGrants(graph: GraphApi): Promise<readonly OAuth2PermissionGrant[]> {
  const r = new ShapeReader(endpoint(ALL_PRINCIPALS_GRANTS_PATH));
  return readCollection(graph, ALL_PRINCIPALS_GRANTS_PATH, (item, at) => readGrant(r, item, at));
}

const length = (data: readonly unknown[]): number => data.length;

/** App and consent sources, keyed by source ID. */
export const appCollectors: SourceCollectors = {
  'graph.resourceServicePrincipals': graphSource('graph.resourceServicePrincipals', resourceServicePrincipals, length),
  'graph.appRoleAssignedTo': graphSource('graph.appRoleAssignedTo', appRoleAssignedTo, length),
  'graph.servicePrincipals': graphSource('graph.servicePrincipals', servicePrincipals, length),
  'graph.authorizationPolicy': graphSource('graph.authorizationPolicy', authorizationPolicy, () => undefined),
  'graph.oauth2PermissionGrants': graphSource('graph.oauth2PermissionGrants', allPrincipalsGrants, length),
};
