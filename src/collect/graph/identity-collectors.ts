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
import { GraphRequestError, type GraphApi } from './graph-api.js';
import { graphSource, readCollection } from './graph-source.js';
import { ShapeReader } from './shape.js';
import { readConditionalAccessPolicy } from './ca-policy-reader.js';

/*
 * The identity-posture collectors. Each asks Graph for only the fields the checks read
 * ($select) and validates the answer into src/snapshot/graph-types.ts.
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

function readUser(r: ShapeReader, item: unknown, at: string): GraphUser {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    userPrincipalName: r.string(o.userPrincipalName, `${at}.userPrincipalName`),
    displayName: r.optionalString(o.displayName, `${at}.displayName`),
    accountEnabled: r.optionalBoolean(o.accountEnabled, `${at}.accountEnabled`),
    userType: r.optionalString(o.userType, `${at}.userType`),
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
function readRegistration(
  r: ShapeReader,
  intern: (value: string) => string,
  item: unknown,
  at: string,
): UserRegistrationDetails {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    userPrincipalName: r.string(o.userPrincipalName, `${at}.userPrincipalName`),
    isMfaRegistered: r.boolean(o.isMfaRegistered, `${at}.isMfaRegistered`),
    isMfaCapable: r.boolean(o.isMfaCapable, `${at}.isMfaCapable`),
    methodsRegistered: r.strings(o.methodsRegistered, `${at}.methodsRegistered`).map(intern),
  };
}

function readStrength(r: ShapeReader, item: unknown, at: string): AuthenticationStrengthPolicy {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    displayName: r.string(o.displayName, `${at}.displayName`),
    policyType: r.optionalString(o.policyType, `${at}.policyType`),
    requirementsSatisfied: r.optionalString(o.requirementsSatisfied, `${at}.requirementsSatisfied`),
    allowedCombinations: r.strings(o.allowedCombinations, `${at}.allowedCombinations`),
  };
}

function readPrincipal(r: ShapeReader, item: unknown, at: string): DirectoryPrincipal {
  const o = r.object(item, at);
  const type = r.optionalString(o['@odata.type'], `${at}['@odata.type']`);
  return {
    // Graph omits @odata.type in some directoryObject collections; a UPN marks a user.
    '@odata.type':
      type ?? (typeof o.userPrincipalName === 'string' ? '#microsoft.graph.user' : '#microsoft.graph.directoryObject'),
    id: r.string(o.id, `${at}.id`),
    displayName: r.optionalString(o.displayName, `${at}.displayName`),
    userPrincipalName: r.optionalString(o.userPrincipalName, `${at}.userPrincipalName`),
    accountEnabled: r.optionalBoolean(o.accountEnabled, `${at}.accountEnabled`),
  };
}

function readAssignment(r: ShapeReader, item: unknown, at: string): RoleAssignment {
  const o = r.object(item, at);
  const principal =
    o.principal === undefined || o.principal === null ? null : readPrincipal(r, o.principal, `${at}.principal`);
  return {
    id: r.string(o.id, `${at}.id`),
    principalId: r.string(o.principalId, `${at}.principalId`),
    roleDefinitionId: r.string(o.roleDefinitionId, `${at}.roleDefinitionId`),
    directoryScopeId: r.optionalString(o.directoryScopeId, `${at}.directoryScopeId`),
    principal,
  };
}

/**
 * Role assignments with `principal` expanded; a group principal (role-assignable group) gets its
 * transitive members in `principal.members`, so roles held through groups are seen.
 */
async function roleAssignments(graph: GraphApi): Promise<readonly RoleAssignment[]> {
  const r = new ShapeReader(endpoint(ROLE_ASSIGNMENTS_PATH));
  const assignments = await readCollection(graph, ROLE_ASSIGNMENTS_PATH, (item, at) => readAssignment(r, item, at));
  const groupIds = [
    ...new Set(
      assignments.filter((a) => a.principal?.['@odata.type'] === '#microsoft.graph.group').map((a) => a.principalId),
    ),
  ];
  const members = new Map<string, DirectoryPrincipal[]>();
  await Promise.all(
    groupIds.map(async (groupId) => {
      const path = groupMembersPath(groupId);
      const reader = new ShapeReader(endpoint(path));
      members.set(groupId, await readCollection(graph, path, (item, at) => readPrincipal(reader, item, at)));
    }),
  );
  return assignments.map((a) => {
    const groupMembers = members.get(a.principalId);
    return groupMembers && a.principal ? { ...a, principal: { ...a.principal, members: groupMembers } } : a;
  });
}

function readDomain(r: ShapeReader, item: unknown, at: string): GraphDomain {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    isVerified: r.optionalBoolean(o.isVerified, `${at}.isVerified`),
    isDefault: r.optionalBoolean(o.isDefault, `${at}.isDefault`),
    isInitial: r.optionalBoolean(o.isInitial, `${at}.isInitial`),
    supportedServices: r.strings(o.supportedServices, `${at}.supportedServices`),
    authenticationType: r.optionalString(o.authenticationType, `${at}.authenticationType`),
  };
}

function collection<T>(path: string, read: (r: ShapeReader, item: unknown, at: string) => T) {
  const r = new ShapeReader(endpoint(path));
  return (graph: GraphApi) => readCollection(graph, path, (item, at) => read(r, item, at));
}

async function securityDefaults(graph: GraphApi): Promise<SecurityDefaultsPolicy> {
  const r = new ShapeReader(endpoint(SECURITY_DEFAULTS_PATH));
  const o = r.object(await graph.get(SECURITY_DEFAULTS_PATH), '(body)');
  const id = r.optionalString(o.id, 'id');
  return { ...(id !== null ? { id } : {}), isEnabled: r.boolean(o.isEnabled, 'isEnabled') };
}

async function registrationDetails(graph: GraphApi): Promise<readonly UserRegistrationDetails[]> {
  const r = new ShapeReader(REGISTRATION_PATH);
  const intern = interner();
  const read = (item: unknown, at: string) => readRegistration(r, intern, item, at);
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
  'graph.users': graphSource('graph.users', collection(USERS_PATH, readUser), length),
  'graph.userRegistrationDetails': graphSource('graph.userRegistrationDetails', registrationDetails, length),
  'graph.conditionalAccessPolicies': graphSource(
    'graph.conditionalAccessPolicies',
    collection(CA_POLICIES_PATH, readConditionalAccessPolicy),
    length,
  ),
  'graph.securityDefaults': graphSource('graph.securityDefaults', securityDefaults, () => undefined),
  'graph.authenticationStrengthPolicies': graphSource(
    'graph.authenticationStrengthPolicies',
    collection(STRENGTHS_PATH, readStrength),
    length,
  ),
  'graph.roleAssignments': graphSource('graph.roleAssignments', roleAssignments, length),
  'graph.domains': graphSource('graph.domains', collection(DOMAINS_PATH, readDomain), length),
};
