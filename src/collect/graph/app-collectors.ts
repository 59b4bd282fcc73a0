import type {
  AppRole,
  AppRoleAssignment,
  AuthorizationPolicy,
  OAuth2PermissionGrant,
  ServicePrincipal,
} from '../../snapshot/graph-types.js';
import { recordCheck } from '../../snapshot/shape-check.js';
import type { GraphSourceId } from '../../snapshot/source-id.js';
import { MAIL_RESOURCE_APP_IDS } from '../../snapshot/resource-apps.js';
import type { SourceCollectors } from '../live/source-collector.js';
import { type GraphApi, GraphRequestError, GraphShapeError } from './graph-api.js';
import { graphSource, readCollection } from './graph-source.js';
import { itemReader } from './item-reader.js';

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

type Item = Readonly<Record<string, unknown>>;
const optional = <T>(value: unknown): T | null => (value as T | undefined) ?? null;

function projectAppRole(o: Item): AppRole {
  return {
    id: o.id as string,
    value: optional<string>(o.value),
    displayName: optional<string>(o.displayName),
    allowedMemberTypes: o.allowedMemberTypes as readonly string[],
    isEnabled: optional<boolean>(o.isEnabled),
  };
}

/** A service principal cut to what the app controls read; app roles only for a resource. */
function projectServicePrincipal(o: Item, withRoles: boolean): ServicePrincipal {
  const publisher = o.verifiedPublisher as Item | null | undefined;
  return {
    id: o.id as string,
    appId: o.appId as string,
    displayName: optional<string>(o.displayName),
    appOwnerOrganizationId: optional<string>(o.appOwnerOrganizationId),
    publisherName: optional<string>(o.publisherName),
    verifiedPublisher:
      publisher === null || publisher === undefined
        ? null
        : {
            displayName: optional<string>(publisher.displayName),
            verifiedPublisherId: optional<string>(publisher.verifiedPublisherId),
            addedDateTime: optional<string>(publisher.addedDateTime),
          },
    servicePrincipalType: optional<string>(o.servicePrincipalType),
    accountEnabled: optional<boolean>(o.accountEnabled),
    // Not in Graph's metadata: kept when it is a string, never a reason to fail the read.
    createdDateTime: typeof o.createdDateTime === 'string' ? o.createdDateTime : null,
    ...(withRoles ? { appRoles: (o.appRoles as readonly Item[]).map(projectAppRole) } : {}),
  };
}

function projectAssignment(o: Item): AppRoleAssignment {
  // Older pages name the creation time `creationTimestamp` (approleassignment resource).
  const created = o.createdDateTime ?? o.creationTimestamp;
  return {
    id: o.id as string,
    appRoleId: o.appRoleId as string,
    principalId: o.principalId as string,
    principalType: optional<string>(o.principalType),
    principalDisplayName: optional<string>(o.principalDisplayName),
    resourceId: o.resourceId as string,
    resourceDisplayName: optional<string>(o.resourceDisplayName),
    createdDateTime: typeof created === 'string' ? created : null,
  };
}

function projectGrant(o: Item): OAuth2PermissionGrant {
  return {
    id: o.id as string,
    clientId: o.clientId as string,
    consentType: o.consentType as string,
    principalId: optional<string>(o.principalId),
    resourceId: o.resourceId as string,
    scope: optional<string>(o.scope),
  };
}

/** One object checked against its source's schema, as a collection item would be. */
function readOne<T>(id: GraphSourceId, path: string, body: unknown, project: (o: Item) => T): T {
  const problem = recordCheck(id)(body);
  if (problem) throw new GraphShapeError(endpoint(path), problem.pointer || '(body)', problem.message);
  return project(body as Item);
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
    try {
      const body = await graph.get(path);
      out.push(readOne('graph.resourceServicePrincipals', path, body, (o) => projectServicePrincipal(o, true)));
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
    const read = itemReader('graph.appRoleAssignedTo', endpoint(path), projectAssignment);
    try {
      out.push(...(await readCollection(graph, path, read)));
    } catch (error: unknown) {
      if (!isNotFound(error)) throw error;
    }
  }
  return out;
}

async function servicePrincipals(graph: GraphApi): Promise<readonly ServicePrincipal[]> {
  const read = itemReader('graph.servicePrincipals', endpoint(SERVICE_PRINCIPALS_PATH), (o) =>
    projectServicePrincipal(o, false),
  );
  return readCollection(graph, SERVICE_PRINCIPALS_PATH, read);
}

async function authorizationPolicy(graph: GraphApi): Promise<AuthorizationPolicy> {
  const body = await graph.get(AUTHORIZATION_POLICY_PATH);
  // v1.0 answers the one object; some versions wrapped it in a one-item collection.
  const value = (body as { value?: unknown } | null)?.value;
  const one = Array.isArray(value) && value.length === 1 ? value[0] : body;
  return readOne('graph.authorizationPolicy', AUTHORIZATION_POLICY_PATH, one, (o) => ({
    id: optional<string>(o.id),
    defaultUserRolePermissions: {
      permissionGrantPoliciesAssigned: (o.defaultUserRolePermissions as Item)
        .permissionGrantPoliciesAssigned as readonly string[],
    },
  }));
}

async function allPrincipalsGrants(graph: GraphApi): Promise<readonly OAuth2PermissionGrant[]> {
  const read = itemReader('graph.oauth2PermissionGrants', endpoint(ALL_PRINCIPALS_GRANTS_PATH), projectGrant);
  return readCollection(graph, ALL_PRINCIPALS_GRANTS_PATH, read);
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
