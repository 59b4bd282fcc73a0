import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { ServicePrincipal } from '../../snapshot/graph-types.js';
import type { CheckInput } from '../check.js';
import { allowedApps, allowedEvidence } from './allowed-apps.js';
import { isMailScope, mailRoleIndex } from './mail-permissions.js';

/*
 * The user consent setting is the list of consent policies assigned to the default user role
 * (defaultUserRolePermissions.permissionGrantPoliciesAssigned, learn.microsoft.com/graph/api/
 * resources/defaultuserrolepermissions): entries `managePermissionGrantsForSelf.{policyId}`,
 * written in either casing, are user consent; `ManagePermissionGrantsForOwnedResource.*` are
 * owner consent and not judged here. The built-in policies are described in learn.microsoft.com/
 * entra/identity/enterprise-apps/configure-user-consent.
 */

const SELF_PREFIX = 'managepermissiongrantsforself.';
/** Any user may consent to any permission that needs no admin: what this control exists to catch. */
const LEGACY = 'microsoft-user-default-legacy';
/** Only apps from verified publishers (or the tenant's own), only permissions classified low impact. */
const LOW = 'microsoft-user-default-low';
/** Microsoft-managed conditions that change over time. */
const RECOMMENDED = 'microsoft-user-default-recommended';

function consentSetting(input: CheckInput): Finding {
  const policy = input.snapshot.data('graph.authorizationPolicy');
  const assigned = policy.defaultUserRolePermissions.permissionGrantPoliciesAssigned;
  const self = assigned
    .filter((entry) => entry.toLowerCase().startsWith(SELF_PREFIX))
    .map((entry) => entry.slice(SELF_PREFIX.length));
  const ids = self.map((id) => id.toLowerCase());
  const allowManaged = input.params.boolean('allowMicrosoftManagedPolicy');
  const evidence: JsonObject = { permissionGrantPoliciesAssigned: [...assigned], userConsentPolicies: self };
  const finding = (status: Finding['status'], message: string): Finding => ({
    target: TENANT_TARGET,
    status,
    message,
    evidence,
  });
  if (ids.length === 0) return finding('pass', 'Users cannot consent to apps: no user consent policy is assigned.');
  if (ids.includes(LEGACY)) {
    return finding(
      'fail',
      'Users may consent to any app for any permission that needs no admin (microsoft-user-default-legacy).',
    );
  }
  const custom = self.filter((_, i) => ![LOW, RECOMMENDED].includes(ids[i] ?? ''));
  if (custom.length > 0) {
    return finding(
      'error',
      `User consent follows ${custom.length} custom consent policy(ies) (${custom.join(', ')}), whose conditions are not read: it cannot be judged.`,
    );
  }
  if (ids.includes(LOW) && !input.params.boolean('allowLowImpactConsent')) {
    return finding(
      'fail',
      'Users may consent to low-impact permissions of apps from verified publishers (microsoft-user-default-low), which the policy does not allow (allowLowImpactConsent is false).',
    );
  }
  if (ids.includes(RECOMMENDED) && !allowManaged) {
    return finding(
      'fail',
      "User consent follows Microsoft's managed policy (microsoft-user-default-recommended), which the policy does not accept (allowMicrosoftManagedPolicy is false).",
    );
  }
  return finding(
    'pass',
    ids.includes(RECOMMENDED)
      ? "User consent follows Microsoft's managed policy, which the policy accepts."
      : 'Users may consent only to low-impact permissions of apps from verified publishers (microsoft-user-default-low).',
  );
}

/** Delegated mail permissions granted for all users, one result per client app. */
function allUserGrants(input: CheckInput): Finding[] {
  const { snapshot, params } = input;
  const resources = mailRoleIndex(snapshot.data('graph.resourceServicePrincipals'));
  const byId = new Map<string, ServicePrincipal>();
  for (const sp of snapshot.data('graph.servicePrincipals')) byId.set(sp.id.toLowerCase(), sp);
  const allowed = allowedApps(params);
  const apps = new Map<string, { client: string; grants: JsonObject[] }>();
  for (const grant of snapshot.data('graph.oauth2PermissionGrants')) {
    if (grant.consentType.toLowerCase() !== 'allprincipals') continue;
    const resource = resources.get(grant.resourceId.toLowerCase());
    if (resource === undefined) continue;
    // Scope strings are space-separated; extra spaces are tolerated.
    const scopes = (grant.scope ?? '').split(/\s+/).filter((s) => s !== '');
    const mail = scopes.filter(isMailScope);
    if (mail.length === 0) continue;
    const client = grant.clientId.toLowerCase();
    const entry = apps.get(client) ?? { client: grant.clientId, grants: [] };
    entry.grants.push({ grantId: grant.id, resource: resource.resource, mailScopes: mail, scope: grant.scope ?? '' });
    apps.set(client, entry);
  }
  const findings: Finding[] = [];
  for (const { client, grants } of apps.values()) {
    const sp = byId.get(client.toLowerCase());
    const appId = sp?.appId ?? null;
    const allow = appId !== null ? allowed.get(appId.toLowerCase()) : undefined;
    const evidence: JsonObject = {
      appId,
      appDisplayName: sp?.displayName ?? null,
      servicePrincipalId: client,
      ownerTenantId: sp?.appOwnerOrganizationId ?? null,
      consentType: 'AllPrincipals',
      grants,
      allowed: allow !== undefined ? allowedEvidence(allow) : null,
    };
    const scopes = [...new Set(grants.flatMap((g) => g.mailScopes as string[]))].join(', ');
    findings.push({
      target: appId !== null ? `app/${appId}` : `service-principal/${client}`,
      status: allow !== undefined ? 'pass' : 'fail',
      message:
        allow !== undefined
          ? `Delegated mail permissions for all users (${scopes}) are granted to an app listed in allowedApps.`
          : `An admin granted the app delegated mail permissions for all users (${scopes}).`,
      evidence,
    });
  }
  return findings;
}

/** `apps.user-consent`: the consent setting (target `tenant`) and one result per app with all-user mail grants. */
export function userConsent(input: CheckInput): readonly Finding[] {
  const setting = consentSetting(input);
  const grants = allUserGrants(input);
  const examined = input.snapshot.data('graph.oauth2PermissionGrants').length;
  return [{ ...setting, evidence: { ...setting.evidence, allPrincipalsGrantsExamined: examined } }, ...grants];
}
