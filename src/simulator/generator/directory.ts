import type { JsonObject } from '../../model/json.js';
import { seededRandom } from '../random.js';
import type { Scenarios } from './scenarios.js';
import { type GeneratedUser, guid, mix, type TenantShape, userAt } from './tenant-model.js';

/*
 * The generated tenant's Microsoft Graph directory and Identity Protection sources, one builder
 * per source: role assignments, Conditional Access policies and the names behind their IDs (roles,
 * groups, named locations), security defaults, authentication strengths, domains, risky users and
 * risk detections.
 */

/** Built-in role template IDs (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). */
export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  sharePointAdministrator: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
} as const;

const PHISHING_RESISTANT = '00000000-0000-0000-0000-000000000004';

/** `graph.roleAssignments`: six administrators directly, the rest through one role-assignable group. */
export function roleAssignments(shape: TenantShape, admins: readonly GeneratedUser[]): JsonObject[] {
  const direct = admins.slice(0, 6);
  const grouped = admins.slice(6);
  const directRoles = [
    ROLE.globalAdministrator,
    ROLE.globalAdministrator,
    ROLE.globalAdministrator,
    ROLE.exchangeAdministrator,
    ROLE.securityAdministrator,
    ROLE.sharePointAdministrator,
  ];
  const principal = (u: GeneratedUser): JsonObject => ({
    '@odata.type': '#microsoft.graph.user',
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.upn,
    accountEnabled: u.enabled,
  });
  const groupId = guid(seededRandom(mix(shape.seed, 1, 50)));
  const roleAssignments: JsonObject[] = direct.map((u, i) => ({
    id: `ra-${i + 1}-${u.id.slice(0, 8)}`,
    principalId: u.id,
    roleDefinitionId: directRoles[i] ?? ROLE.userAdministrator,
    directoryScopeId: '/',
    principal: principal(u),
  }));
  if (grouped.length > 0) {
    roleAssignments.push({
      id: `ra-group-${groupId.slice(0, 8)}`,
      principalId: groupId,
      roleDefinitionId: ROLE.privilegedRoleAdministrator,
      directoryScopeId: '/',
      principal: {
        '@odata.type': '#microsoft.graph.group',
        id: groupId,
        displayName: 'Tier 0 administrators',
        members: grouped.map(principal),
      },
    });
  }
  return roleAssignments;
}

/** `graph.conditionalAccessPolicies`: the usual mix, each excluding the break-glass account. */
export function conditionalAccessPolicies(shape: TenantShape, breakGlass: GeneratedUser): JsonObject[] {
  const policies: JsonObject[] = [
    {
      id: guid(seededRandom(mix(shape.seed, 1, 60))),
      displayName: 'Require MFA for all users',
      state: 'enabled',
      conditions: {
        clientAppTypes: ['all'],
        applications: { includeApplications: ['All'] },
        users: {
          includeUsers: ['All'],
          excludeUsers: [breakGlass.id],
          includeGroups: [],
          excludeGroups: [],
          includeRoles: [],
          excludeRoles: [],
        },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: null },
    },
    {
      id: guid(seededRandom(mix(shape.seed, 2, 60))),
      displayName: 'Block legacy authentication',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        clientAppTypes: ['exchangeActiveSync', 'other'],
        applications: { includeApplications: ['All'] },
        users: { includeUsers: ['All'], excludeUsers: [breakGlass.id] },
      },
      grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
    },
    {
      id: guid(seededRandom(mix(shape.seed, 3, 60))),
      displayName: 'Phishing-resistant MFA for administrators',
      state: 'enabled',
      conditions: {
        clientAppTypes: ['all'],
        applications: { includeApplications: ['All'] },
        users: {
          includeUsers: [],
          excludeUsers: [breakGlass.id],
          includeRoles: [ROLE.globalAdministrator, ROLE.privilegedRoleAdministrator, ROLE.securityAdministrator],
        },
      },
      grantControls: {
        operator: 'AND',
        builtInControls: [],
        authenticationStrength: { id: PHISHING_RESISTANT, displayName: 'Phishing-resistant MFA' },
      },
    },
    {
      id: guid(seededRandom(mix(shape.seed, 4, 60))),
      displayName: 'Block high user risk',
      state: 'enabled',
      conditions: {
        clientAppTypes: ['all'],
        userRiskLevels: ['high'],
        signInRiskLevels: [],
        applications: { includeApplications: ['All'] },
        users: { includeUsers: ['All'], excludeUsers: [breakGlass.id] },
      },
      grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
    },
    {
      id: guid(seededRandom(mix(shape.seed, 5, 60))),
      displayName: 'Compliant device or MFA (pilot)',
      state: 'disabled',
      conditions: {
        clientAppTypes: ['all'],
        applications: { includeApplications: ['All'] },
        users: { includeUsers: ['All'] },
      },
      grantControls: { operator: 'OR', builtInControls: ['mfa', 'compliantDevice'], authenticationStrength: null },
    },
    {
      // Still in report-only, as many tenants leave it: the flow stays open to device-code phishing.
      id: guid(seededRandom(mix(shape.seed, 9, 60))),
      displayName: 'Block device code flow',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        clientAppTypes: ['all'],
        applications: { includeApplications: ['All'] },
        users: { includeUsers: ['All'], excludeUsers: [breakGlass.id] },
        // A flags string (conditionalAccessTransferMethods), as Graph sends it.
        authenticationFlows: { transferMethods: 'deviceCodeFlow' },
      },
      grantControls: { operator: 'OR', builtInControls: ['block'], authenticationStrength: null },
    },
  ];
  return policies;
}

/** The display names of the built-in roles above (the same permissions-reference page). */
const ROLE_NAMES: Readonly<Record<string, string>> = {
  [ROLE.globalAdministrator]: 'Global Administrator',
  [ROLE.privilegedRoleAdministrator]: 'Privileged Role Administrator',
  [ROLE.exchangeAdministrator]: 'Exchange Administrator',
  [ROLE.securityAdministrator]: 'Security Administrator',
  [ROLE.sharePointAdministrator]: 'SharePoint Administrator',
  [ROLE.userAdministrator]: 'User Administrator',
};

/** `graph.roleDefinitions`: the built-in roles the tenant uses, by template ID. */
export function roleDefinitions(): JsonObject[] {
  return Object.entries(ROLE_NAMES).map(([id, displayName]) => ({ id, displayName, templateId: id, isBuiltIn: true }));
}

/** `graph.groups`: only the groups the Conditional Access policies name (the generated ones name none). */
export function referencedGroups(): JsonObject[] {
  return [];
}

/** `graph.namedLocations`: a trusted head office and a country list, named by no generated policy. */
export function namedLocations(shape: TenantShape): JsonObject[] {
  return [
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      id: guid(seededRandom(mix(shape.seed, 7, 60))),
      displayName: 'Head office',
      isTrusted: true,
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }],
    },
    {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      id: guid(seededRandom(mix(shape.seed, 8, 60))),
      displayName: 'Countries we do not operate in',
      countriesAndRegions: ['KP', 'IR'],
      includeUnknownCountriesAndRegions: false,
      countryLookupMethod: 'clientIpAddress',
    },
  ];
}

/** `graph.securityDefaults`: off, as Conditional Access requires. */
export const SECURITY_DEFAULTS: JsonObject = {
  id: '00000000-0000-0000-0000-000000000005',
  displayName: 'Security Defaults',
  isEnabled: false,
};

/** `graph.authenticationStrengthPolicies`: the three built-in strengths and one weak custom one. */
export function authenticationStrengths(shape: TenantShape): JsonObject[] {
  const strengths = [
    {
      id: '00000000-0000-0000-0000-000000000002',
      displayName: 'Multifactor authentication',
      policyType: 'builtIn',
      requirementsSatisfied: 'mfa',
      allowedCombinations: [
        'windowsHelloForBusiness',
        'fido2',
        'x509CertificateMultiFactor',
        'deviceBasedPush',
        'temporaryAccessPassOneTime',
        'password,microsoftAuthenticatorPush',
        'password,softwareOath',
        'password,sms',
        'password,voice',
      ],
    },
    {
      id: '00000000-0000-0000-0000-000000000003',
      displayName: 'Passwordless MFA',
      policyType: 'builtIn',
      requirementsSatisfied: 'mfa',
      allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'],
    },
    {
      id: PHISHING_RESISTANT,
      displayName: 'Phishing-resistant MFA',
      policyType: 'builtIn',
      requirementsSatisfied: 'mfa',
      allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
    },
    {
      id: guid(seededRandom(mix(shape.seed, 6, 60))),
      displayName: 'Admin MFA (allows SMS)',
      policyType: 'custom',
      requirementsSatisfied: 'mfa',
      allowedCombinations: ['fido2', 'password,sms'],
    },
  ];
  return strengths;
}

/** `graph.domains`: the custom domains (the first the default) and the initial domain. */
export function tenantDomains(shape: TenantShape): JsonObject[] {
  const domains = [
    ...shape.domains.map((id, i) => ({
      id,
      authenticationType: 'Managed',
      isDefault: i === 0,
      isInitial: false,
      isRoot: true,
      isVerified: true,
      supportedServices: ['Email', 'OfficeCommunicationsOnline'],
    })),
    {
      id: shape.initialDomain,
      authenticationType: 'Managed',
      isDefault: false,
      isInitial: true,
      isRoot: true,
      isVerified: true,
      supportedServices: ['Email', 'OfficeCommunicationsOnline'],
    },
  ];
  return domains;
}

/** `graph.riskyUsers`: the risky scenario's users, one confirmed compromised, one remediated. */
export function riskyUsers(shape: TenantShape, s: Scenarios) {
  const risky = s.risky.map((index, i) => {
    const u = userAt(shape, index);
    const state = i === s.risky.length - 1 ? 'remediated' : i === 0 ? 'confirmedCompromised' : 'atRisk';
    return {
      id: u.id,
      isDeleted: false,
      isProcessing: false,
      riskLastUpdatedDateTime: new Date(shape.capturedAt.getTime() - (i + 2) * 3600_000).toISOString(),
      riskLevel: i % 2 === 0 ? 'high' : 'medium',
      riskState: state,
      riskDetail: state === 'remediated' ? 'userPerformedSecuredPasswordReset' : 'none',
      userDisplayName: u.displayName,
      userPrincipalName: u.upn,
    };
  });
  return risky;
}

/** `graph.riskDetections`: one detection per risky user. */
export function riskDetections(shape: TenantShape, risky: ReturnType<typeof riskyUsers>) {
  const detections = risky.map((r, i) => ({
    id: guid(seededRandom(mix(shape.seed, i, 70))),
    requestId: guid(seededRandom(mix(shape.seed, i, 71))),
    riskEventType: [
      'unlikelyTravel',
      'anonymizedIPAddress',
      'unfamiliarFeatures',
      'passwordSpray',
      'leakedCredentials',
    ][i % 5],
    riskState: r.riskState,
    riskLevel: r.riskLevel,
    riskDetail: r.riskDetail,
    source: 'IdentityProtection',
    detectionTimingType: 'realtime',
    activity: 'signin',
    ipAddress: `95.165.${i}.${10 + i}`,
    activityDateTime: r.riskLastUpdatedDateTime,
    detectedDateTime: r.riskLastUpdatedDateTime,
    lastUpdatedDateTime: r.riskLastUpdatedDateTime,
    userId: r.id,
    userDisplayName: r.userDisplayName,
    userPrincipalName: r.userPrincipalName,
    additionalInfo: '[{"Key":"userAgent","Value":"Mozilla/5.0"}]',
    location: {
      city: 'Moscow',
      state: 'Moscow',
      countryOrRegion: 'RU',
      geoCoordinates: { latitude: 55.7558, longitude: 37.6173 },
    },
  }));
  return detections;
}
