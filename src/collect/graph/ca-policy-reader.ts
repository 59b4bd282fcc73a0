import type {
  ConditionalAccessConditions,
  ConditionalAccessFilter,
  ConditionalAccessGuestsOrExternalUsers,
  ConditionalAccessPolicy,
} from '../../snapshot/graph-types.js';

/*
 * A Conditional Access policy as Graph v1.0 returns it (conditionalAccessPolicy), projected onto
 * the snapshot type after its source schema has checked it (src/snapshot/schemas/graph-schemas.ts).
 * Every condition that can narrow a policy is kept. A condition key this projection does not know
 * is kept as Graph sent it, so the check can refuse to count the policy rather than miss a
 * narrowing Microsoft added later.
 */

type Fields = Readonly<Record<string, unknown>>;

/** The condition keys projected below. */
const PROJECTED_CONDITIONS = new Set([
  'applications',
  'users',
  'clientApplications',
  'clientAppTypes',
  'platforms',
  'locations',
  'devices',
  'authenticationFlows',
  'userRiskLevels',
  'signInRiskLevels',
  'insiderRiskLevels',
  'servicePrincipalRiskLevels',
]);

/** A list Graph may leave out (older API versions omit empty lists): absent reads as empty. */
const list = (value: unknown): readonly string[] => (value as readonly string[] | null | undefined) ?? [];
const optional = <T>(value: unknown): T | null => (value as T | null | undefined) ?? null;
const object = (value: unknown): Fields | null => (value as Fields | null | undefined) ?? null;

function filter(value: unknown): ConditionalAccessFilter | null {
  const o = object(value);
  return o ? { mode: optional<string>(o.mode), rule: optional<string>(o.rule) } : null;
}

function guests(value: unknown): ConditionalAccessGuestsOrExternalUsers | null {
  const o = object(value);
  if (!o) return null;
  const tenants = object(o.externalTenants);
  return {
    guestOrExternalUserTypes: optional<string | readonly string[]>(o.guestOrExternalUserTypes),
    externalTenants: tenants
      ? {
          membershipKind: optional<string>(tenants.membershipKind),
          members: optional<readonly string[]>(tenants.members),
        }
      : null,
  };
}

function conditions(c: Fields): ConditionalAccessConditions {
  const users = object(c.users);
  const apps = object(c.applications);
  const sp = object(c.clientApplications);
  const platforms = object(c.platforms);
  const locations = object(c.locations);
  const devices = object(c.devices);
  const flows = object(c.authenticationFlows);
  const unread = Object.fromEntries(
    Object.entries(c).filter(([key, value]) => !PROJECTED_CONDITIONS.has(key) && value !== null && value !== undefined),
  );
  return {
    ...unread,
    clientAppTypes: list(c.clientAppTypes),
    userRiskLevels: list(c.userRiskLevels),
    signInRiskLevels: list(c.signInRiskLevels),
    servicePrincipalRiskLevels: list(c.servicePrincipalRiskLevels),
    insiderRiskLevels: optional<string | readonly string[]>(c.insiderRiskLevels),
    applications: apps
      ? {
          includeApplications: list(apps.includeApplications),
          excludeApplications: list(apps.excludeApplications),
          includeUserActions: list(apps.includeUserActions),
          includeAuthenticationContextClassReferences: list(apps.includeAuthenticationContextClassReferences),
          applicationFilter: filter(apps.applicationFilter),
        }
      : null,
    users: users
      ? {
          includeUsers: list(users.includeUsers),
          excludeUsers: list(users.excludeUsers),
          includeGroups: list(users.includeGroups),
          excludeGroups: list(users.excludeGroups),
          includeRoles: list(users.includeRoles),
          excludeRoles: list(users.excludeRoles),
          includeGuestsOrExternalUsers: guests(users.includeGuestsOrExternalUsers),
          excludeGuestsOrExternalUsers: guests(users.excludeGuestsOrExternalUsers),
        }
      : null,
    clientApplications: sp
      ? {
          includeServicePrincipals: list(sp.includeServicePrincipals),
          excludeServicePrincipals: list(sp.excludeServicePrincipals),
          servicePrincipalFilter: filter(sp.servicePrincipalFilter),
        }
      : null,
    platforms: platforms
      ? { includePlatforms: list(platforms.includePlatforms), excludePlatforms: list(platforms.excludePlatforms) }
      : null,
    locations: locations
      ? { includeLocations: list(locations.includeLocations), excludeLocations: list(locations.excludeLocations) }
      : null,
    devices: devices ? { deviceFilter: filter(devices.deviceFilter) } : null,
    authenticationFlows: flows
      ? { transferMethods: optional<string | readonly string[]>(flows.transferMethods) }
      : null,
  };
}

function grantControls(value: unknown): ConditionalAccessPolicy['grantControls'] {
  const grant = object(value);
  if (!grant) return null;
  const strength = object(grant.authenticationStrength);
  return {
    operator: optional<string>(grant.operator),
    builtInControls: list(grant.builtInControls),
    authenticationStrength: strength
      ? {
          id: strength.id as string,
          displayName: optional<string>(strength.displayName),
          requirementsSatisfied: optional<string>(strength.requirementsSatisfied),
          allowedCombinations: optional<readonly string[]>(strength.allowedCombinations),
        }
      : null,
    termsOfUse: list(grant.termsOfUse),
    customAuthenticationFactors: list(grant.customAuthenticationFactors),
  };
}

function sessionControls(value: unknown): ConditionalAccessPolicy['sessionControls'] {
  const s = object(value);
  if (!s) return null;
  const browser = object(s.persistentBrowser);
  const frequency = object(s.signInFrequency);
  const mcas = object(s.cloudAppSecurity);
  const restrictions = object(s.applicationEnforcedRestrictions);
  return {
    disableResilienceDefaults: optional<boolean>(s.disableResilienceDefaults),
    persistentBrowser: browser
      ? { isEnabled: optional<boolean>(browser.isEnabled), mode: optional<string>(browser.mode) }
      : null,
    signInFrequency: frequency
      ? {
          isEnabled: optional<boolean>(frequency.isEnabled),
          value: optional<number>(frequency.value),
          type: optional<string>(frequency.type),
          frequencyInterval: optional<string>(frequency.frequencyInterval),
          authenticationType: optional<string>(frequency.authenticationType),
        }
      : null,
    cloudAppSecurity: mcas
      ? {
          isEnabled: optional<boolean>(mcas.isEnabled),
          cloudAppSecurityType: optional<string>(mcas.cloudAppSecurityType),
        }
      : null,
    applicationEnforcedRestrictions: restrictions ? { isEnabled: optional<boolean>(restrictions.isEnabled) } : null,
  };
}

/** One item of `GET /identity/conditionalAccess/policies`, already checked against its schema. */
export function projectConditionalAccessPolicy(o: Fields): ConditionalAccessPolicy {
  return {
    id: o.id as string,
    displayName: o.displayName as string,
    // An evolvable enum: unknown states are kept and simply do not count as enabled.
    state: o.state as string,
    conditions: conditions(o.conditions as Fields),
    grantControls: grantControls(o.grantControls),
    sessionControls: sessionControls(o.sessionControls),
  };
}
