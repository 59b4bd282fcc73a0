import type {
  AuthenticationStrengthPolicy,
  DirectoryPrincipal,
  GraphDomain,
  GraphUser,
  RoleAssignment,
  SecurityDefaultsPolicy,
  UserRegistrationDetails,
} from '../../snapshot/graph-types.js';
import type { SourceCollectors } from '../live/source-collector.js';
import { GraphRequestError, GraphShapeError, type GraphApi } from './graph-api.js';
import { graphSource, readCollection } from './graph-source.js';
import type { GraphSourceId } from '../../snapshot/source-id.js';
import { recordCheck } from '../../snapshot/shape-check.js';
import { projectConditionalAccessPolicy } from './ca-policy-reader.js';
import { itemReader, principalReader } from './item-reader.js';

/*
 * The identity-posture collectors. Each asks Graph for only the fields the checks read
 * ($select), checks every item against its source's schema (src/snapshot/schemas/, the same
 * one a replay checks) and keeps only those fields (src/snapshot/graph-types.ts).
 */

/** Only the fields mfa.registration reads: at 100,000 users every extra field costs megabytes. */
export const USERS_PATH = '/users?$select=id,userPrincipalName,displayName,accountEnabled,userType&$top=999';
/**
 * Documented to support only $filter and $orderby. We ask for $top=999 anyway: the endpoint is
 * limited to 5 requests per 10 s, so page size sets the run time; a 400 falls back to the default.
 */
export const REGISTRATION_PATH = '/reports/authenticationMethods/userRegistrationDetails';
export const REGISTRATION_PATH_TOP = `${REGISTRATION_PATH}?$top=999`;
export const CA_POLICIES_PATH =
  '/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls,sessionControls';
export const SECURITY_DEFAULTS_PATH = '/policies/identitySecurityDefaultsEnforcementPolicy?$select=id,isEnabled';
export const STRENGTHS_PATH =
  '/policies/authenticationStrengthPolicies?$select=id,displayName,policyType,requirementsSatisfied,allowedCombinations';
/** unifiedRoleAssignment has five scalar properties; $expand=principal brings the holder. */
export const ROLE_ASSIGNMENTS_PATH = '/roleManagement/directory/roleAssignments?$expand=principal';
export const DOMAINS_PATH = '/domains?$select=id,isVerified,isDefault,isInitial,supportedServices,authenticationType';
export const groupMembersPath = (groupId: string): string =>
  `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id,userPrincipalName,displayName,accountEnabled`;

function endpoint(path: string): string {
  return path.split('?')[0] ?? path;
}

type Item = Readonly<Record<string, unknown>>;
const optional = <T>(value: unknown): T | null => (value as T | undefined) ?? null;

function projectUser(o: Item): GraphUser {
  return {
    id: o.id as string,
    userPrincipalName: o.userPrincipalName as string,
    displayName: optional<string>(o.displayName),
    accountEnabled: o.accountEnabled as boolean,
    userType: optional<string>(o.userType),
  };
}

/**
 * One copy of each repeated value (method names, user types): JSON.parse makes a new string for
 * every occurrence, and 100,000 registration records repeat the same dozen method names.
 */
function interner(): (value: string) => string {
  const pool = new Map<string, string>();
  return (value) => {
    const known = pool.get(value);
    if (known !== undefined) return known;
    pool.set(value, value);
    return value;
  };
}

/**
 * userRegistrationDetails has no $select (the docs list only $filter and $orderby), so the
 * record is cut to what the MFA checks read as each page arrives: registration and capability
 * (mfa.registration) and the methods (mfa.admins-phishing-resistant).
 */
function projectRegistration(intern: (value: string) => string, o: Item): UserRegistrationDetails {
  return {
    id: o.id as string,
    userPrincipalName: o.userPrincipalName as string,
    isMfaRegistered: o.isMfaRegistered as boolean,
    isMfaCapable: o.isMfaCapable as boolean,
    methodsRegistered: (o.methodsRegistered as readonly string[]).map(intern),
  };
}

function projectStrength(o: Item): AuthenticationStrengthPolicy {
  return {
    id: o.id as string,
    displayName: o.displayName as string,
    policyType: optional<string>(o.policyType),
    requirementsSatisfied: optional<string>(o.requirementsSatisfied),
    allowedCombinations: o.allowedCombinations as readonly string[],
  };
}

function projectPrincipal(o: Item): DirectoryPrincipal {
  return {
    '@odata.type': o['@odata.type'] as string,
    id: o.id as string,
    displayName: optional<string>(o.displayName),
    userPrincipalName: optional<string>(o.userPrincipalName),
    accountEnabled: optional<boolean>(o.accountEnabled),
  };
}

/**
 * Graph omits `@odata.type` in some directoryObject collections (a group's transitive members);
 * a UPN marks a user. Filled in before the item is checked, so what is saved is complete.
 */
function withType(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const o = item as Item;
  if (o['@odata.type'] !== undefined) return item;
  const type = typeof o.userPrincipalName === 'string' ? '#microsoft.graph.user' : '#microsoft.graph.directoryObject';
  return { ...o, '@odata.type': type };
}

function projectAssignment(o: Item): RoleAssignment {
  const principal = o.principal as Item | null | undefined;
  return {
    id: o.id as string,
    principalId: o.principalId as string,
    roleDefinitionId: o.roleDefinitionId as string,
    directoryScopeId: optional<string>(o.directoryScopeId),
    principal: principal ? projectPrincipal(principal) : null,
  };
}

function projectDomain(o: Item): GraphDomain {
  return {
    id: o.id as string,
    isVerified: optional<boolean>(o.isVerified),
    isDefault: optional<boolean>(o.isDefault),
    isInitial: optional<boolean>(o.isInitial),
    supportedServices: o.supportedServices as readonly string[],
    authenticationType: optional<string>(o.authenticationType),
  };
}

/**
 * Role assignments with `principal` expanded; a group principal (role-assignable group) gets its
 * transitive members in `principal.members`, so roles held through groups are seen.
 */
async function roleAssignments(graph: GraphApi): Promise<readonly RoleAssignment[]> {
  const read = itemReader('graph.roleAssignments', endpoint(ROLE_ASSIGNMENTS_PATH), (o) => projectAssignment(o));
  const assignments = await readCollection(graph, ROLE_ASSIGNMENTS_PATH, (item, index) => {
    const principal = (item as Item | null)?.principal;
    return read(principal ? { ...(item as Item), principal: withType(principal) } : item, index);
  });
  const groupIds = [
    ...new Set(
      assignments.filter((a) => a.principal?.['@odata.type'] === '#microsoft.graph.group').map((a) => a.principalId),
    ),
  ];
  const members = new Map<string, DirectoryPrincipal[]>();
  await Promise.all(
    groupIds.map(async (groupId) => {
      const path = groupMembersPath(groupId);
      const member = principalReader(endpoint(path));
      members.set(groupId, await readCollection(graph, path, (item, index) => member(withType(item), index)));
    }),
  );
  return assignments.map((a) => {
    const groupMembers = members.get(a.principalId);
    return groupMembers && a.principal ? { ...a, principal: { ...a.principal, members: groupMembers } } : a;
  });
}

function collection<T>(id: GraphSourceId, path: string, project: (o: Item) => T) {
  const read = itemReader(id, endpoint(path), project);
  return (graph: GraphApi) => readCollection(graph, path, read);
}

async function securityDefaults(graph: GraphApi): Promise<SecurityDefaultsPolicy> {
  const body = await graph.get(SECURITY_DEFAULTS_PATH);
  const problem = recordCheck('graph.securityDefaults')(body);
  if (problem)
    throw new GraphShapeError(endpoint(SECURITY_DEFAULTS_PATH), problem.pointer || '(body)', problem.message);
  const o = body as Item;
  return { ...(typeof o.id === 'string' ? { id: o.id } : {}), isEnabled: o.isEnabled as boolean };
}

async function registrationDetails(graph: GraphApi): Promise<readonly UserRegistrationDetails[]> {
  const intern = interner();
  const read = itemReader('graph.userRegistrationDetails', REGISTRATION_PATH, (o) => projectRegistration(intern, o));
  try {
    return await readCollection(graph, REGISTRATION_PATH_TOP, read);
  } catch (error: unknown) {
    if (error instanceof GraphRequestError && error.status === 400)
      return readCollection(graph, REGISTRATION_PATH, read);
    throw error;
  }
}

const length = (data: readonly unknown[]): number => data.length;

/** Identity posture sources, keyed by source ID. */
export const identityCollectors: SourceCollectors = {
  'graph.users': graphSource('graph.users', collection('graph.users', USERS_PATH, projectUser), length),
  'graph.userRegistrationDetails': graphSource('graph.userRegistrationDetails', registrationDetails, length),
  'graph.conditionalAccessPolicies': graphSource(
    'graph.conditionalAccessPolicies',
    collection('graph.conditionalAccessPolicies', CA_POLICIES_PATH, projectConditionalAccessPolicy),
    length,
  ),
  'graph.securityDefaults': graphSource('graph.securityDefaults', securityDefaults, () => undefined),
  'graph.authenticationStrengthPolicies': graphSource(
    'graph.authenticationStrengthPolicies',
    collection('graph.authenticationStrengthPolicies', STRENGTHS_PATH, projectStrength),
    length,
  ),
  'graph.roleAssignments': graphSource('graph.roleAssignments', roleAssignments, length),
  'graph.domains': graphSource('graph.domains', collection('graph.domains', DOMAINS_PATH, projectDomain), length),
};
