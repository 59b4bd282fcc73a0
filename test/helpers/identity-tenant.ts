import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import { SNAPSHOT_FORMAT_VERSION, type Manifest } from '../../src/snapshot/manifest.js';
import type {
  AuthenticationMethodsPolicy,
  AuthenticationStrengthPolicy,
  ConditionalAccessPolicy,
  GraphDomain,
  GraphGroup,
  GraphUser,
  NamedLocation,
  RoleDefinition,
  RiskyUser,
  RoleAssignment,
  RoleEligibilityScheduleInstance,
  SecurityDefaultsPolicy,
  UserRegistrationDetails,
} from '../../src/snapshot/graph-types.js';
import { memorySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';

/*
 * The golden identity tenant: every identity control passes. Each test applies one mutation and
 * expects exactly the finding that mutation causes. The same data is served by the simulator.
 */

export const TENANT_ID = '7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b';
export const GA_ROLE = '62e90394-69f5-4237-9190-012177145e10';
export const EXCHANGE_ADMIN_ROLE = '29232cdf-9323-42fd-ade2-1d097af3e4de';
export const ADMIN_GROUP = '5b0c6a1e-2222-4d3c-9e8f-000000000a01';
export const SALES_GROUP = '5b0c6a1e-2222-4d3c-9e8f-000000000a02';
export const PR_STRENGTH = '00000000-0000-0000-0000-000000000004';
export const CONTRACTORS_GROUP = '5b0c6a1e-2222-4d3c-9e8f-000000000a03';
export const BREAK_GLASS_GROUP = '5b0c6a1e-2222-4d3c-9e8f-000000000a04';
export const HEAD_OFFICE = '0c1d2e3f-1111-4a5b-8c7d-00000000b001';
export const BREAK_GLASS_SITE = '0c1d2e3f-1111-4a5b-8c7d-00000000b002';
export const CUSTOM_STRENGTH = '9f8e7d6c-0000-4000-8000-00000000c001';
/** The golden tenant's Conditional Access policy that blocks the device-code flow. */
export const DEVICE_CODE_POLICY = 'ca-0006';

const user = (n: number, upn: string, name: string): GraphUser => ({
  id: `0000000${n}-aaaa-4bbb-8ccc-000000000000`,
  userPrincipalName: upn,
  displayName: name,
  accountEnabled: true,
  userType: 'Member',
  assignedLicenses: [{ skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06' }],
});

export const GLOBAL_ADMIN = user(1, 'grace@golden.example', 'Grace Admin');
export const GROUP_ADMIN = user(2, 'gus@golden.example', 'Gus Exchange');
/** Eligible (PIM) for Global Administrator, not active, with a FIDO2 key: covered once she activates. */
export const ELIGIBLE_ADMIN = user(5, 'eve@golden.example', 'Eve Eligible');
/** A role-assignable group whose members may activate Exchange Administrator. */
export const ELIGIBLE_GROUP = '5b0c6a1e-2222-4d3c-9e8f-000000000a03';
const USERS = [
  GLOBAL_ADMIN,
  GROUP_ADMIN,
  user(3, 'una@golden.example', 'Una User'),
  user(4, 'ulf@golden.example', 'Ulf User'),
  ELIGIBLE_ADMIN,
];

function registration(u: GraphUser, methods: string[]): UserRegistrationDetails {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    userDisplayName: u.displayName ?? null,
    userType: 'member',
    isAdmin: methods.includes('fido2'),
    isMfaRegistered: true,
    isMfaCapable: true,
    isPasswordlessCapable: methods.includes('fido2'),
    methodsRegistered: methods,
    lastUpdatedDateTime: '2026-11-26T00:00:00Z',
  };
}

const ALL_USERS = {
  includeUsers: ['All'],
  excludeUsers: [],
  includeGroups: [],
  excludeGroups: [],
  includeRoles: [],
  excludeRoles: [],
};
const ALL_APPS = { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] };

function policy(
  id: string,
  displayName: string,
  patch: {
    conditions?: Partial<ConditionalAccessPolicy['conditions']>;
    grantControls?: ConditionalAccessPolicy['grantControls'];
  },
): ConditionalAccessPolicy {
  return {
    id,
    displayName,
    state: 'enabled',
    conditions: {
      clientAppTypes: ['all'],
      userRiskLevels: [],
      signInRiskLevels: [],
      applications: ALL_APPS,
      users: ALL_USERS,
      ...patch.conditions,
    },
    grantControls: patch.grantControls ?? null,
  };
}

/** Test data is mutated in place, one mutation per test. */
type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;

export interface IdentityTenant {
  users: Mutable<GraphUser>[];
  registration: Mutable<UserRegistrationDetails>[];
  policies: Mutable<ConditionalAccessPolicy>[];
  securityDefaults: Mutable<SecurityDefaultsPolicy>;
  strengths: Mutable<AuthenticationStrengthPolicy>[];
  roleAssignments: Mutable<RoleAssignment>[];
  eligibility: Mutable<RoleEligibilityScheduleInstance>[];
  methodsPolicy: Mutable<AuthenticationMethodsPolicy>;
  domains: Mutable<GraphDomain>[];
  /** The groups the policies name (graph.groups holds only those). */
  groups: Mutable<GraphGroup>[];
  roleDefinitions: Mutable<RoleDefinition>[];
  namedLocations: Mutable<NamedLocation>[];
  riskyUsers: Mutable<RiskyUser>[];
  p2: boolean;
}

/** A fresh, mutable copy of the golden tenant. */
export function goldenTenant(): IdentityTenant {
  // A JSON round trip, not structuredClone: no object may be shared between two policies.
  const golden: IdentityTenant = JSON.parse(
    JSON.stringify({
      users: USERS,
      registration: [
        registration(GLOBAL_ADMIN, ['fido2', 'microsoftAuthenticatorPush']),
        registration(GROUP_ADMIN, ['windowsHelloForBusiness']),
        ...USERS.slice(2, 4).map((u) => registration(u, ['microsoftAuthenticatorPush'])),
        registration(ELIGIBLE_ADMIN, ['fido2', 'microsoftAuthenticatorPush']),
      ],
      policies: [
        policy('ca-0001', 'Require MFA for all users', {
          grantControls: { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: null },
        }),
        policy('ca-0002', 'Block legacy authentication', {
          conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] },
          grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
        }),
        policy('ca-0003', 'Phishing-resistant MFA for administrators', {
          conditions: { users: { ...ALL_USERS, includeUsers: [], includeRoles: [GA_ROLE, EXCHANGE_ADMIN_ROLE] } },
          grantControls: {
            operator: 'AND',
            builtInControls: [],
            authenticationStrength: { id: PR_STRENGTH, displayName: 'Phishing-resistant MFA' },
          },
        }),
        policy('ca-0004', 'Block high user risk', {
          conditions: { userRiskLevels: ['high'] },
          grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
        }),
        policy('ca-0005', 'Block high sign-in risk', {
          conditions: { signInRiskLevels: ['high'] },
          grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
        }),
        // The flow condition is a flags string (conditionalAccessTransferMethods), as Graph sends it.
        policy(DEVICE_CODE_POLICY, 'Block device code flow', {
          conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow,authenticationTransfer' } },
          grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
        }),
      ],
      securityDefaults: { id: '00000000-0000-0000-0000-000000000005', isEnabled: false },
      strengths: [
        {
          id: '00000000-0000-0000-0000-000000000002',
          displayName: 'Multifactor authentication',
          policyType: 'builtIn',
          allowedCombinations: ['password,microsoftAuthenticatorPush', 'password,sms', 'fido2'],
        },
        {
          id: PR_STRENGTH,
          displayName: 'Phishing-resistant MFA',
          policyType: 'builtIn',
          allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
        },
        {
          id: CUSTOM_STRENGTH,
          displayName: 'Admin keys',
          policyType: 'custom',
          allowedCombinations: ['fido2', 'windowsHelloForBusiness'],
        },
      ],
      roleAssignments: [
        {
          id: 'ra-1',
          principalId: GLOBAL_ADMIN.id,
          roleDefinitionId: GA_ROLE,
          directoryScopeId: '/',
          principal: {
            '@odata.type': '#microsoft.graph.user',
            id: GLOBAL_ADMIN.id,
            displayName: GLOBAL_ADMIN.displayName,
            userPrincipalName: GLOBAL_ADMIN.userPrincipalName,
            accountEnabled: true,
          },
        },
        {
          id: 'ra-2',
          principalId: ADMIN_GROUP,
          roleDefinitionId: EXCHANGE_ADMIN_ROLE,
          directoryScopeId: '/',
          principal: {
            '@odata.type': '#microsoft.graph.group',
            id: ADMIN_GROUP,
            displayName: 'Exchange admins',
            members: [
              {
                '@odata.type': '#microsoft.graph.user',
                id: GROUP_ADMIN.id,
                displayName: GROUP_ADMIN.displayName,
                userPrincipalName: GROUP_ADMIN.userPrincipalName,
                accountEnabled: true,
              },
            ],
          },
        },
      ],
      eligibility: [
        {
          id: 'rei-1',
          principalId: ELIGIBLE_ADMIN.id,
          roleDefinitionId: GA_ROLE,
          directoryScopeId: '/',
          startDateTime: '2026-09-01T00:00:00Z',
          endDateTime: null,
          memberType: 'Direct',
          principal: {
            '@odata.type': '#microsoft.graph.user',
            id: ELIGIBLE_ADMIN.id,
            displayName: ELIGIBLE_ADMIN.displayName,
            userPrincipalName: ELIGIBLE_ADMIN.userPrincipalName,
            accountEnabled: true,
          },
        },
      ],
      methodsPolicy: {
        id: 'authenticationMethodsPolicy',
        policyMigrationState: 'migrationComplete',
        authenticationMethodConfigurations: [
          {
            '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
            id: 'Fido2',
            state: 'enabled',
            includeTargets: [{ targetType: 'group', id: 'all_users' }],
            excludeTargets: [],
          },
          {
            '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration',
            id: 'MicrosoftAuthenticator',
            state: 'enabled',
            includeTargets: [{ targetType: 'group', id: 'all_users' }],
            excludeTargets: [],
          },
          {
            '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration',
            id: 'Sms',
            state: 'disabled',
            includeTargets: [{ targetType: 'group', id: 'all_users', isUsableForSignIn: false }],
            excludeTargets: [],
          },
          {
            '@odata.type': '#microsoft.graph.voiceAuthenticationMethodConfiguration',
            id: 'Voice',
            state: 'disabled',
            includeTargets: [{ targetType: 'group', id: 'all_users' }],
            excludeTargets: [],
          },
          {
            '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration',
            id: 'Email',
            state: 'disabled',
            includeTargets: [{ targetType: 'group', id: 'all_users' }],
            excludeTargets: [],
            allowExternalIdToUseEmailOtp: 'default',
          },
        ],
      },
      domains: [
        {
          id: 'golden.example',
          isVerified: true,
          isDefault: true,
          isInitial: false,
          supportedServices: ['Email'],
          authenticationType: 'Managed',
        },
      ],
      groups: [
        { id: ADMIN_GROUP, displayName: 'Exchange admins' },
        { id: SALES_GROUP, displayName: 'Sales' },
        { id: CONTRACTORS_GROUP, displayName: 'Contractors' },
        { id: BREAK_GLASS_GROUP, displayName: 'Break-glass accounts' },
      ],
      roleDefinitions: [
        { id: GA_ROLE, displayName: 'Global Administrator', templateId: GA_ROLE, isBuiltIn: true },
        {
          id: EXCHANGE_ADMIN_ROLE,
          displayName: 'Exchange Administrator',
          templateId: EXCHANGE_ADMIN_ROLE,
          isBuiltIn: true,
        },
        {
          id: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          displayName: 'Helpdesk Administrator',
          templateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          isBuiltIn: true,
        },
      ],
      namedLocations: [
        {
          '@odata.type': '#microsoft.graph.ipNamedLocation',
          id: HEAD_OFFICE,
          displayName: 'Head office',
          isTrusted: true,
          ipRanges: [{ cidrAddress: '198.51.100.0/24' }],
        },
        {
          '@odata.type': '#microsoft.graph.ipNamedLocation',
          id: BREAK_GLASS_SITE,
          displayName: 'Break-glass site',
          isTrusted: false,
          ipRanges: [{ cidrAddress: '203.0.113.7/32' }],
        },
      ],
      riskyUsers: [],
      p2: true,
    }),
  ) as IdentityTenant;
  return golden;
}

const ok = (count?: number): SourceStatus => (count === undefined ? { status: 'ok' } : { status: 'ok', count });

/** The tenant as an in-memory snapshot, as the live collectors would build it. */
export function tenantSnapshot(t: IdentityTenant): Snapshot {
  const manifest: Manifest = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    tenantId: TENANT_ID,
    capturedAt: '2026-11-27T06:00:00.000Z',
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': t.p2 },
    sources: {
      'graph.users': ok(t.users.length),
      'graph.userRegistrationDetails': ok(t.registration.length),
      'graph.conditionalAccessPolicies': ok(t.policies.length),
      'graph.securityDefaults': ok(),
      'graph.authenticationStrengthPolicies': ok(t.strengths.length),
      'graph.roleAssignments': ok(t.roleAssignments.length),
      'graph.roleEligibilityScheduleInstances': t.p2
        ? ok(t.eligibility.length)
        : {
            status: 'not_licensed',
            licence: 'entra-id-p2',
            reason:
              'GET /roleManagement/directory/roleEligibilityScheduleInstances needs Microsoft Entra ID P2: Graph answered HTTP 400 AadPremiumLicenseRequired',
          },
      'graph.authenticationMethodsPolicy': ok(),
      'graph.domains': ok(t.domains.length),
      'graph.groups': ok(t.groups.length),
      'graph.roleDefinitions': ok(t.roleDefinitions.length),
      'graph.namedLocations': ok(t.namedLocations.length),
      'graph.riskyUsers': t.p2
        ? ok(t.riskyUsers.length)
        : {
            status: 'not_licensed',
            licence: 'entra-id-p2',
            reason: 'GET /identityProtection/riskyUsers needs Microsoft Entra ID P2',
          },
    },
  };
  return memorySnapshot(manifest, {
    'graph.users': t.users,
    'graph.userRegistrationDetails': t.registration,
    'graph.conditionalAccessPolicies': t.policies,
    'graph.securityDefaults': t.securityDefaults,
    'graph.authenticationStrengthPolicies': t.strengths,
    'graph.roleAssignments': t.roleAssignments,
    ...(t.p2 ? { 'graph.roleEligibilityScheduleInstances': t.eligibility } : {}),
    'graph.authenticationMethodsPolicy': t.methodsPolicy,
    'graph.domains': t.domains,
    'graph.groups': t.groups,
    'graph.roleDefinitions': t.roleDefinitions,
    'graph.namedLocations': t.namedLocations,
    ...(t.p2 ? { 'graph.riskyUsers': t.riskyUsers } : {}),
  });
}

/** A policy with the identity controls on; `params` adds control parameters. */
export function identityPolicyText(params: Record<string, Record<string, unknown>> = {}): string {
  const ids = [
    'mfa.registration',
    'mfa.enforcement',
    'mfa.admins-phishing-resistant',
    'mfa.weak-methods',
    'legacy-auth.blocked',
    'sign-ins.risk-policies',
    'sign-ins.device-code-blocked',
  ];
  return JSON.stringify({
    id: 'identity-test',
    title: 'identity controls',
    version: '1.0.0',
    description: 'test',
    controls: Object.fromEntries(ids.map((id) => [id, { enabled: true, ...params[id] }])),
    domains: { include: [], exclude: [], parked: [] },
    exceptions: [],
  });
}

/** The clock the golden-tenant tests judge at (their twin at today's date is identity-today). */
export const IDENTITY_NOW = new Date('2026-11-27T12:00:00Z');

/** Every identity control's results for tenant `t`, with `params` added to the controls' parameters. */
export async function judgeIdentityTenant(
  t: IdentityTenant,
  params: Record<string, Record<string, unknown>> = {},
  now: Date = IDENTITY_NOW,
): Promise<readonly Result[]> {
  const { policy } = parsePolicy(identityPolicyText(params), 'identity-test.json', now);
  return (await evaluate(tenantSnapshot(t), policy, { now, domains: [] })).results;
}

/** "control target status" of each result that is not a pass, sorted: the findings a change caused. */
export function notPassing(results: readonly Result[]): string[] {
  return results
    .filter((r) => r.status !== 'pass')
    .map((r) => `${r.control} ${r.target} ${r.status}`)
    .sort();
}
