import type { Finding } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { AuthenticationMethodConfiguration } from '../../snapshot/graph-types.js';
import type { CheckInput } from '../check.js';

/*
 * `mfa.weak-methods` (SCuBA MS.AAD.3.5v2, CIS 5.2.3.5): SMS, voice call and email one-time passcode
 * off for members in the authentication methods policy
 * (learn.microsoft.com/graph/api/resources/authenticationmethodspolicy). Unlike a check of `state`
 * alone, a method enabled only for targets its own exclusions also name is enabled for nobody.
 */

/** The weak methods, by the `id` Graph gives their configurations, with the names people use. */
const WEAK_METHODS: readonly { readonly id: string; readonly name: string }[] = [
  { id: 'Sms', name: 'SMS' },
  { id: 'Voice', name: 'Voice call' },
  { id: 'Email', name: 'Email one-time passcode' },
];

/** The one target that means every user of the tenant (authenticationMethodTarget). */
const ALL_USERS = 'all_users';

/** Before this state the legacy MFA and SSPR policies, which Graph does not expose, still apply. */
const MIGRATED = 'migrationComplete';

interface Accepted {
  readonly method: string;
  readonly reason: string;
}

function acceptedMethods(raw: unknown): readonly Accepted[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { method, reason } = item as { method?: unknown; reason?: unknown };
    return typeof method === 'string' && typeof reason === 'string' ? [{ method, reason }] : [];
  });
}

function targetJson(t: {
  readonly targetType: string;
  readonly id: string;
  readonly isUsableForSignIn?: boolean | null;
}) {
  return {
    targetType: t.targetType,
    id: t.id,
    ...(typeof t.isUsableForSignIn === 'boolean' ? { isUsableForSignIn: t.isUsableForSignIn } : {}),
  };
}

/** The include targets the exclusions leave in: who the method is on for. */
function remainingTargets(config: AuthenticationMethodConfiguration) {
  const excluded = new Set((config.excludeTargets ?? []).map((t) => t.id.toLowerCase()));
  if (excluded.has(ALL_USERS)) return [];
  return (config.includeTargets ?? []).filter((t) => !excluded.has(t.id.toLowerCase()));
}

function judge(
  method: { readonly id: string; readonly name: string },
  config: AuthenticationMethodConfiguration | undefined,
  migration: string | null,
  accepted: Accepted | undefined,
): Finding {
  const target = method.id;
  const migrated = migration === null || migration === MIGRATED;
  const base: JsonObject = { method: method.id, policyMigrationState: migration };
  if (!config) {
    return {
      target,
      status: 'error',
      message: `${method.name} has no configuration in the authentication methods policy, so whether it is enabled is unknown.`,
      evidence: base,
    };
  }
  const state = config.state.toLowerCase();
  const remaining = remainingTargets(config);
  const evidence: JsonObject = {
    ...base,
    state: config.state,
    includeTargets: (config.includeTargets ?? []).map(targetJson),
    excludeTargets: (config.excludeTargets ?? []).map(targetJson),
    enabledFor: remaining.map(targetJson),
    ...(config.allowExternalIdToUseEmailOtp !== undefined
      ? { allowExternalIdToUseEmailOtp: config.allowExternalIdToUseEmailOtp ?? null }
      : {}),
  };
  const off = state === 'disabled' || (state === 'enabled' && remaining.length === 0);
  if (state !== 'disabled' && state !== 'enabled') {
    return {
      target,
      status: 'error',
      message: `${method.name} is in state "${config.state}", which mailwarden does not know.`,
      evidence,
    };
  }
  if (off) {
    const why =
      state === 'disabled'
        ? 'is disabled'
        : (config.includeTargets ?? []).length === 0
          ? 'is enabled for no user (no include target)'
          : 'is enabled only for targets its exclusions also name';
    if (!migrated) {
      // The legacy MFA and SSPR policies may still offer the method; Graph does not show them.
      return {
        target,
        status: 'error',
        message: `${method.name} ${why} in the authentication methods policy, but the tenant has not finished migrating from the legacy MFA and SSPR policies (policyMigrationState ${migration}), which may still allow it.`,
        evidence,
      };
    }
    return {
      target,
      status: 'pass',
      message: `${method.name} ${why} in the authentication methods policy (policyMigrationState ${migration ?? 'not stated'}).`,
      evidence,
    };
  }
  const signIn = remaining.some((t) => t.isUsableForSignIn === true);
  const who = remaining.map((t) => (t.id.toLowerCase() === ALL_USERS ? 'all users' : `${t.targetType} ${t.id}`));
  if (accepted) {
    return {
      target,
      status: 'pass',
      message: `${method.name} is enabled for ${who.join(', ')}; the policy accepts it: ${accepted.reason}`,
      evidence: { ...evidence, accepted: { reason: accepted.reason } },
    };
  }
  return {
    target,
    status: 'fail',
    message: `${method.name} is enabled for ${who.join(', ')}${signIn ? ', and the phone number alone signs in (isUsableForSignIn)' : ''}.`,
    evidence: { ...evidence, usableForSignIn: signIn },
    // SMS as a first factor: a ported or swapped number alone is the account.
    ...(signIn ? { severity: 'critical' as const } : {}),
  };
}

/** `mfa.weak-methods`: one result per weak method. */
export function weakMethods({ snapshot, params }: CheckInput): readonly Finding[] {
  const policy = snapshot.data('graph.authenticationMethodsPolicy');
  const configs = policy.authenticationMethodConfigurations;
  const accepted = acceptedMethods(params.raw('acceptedMethods'));
  const migration = policy.policyMigrationState ?? null;
  return WEAK_METHODS.map((method) =>
    judge(
      method,
      configs.find((c) => c.id.toLowerCase() === method.id.toLowerCase()),
      migration,
      accepted.find((a) => a.method.toLowerCase() === method.id.toLowerCase()),
    ),
  );
}
