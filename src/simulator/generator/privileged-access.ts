import type { JsonObject } from '../../model/json.js';
import { seededRandom } from '../random.js';
import { ROLE } from './directory.js';
import { type GeneratedUser, guid, mix, type TenantShape, userAt } from './tenant-model.js';
import { hasStrongMethod, type Scenarios } from './scenarios.js';

/*
 * The generated tenant's PIM eligibility and authentication methods policy: the sources behind
 * the eligible half of mfa.admins-phishing-resistant and behind mfa.weak-methods.
 */

function principal(u: GeneratedUser): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.user',
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.upn,
    accountEnabled: u.enabled,
  };
}

/**
 * `graph.roleEligibilityScheduleInstances`: a member without a phishing-resistant method eligible
 * for Global Administrator (a finding: they can activate it at any moment), one with a FIDO2 key
 * or Windows Hello eligible for Security Administrator (covered once activated), and an on-call
 * group of administrators eligible for User Administrator, which the administrators' policy does
 * not name.
 */
export function roleEligibility(shape: TenantShape, admins: readonly GeneratedUser[], s: Scenarios): JsonObject[] {
  // admins[0] is the break-glass account: its Global Administrator role is active, never eligible.
  const candidates = admins.slice(1);
  const pickOne = (indices: readonly number[], fallback: (u: GeneratedUser) => boolean) => {
    const index = indices[0];
    return index !== undefined ? userAt(shape, index) : candidates.find(fallback);
  };
  const weak = pickOne(s.eligibleWeak, (u) => !hasStrongMethod(u));
  const strong = pickOne(s.eligibleStrong, (u) => hasStrongMethod(u) && u !== weak);
  const start = new Date(shape.capturedAt.getTime() - 90 * 24 * 3600_000).toISOString();
  const instance = (n: number, role: string, holder: JsonObject, memberType: string): JsonObject => {
    const id = guid(seededRandom(mix(shape.seed, n, 70)));
    return {
      id,
      principalId: holder.id as string,
      roleDefinitionId: role,
      directoryScopeId: '/',
      appScopeId: null,
      startDateTime: start,
      endDateTime: null,
      memberType,
      roleEligibilityScheduleId: guid(seededRandom(mix(shape.seed, n, 71))),
      principal: holder,
    };
  };
  const out: JsonObject[] = [];
  if (weak) out.push(instance(1, ROLE.globalAdministrator, principal(weak), 'Direct'));
  if (strong) out.push(instance(2, ROLE.securityAdministrator, principal(strong), 'Direct'));
  const onCall = candidates.slice(0, 2);
  if (onCall.length > 0) {
    out.push(
      instance(
        3,
        ROLE.userAdministrator,
        {
          '@odata.type': '#microsoft.graph.group',
          id: guid(seededRandom(mix(shape.seed, 3, 72))),
          displayName: 'Helpdesk on call (eligible)',
          members: onCall.map(principal),
        },
        'Direct',
      ),
    );
  }
  return out;
}

const target = (id: string, extra: JsonObject = {}): JsonObject => ({
  targetType: 'group',
  id,
  isRegistrationRequired: false,
  ...extra,
});

/**
 * `graph.authenticationMethodsPolicy`, in the shape of the documented GET example: phishing-resistant
 * and app methods on, voice off, email OTP on for external users only (no include targets), and SMS
 * still on for all users, as in a tenant that migrated from the legacy MFA policy.
 */
export function authenticationMethodsPolicy(): JsonObject {
  const method = (type: string, id: string, state: string, includeTargets: JsonObject[], extra: JsonObject = {}) => ({
    '@odata.type': `#microsoft.graph.${type}AuthenticationMethodConfiguration`,
    id,
    state,
    excludeTargets: [],
    includeTargets,
    ...extra,
  });
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#authenticationMethodsPolicy',
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description: 'The tenant-wide policy that controls which authentication methods are allowed in the tenant.',
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    reconfirmationInDays: 0,
    authenticationMethodConfigurations: [
      method('fido2', 'Fido2', 'enabled', [target('all_users')], {
        isSelfServiceRegistrationAllowed: true,
        isAttestationEnforced: true,
      }),
      method('microsoftAuthenticator', 'MicrosoftAuthenticator', 'enabled', [
        target('all_users', { authenticationMode: 'any' }),
      ]),
      method('sms', 'Sms', 'enabled', [target('all_users', { isUsableForSignIn: false })]),
      method('voice', 'Voice', 'disabled', [target('all_users')], { isOfficePhoneAllowed: false }),
      method('email', 'Email', 'enabled', [], { allowExternalIdToUseEmailOtp: 'enabled' }),
      method('softwareOath', 'SoftwareOath', 'enabled', [target('all_users')]),
      method('temporaryAccessPass', 'TemporaryAccessPass', 'enabled', [target('all_users')], {
        defaultLifetimeInMinutes: 60,
        defaultLength: 8,
        isUsableOnce: true,
      }),
      method('x509Certificate', 'X509Certificate', 'disabled', [target('all_users')]),
    ],
  };
}
