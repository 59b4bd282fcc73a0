import type {
  AuthenticationMethodConfiguration,
  AuthenticationMethodsPolicy,
  AuthenticationMethodTarget,
  RoleEligibilityScheduleInstance,
} from '../../snapshot/graph-types.js';
import { recordCheck } from '../../snapshot/shape-check.js';
import type { SourceCollectors } from '../live/source-collector.js';
import { type GraphApi, GraphShapeError } from './graph-api.js';
import { graphSource } from './graph-source.js';
import { projectPrincipal, readRoleHolders } from './role-holders.js';

/*
 * Who may hold a privileged role without holding it now (PIM eligibility), and which
 * authentication methods the tenant lets its users register and use.
 */

/**
 * PIM-eligible role assignments (learn.microsoft.com/graph/api/rbacapplication-list-roleeligibilityscheduleinstances),
 * with the holder expanded as Maester reads them; group holders get their members (role-holders.ts).
 * Without Microsoft Entra ID P2 Graph answers 400 AadPremiumLicenseRequired (graph-source.ts).
 */
export const ROLE_ELIGIBILITY_PATH = '/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal';
/** authenticationMethodConfigurations is expanded on GET (authenticationmethodspolicy-get). */
export const AUTHENTICATION_METHODS_POLICY_PATH = '/policies/authenticationMethodsPolicy';

type Item = Readonly<Record<string, unknown>>;
const optional = <T>(value: unknown): T | null => (value as T | undefined) ?? null;

function projectEligibility(o: Item): RoleEligibilityScheduleInstance {
  const principal = o.principal as Item | null | undefined;
  return {
    id: o.id as string,
    principalId: o.principalId as string,
    roleDefinitionId: o.roleDefinitionId as string,
    directoryScopeId: optional<string>(o.directoryScopeId),
    startDateTime: optional<string>(o.startDateTime),
    endDateTime: optional<string>(o.endDateTime),
    memberType: optional<string>(o.memberType),
    principal: principal ? projectPrincipal(principal) : null,
  };
}

function projectTarget(o: Item): AuthenticationMethodTarget {
  return {
    targetType: o.targetType as string,
    id: o.id as string,
    ...(typeof o.isUsableForSignIn === 'boolean' ? { isUsableForSignIn: o.isUsableForSignIn } : {}),
  };
}

/** A method's configuration cut to what mfa.weak-methods reads (the method-specific settings are dropped). */
function projectConfiguration(o: Item): AuthenticationMethodConfiguration {
  const include = o.includeTargets as readonly Item[] | null | undefined;
  const exclude = o.excludeTargets as readonly Item[] | null | undefined;
  return {
    ...(typeof o['@odata.type'] === 'string' ? { '@odata.type': o['@odata.type'] } : {}),
    id: o.id as string,
    state: o.state as string,
    // The documented example leaves excludeTargets out: an absent list holds nobody.
    includeTargets: (include ?? []).map(projectTarget),
    excludeTargets: (exclude ?? []).map((t) => ({ targetType: t.targetType as string, id: t.id as string })),
    ...(o.allowExternalIdToUseEmailOtp !== undefined
      ? { allowExternalIdToUseEmailOtp: optional<string>(o.allowExternalIdToUseEmailOtp) }
      : {}),
  };
}

async function authenticationMethodsPolicy(graph: GraphApi): Promise<AuthenticationMethodsPolicy> {
  const body = await graph.get(AUTHENTICATION_METHODS_POLICY_PATH);
  const problem = recordCheck('graph.authenticationMethodsPolicy')(body);
  if (problem)
    throw new GraphShapeError(AUTHENTICATION_METHODS_POLICY_PATH, problem.pointer || '(body)', problem.message);
  const o = body as Item;
  return {
    ...(typeof o.id === 'string' ? { id: o.id } : {}),
    policyMigrationState: optional<string>(o.policyMigrationState),
    authenticationMethodConfigurations: (o.authenticationMethodConfigurations as readonly Item[]).map(
      projectConfiguration,
    ),
  };
}

/** PIM eligibility and the authentication methods policy, keyed by source ID. */
export const privilegedAccessCollectors: SourceCollectors = {
  'graph.roleEligibilityScheduleInstances': graphSource(
    'graph.roleEligibilityScheduleInstances',
    (graph) =>
      readRoleHolders(graph, 'graph.roleEligibilityScheduleInstances', ROLE_ELIGIBILITY_PATH, projectEligibility),
    (data) => data.length,
  ),
  'graph.authenticationMethodsPolicy': graphSource(
    'graph.authenticationMethodsPolicy',
    authenticationMethodsPolicy,
    () => undefined,
  ),
};
