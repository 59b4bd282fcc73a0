import type {
  ConditionalAccessConditions,
  ConditionalAccessFilter,
  ConditionalAccessGuestsOrExternalUsers,
  ConditionalAccessPolicy,
} from '../../snapshot/graph-types.js';
import type { ShapeReader } from './shape.js';

/*
 * A Conditional Access policy as Graph v1.0 returns it (conditionalAccessPolicy), read field by
 * field into the snapshot type. Every condition that can narrow a policy is kept. A condition key
 * this reader does not know is kept as Graph sent it, so the check can refuse to count the policy
 * rather than miss a narrowing Microsoft added later.
 */

type Json = Readonly<Record<string, unknown>>;

/** The condition keys read below; `sessionControls` and `grantControls` are read beside them. */
const READ_CONDITIONS = new Set([
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

/** A flags enum: Graph sends one comma-separated string; an array is accepted too. */
function flags(r: ShapeReader, value: unknown, field: string): string | readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  return r.strings(value, field);
}

function optionalNumber(r: ShapeReader, value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') r.fail(field, 'is not a number');
  return value;
}

function filter(r: ShapeReader, value: unknown, field: string): ConditionalAccessFilter | null {
  const o = r.optionalObject(value, field);
  if (!o) return null;
  return { mode: r.optionalString(o.mode, `${field}.mode`), rule: r.optionalString(o.rule, `${field}.rule`) };
}

function guests(r: ShapeReader, value: unknown, field: string): ConditionalAccessGuestsOrExternalUsers | null {
  const o = r.optionalObject(value, field);
  if (!o) return null;
  const tenants = r.optionalObject(o.externalTenants, `${field}.externalTenants`);
  return {
    guestOrExternalUserTypes: flags(r, o.guestOrExternalUserTypes, `${field}.guestOrExternalUserTypes`),
    externalTenants: tenants
      ? {
          membershipKind: r.optionalString(tenants.membershipKind, `${field}.externalTenants.membershipKind`),
          members: r.optionalStrings(tenants.members, `${field}.externalTenants.members`),
        }
      : null,
  };
}

function conditions(r: ShapeReader, c: Json, at: string): ConditionalAccessConditions {
  const u = `${at}.users`;
  const a = `${at}.applications`;
  const users = r.optionalObject(c.users, u);
  const apps = r.optionalObject(c.applications, a);
  const sp = r.optionalObject(c.clientApplications, `${at}.clientApplications`);
  const platforms = r.optionalObject(c.platforms, `${at}.platforms`);
  const locations = r.optionalObject(c.locations, `${at}.locations`);
  const devices = r.optionalObject(c.devices, `${at}.devices`);
  const flows = r.optionalObject(c.authenticationFlows, `${at}.authenticationFlows`);
  const unread = Object.fromEntries(
    Object.entries(c).filter(([key, value]) => !READ_CONDITIONS.has(key) && value !== null && value !== undefined),
  );
  return {
    ...unread,
    clientAppTypes: r.strings(c.clientAppTypes, `${at}.clientAppTypes`),
    userRiskLevels: r.optionalStrings(c.userRiskLevels, `${at}.userRiskLevels`),
    signInRiskLevels: r.optionalStrings(c.signInRiskLevels, `${at}.signInRiskLevels`),
    servicePrincipalRiskLevels: r.optionalStrings(c.servicePrincipalRiskLevels, `${at}.servicePrincipalRiskLevels`),
    insiderRiskLevels: flags(r, c.insiderRiskLevels, `${at}.insiderRiskLevels`),
    applications: apps
      ? {
          includeApplications: r.strings(apps.includeApplications, `${a}.includeApplications`),
          excludeApplications: r.stringsOrEmpty(apps.excludeApplications, `${a}.excludeApplications`),
          includeUserActions: r.optionalStrings(apps.includeUserActions, `${a}.includeUserActions`),
          includeAuthenticationContextClassReferences: r.optionalStrings(
            apps.includeAuthenticationContextClassReferences,
            `${a}.includeAuthenticationContextClassReferences`,
          ),
          applicationFilter: filter(r, apps.applicationFilter, `${a}.applicationFilter`),
        }
      : null,
    users: users
      ? {
          includeUsers: r.strings(users.includeUsers, `${u}.includeUsers`),
          excludeUsers: r.stringsOrEmpty(users.excludeUsers, `${u}.excludeUsers`),
          includeGroups: r.stringsOrEmpty(users.includeGroups, `${u}.includeGroups`),
          excludeGroups: r.stringsOrEmpty(users.excludeGroups, `${u}.excludeGroups`),
          includeRoles: r.stringsOrEmpty(users.includeRoles, `${u}.includeRoles`),
          excludeRoles: r.stringsOrEmpty(users.excludeRoles, `${u}.excludeRoles`),
          includeGuestsOrExternalUsers: guests(
            r,
            users.includeGuestsOrExternalUsers,
            `${u}.includeGuestsOrExternalUsers`,
          ),
          excludeGuestsOrExternalUsers: guests(
            r,
            users.excludeGuestsOrExternalUsers,
            `${u}.excludeGuestsOrExternalUsers`,
          ),
        }
      : null,
    clientApplications: sp
      ? {
          includeServicePrincipals: r.optionalStrings(
            sp.includeServicePrincipals,
            `${at}.clientApplications.includeServicePrincipals`,
          ),
          excludeServicePrincipals: r.optionalStrings(
            sp.excludeServicePrincipals,
            `${at}.clientApplications.excludeServicePrincipals`,
          ),
          servicePrincipalFilter: filter(
            r,
            sp.servicePrincipalFilter,
            `${at}.clientApplications.servicePrincipalFilter`,
          ),
        }
      : null,
    platforms: platforms
      ? {
          includePlatforms: r.optionalStrings(platforms.includePlatforms, `${at}.platforms.includePlatforms`),
          excludePlatforms: r.optionalStrings(platforms.excludePlatforms, `${at}.platforms.excludePlatforms`),
        }
      : null,
    locations: locations
      ? {
          includeLocations: r.optionalStrings(locations.includeLocations, `${at}.locations.includeLocations`),
          excludeLocations: r.optionalStrings(locations.excludeLocations, `${at}.locations.excludeLocations`),
        }
      : null,
    devices: devices ? { deviceFilter: filter(r, devices.deviceFilter, `${at}.devices.deviceFilter`) } : null,
    authenticationFlows: flows
      ? { transferMethods: flags(r, flows.transferMethods, `${at}.authenticationFlows.transferMethods`) }
      : null,
  };
}

function grantControls(r: ShapeReader, value: unknown, at: string): ConditionalAccessPolicy['grantControls'] {
  const grant = r.optionalObject(value, at);
  if (!grant) return null;
  const s = `${at}.authenticationStrength`;
  const strength = r.optionalObject(grant.authenticationStrength, s);
  return {
    operator: r.optionalString(grant.operator, `${at}.operator`),
    builtInControls: r.stringsOrEmpty(grant.builtInControls, `${at}.builtInControls`),
    authenticationStrength: strength
      ? {
          id: r.string(strength.id, `${s}.id`),
          displayName: r.optionalString(strength.displayName, `${s}.displayName`),
          requirementsSatisfied: r.optionalString(strength.requirementsSatisfied, `${s}.requirementsSatisfied`),
          allowedCombinations: r.optionalStrings(strength.allowedCombinations, `${s}.allowedCombinations`),
        }
      : null,
    termsOfUse: r.optionalStrings(grant.termsOfUse, `${at}.termsOfUse`),
    customAuthenticationFactors: r.optionalStrings(
      grant.customAuthenticationFactors,
      `${at}.customAuthenticationFactors`,
    ),
  };
}

function enabled(r: ShapeReader, o: Json | null, field: string): boolean | null {
  return o ? r.optionalBoolean(o.isEnabled, `${field}.isEnabled`) : null;
}

function sessionControls(r: ShapeReader, value: unknown, at: string): ConditionalAccessPolicy['sessionControls'] {
  const s = r.optionalObject(value, at);
  if (!s) return null;
  const browser = r.optionalObject(s.persistentBrowser, `${at}.persistentBrowser`);
  const frequency = r.optionalObject(s.signInFrequency, `${at}.signInFrequency`);
  const mcas = r.optionalObject(s.cloudAppSecurity, `${at}.cloudAppSecurity`);
  const restrictions = r.optionalObject(s.applicationEnforcedRestrictions, `${at}.applicationEnforcedRestrictions`);
  return {
    disableResilienceDefaults: r.optionalBoolean(s.disableResilienceDefaults, `${at}.disableResilienceDefaults`),
    persistentBrowser: browser
      ? {
          isEnabled: enabled(r, browser, `${at}.persistentBrowser`),
          mode: r.optionalString(browser.mode, `${at}.persistentBrowser.mode`),
        }
      : null,
    signInFrequency: frequency
      ? {
          isEnabled: enabled(r, frequency, `${at}.signInFrequency`),
          value: optionalNumber(r, frequency.value, `${at}.signInFrequency.value`),
          type: r.optionalString(frequency.type, `${at}.signInFrequency.type`),
          frequencyInterval: r.optionalString(frequency.frequencyInterval, `${at}.signInFrequency.frequencyInterval`),
          authenticationType: r.optionalString(
            frequency.authenticationType,
            `${at}.signInFrequency.authenticationType`,
          ),
        }
      : null,
    cloudAppSecurity: mcas
      ? {
          isEnabled: enabled(r, mcas, `${at}.cloudAppSecurity`),
          cloudAppSecurityType: r.optionalString(
            mcas.cloudAppSecurityType,
            `${at}.cloudAppSecurity.cloudAppSecurityType`,
          ),
        }
      : null,
    applicationEnforcedRestrictions: restrictions
      ? { isEnabled: enabled(r, restrictions, `${at}.applicationEnforcedRestrictions`) }
      : null,
  };
}

/** One item of `GET /identity/conditionalAccess/policies`. */
export function readConditionalAccessPolicy(r: ShapeReader, item: unknown, at: string): ConditionalAccessPolicy {
  const o = r.object(item, at);
  return {
    id: r.string(o.id, `${at}.id`),
    displayName: r.string(o.displayName, `${at}.displayName`),
    // An evolvable enum: unknown states are kept and simply do not count as enabled.
    state: r.string(o.state, `${at}.state`),
    conditions: conditions(r, r.object(o.conditions, `${at}.conditions`), `${at}.conditions`),
    grantControls: grantControls(r, o.grantControls, `${at}.grantControls`),
    sessionControls: sessionControls(r, o.sessionControls, `${at}.sessionControls`),
  };
}
