import type { Finding } from '../../model/finding.js';
import { TENANT_TARGET } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { ExchangeObject } from '../../snapshot/exchange-types.js';
import type { AppRoleAssignment, ServicePrincipal } from '../../snapshot/graph-types.js';
import type { Snapshot } from '../../snapshot/snapshot.js';
import type { SourceId } from '../../snapshot/source-id.js';
import type { CheckInput } from '../check.js';
import { nothingRead } from '../nothing-read.js';
import { stringList, text } from '../exchange-values.js';
import { allowedApps, allowedEvidence } from './allowed-apps.js';
import { type ExchangeAppPointer, exchangeAppPointers } from './exchange-service-principals.js';
import {
  accessPolicyApplies,
  DEFAULT_ACCESS_ROLE_ID,
  type MailResource,
  mailRoleIndex,
  PER_MAILBOX_ROLES,
} from './mail-permissions.js';

/** One mail permission an app holds. */
interface HeldPermission {
  readonly resource: MailResource;
  readonly permission: string;
  readonly appRoleId: string;
  /** When it was granted: the assignment's creation time. */
  readonly consentedAt: string | null;
}

/** Everything one service principal holds on the two resources. */
interface AppHoldings {
  readonly principalId: string;
  readonly principalDisplayName: string | null;
  readonly permissions: HeldPermission[];
  /** Roles on Exchange Online its own app roles do not name: possibly mail, so never passed. */
  readonly unknownRoles: JsonObject[];
}

/** A source the check reads only when it was collected and read in full; otherwise why not. */
type Unread = { why: string; status: 'failed' | 'not_collected' | 'not_licensed' | 'not_permitted' };

function optional<K extends SourceId>(snapshot: Snapshot, id: K): { data: readonly ExchangeObject[] } | Unread {
  const status = snapshot.status(id);
  if (status === undefined) return { why: `${id} was not collected in this run`, status: 'not_collected' };
  if (status.status !== 'ok')
    return { why: `${id} is ${status.status.replace('_', ' ')}: ${status.reason}`, status: status.status };
  return { data: snapshot.data(id) as unknown as readonly ExchangeObject[] };
}

function isoOrNull(value: string | null | undefined): string | null {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : null;
}

/** Reads `createdDateTime`, or the older `creationTimestamp` some pages still name. */
function grantedAt(assignment: AppRoleAssignment): string | null {
  const legacy = (assignment as { readonly creationTimestamp?: unknown }).creationTimestamp;
  return isoOrNull(assignment.createdDateTime ?? (typeof legacy === 'string' ? legacy : null));
}

/** The application access policies that name an app, in the words the evidence shows. */
function policiesFor(policies: readonly ExchangeObject[], appId: string): JsonObject[] {
  const wanted = appId.toLowerCase();
  return policies
    .filter((p) => (stringList(p.AppId) ?? []).some((id) => id.toLowerCase() === wanted))
    .map((p) => ({
      accessRight: text(p.AccessRight) ?? null,
      scopeName: text(p.ScopeName) ?? null,
      scopeIdentity: text(p.ScopeIdentity) ?? null,
      description: text(p.Description) ?? null,
    }));
}

/** RBAC for Applications assignments held by the app's Exchange pointer (roles named `Application …`). */
function rbacFor(assignments: readonly ExchangeObject[], pointer: ExchangeAppPointer): JsonObject[] {
  return assignments
    .filter((a) => text(a.Role)?.toLowerCase().startsWith('application ') === true)
    .filter((a) =>
      ['RoleAssignee', 'RoleAssigneeName', 'App', 'User'].some((k) => {
        const name = text(a[k])?.toLowerCase();
        return name !== undefined && pointer.names.has(name);
      }),
    )
    .map((a) => ({
      role: text(a.Role) ?? null,
      name: text(a.Name) ?? null,
      customResourceScope: text(a.CustomResourceScope) ?? null,
      recipientWriteScope: text(a.RecipientWriteScope) ?? null,
    }));
}

/**
 * `apps.mail-access`: one result per service principal holding a mail application permission
 * on Microsoft Graph or Office 365 Exchange Online. It passes when allowedApps lists the app,
 * or when an application access policy restricts every such permission it holds.
 */
export function appsMailAccess({ snapshot, params, context }: CheckInput): readonly Finding[] {
  const index = mailRoleIndex(snapshot.data('graph.resourceServicePrincipals'));
  const graph = [...index.values()].find((r) => r.resource === 'Microsoft Graph');
  const exchange = [...index.values()].find((r) => r.resource === 'Office 365 Exchange Online');
  const servicePrincipals = snapshot.data('graph.servicePrincipals');
  if (graph === undefined || servicePrincipals.length === 0) {
    return [
      {
        target: TENANT_TARGET,
        status: 'error',
        message:
          graph === undefined
            ? "Microsoft Graph's service principal was not among the resources read, though every tenant has one: the read is incomplete."
            : 'The tenant listed no service principal, though every tenant has some: the read is incomplete.',
        evidence: {
          resources: [...index.values()].map((r) => r.resource),
          servicePrincipals: servicePrincipals.length,
        },
      },
    ];
  }
  const byId = new Map<string, ServicePrincipal>();
  for (const sp of servicePrincipals) byId.set(sp.id.toLowerCase(), sp);

  const assignments = snapshot.data('graph.appRoleAssignedTo');
  const holdings = new Map<string, AppHoldings>();
  const counts = { assignments: assignments.length, toServicePrincipals: 0, toUsersOrGroups: 0, otherResource: 0 };
  const graphHolders = new Set<string>();
  for (const a of assignments) {
    // A user or group assignment is not an application permission; a missing type is judged.
    const type = a.principalType?.toLowerCase();
    if (type !== undefined && type !== 'serviceprincipal') {
      counts.toUsersOrGroups++;
      continue;
    }
    const resource = index.get(a.resourceId.toLowerCase());
    if (resource === undefined) {
      counts.otherResource++;
      continue;
    }
    counts.toServicePrincipals++;
    const principalId = a.principalId.toLowerCase();
    if (resource.resource === 'Microsoft Graph') graphHolders.add(principalId);
    const roleId = a.appRoleId.toLowerCase();
    if (roleId === DEFAULT_ACCESS_ROLE_ID) continue;
    const permission = resource.mail.get(roleId);
    const unknown =
      permission === undefined && resource.resource === 'Office 365 Exchange Online' && !resource.named.has(roleId);
    if (permission === undefined && !unknown) continue;
    const app = holdings.get(principalId) ?? {
      principalId: a.principalId,
      principalDisplayName: a.principalDisplayName ?? null,
      permissions: [],
      unknownRoles: [],
    };
    if (permission !== undefined)
      app.permissions.push({ resource: resource.resource, permission, appRoleId: roleId, consentedAt: grantedAt(a) });
    else app.unknownRoles.push({ resource: resource.resource, appRoleId: roleId, consentedAt: grantedAt(a) });
    holdings.set(principalId, app);
  }

  // Reading Graph app-only needs application permissions on Graph (this audit's own, at least):
  // a list without any is a collection fault, not a tenant where no app holds mail permissions.
  if (graphHolders.size === 0) {
    return [
      nothingRead(
        'appRoleAssignedTo listed no application permission on Microsoft Graph',
        'the app this audit read Graph with holds some',
        counts,
      ),
    ];
  }
  // This audit read Graph with its own application permissions: if the app is listed but holds
  // none, the assignment list is incomplete (Graph documents replication delays for it).
  const self = context.clientId
    ? servicePrincipals.find((sp) => sp.appId.toLowerCase() === context.clientId?.toLowerCase())
    : undefined;
  if (self !== undefined && !graphHolders.has(self.id.toLowerCase())) {
    return [
      {
        target: TENANT_TARGET,
        status: 'error',
        message:
          "The Microsoft Graph permissions read do not include those of this audit's own app, which read Graph with them: the list of assignments is incomplete.",
        evidence: { clientId: context.clientId, ...counts },
      },
    ];
  }

  const allowed = allowedApps(params);
  const recentMs = params.number('recentDays') * 86_400_000;
  const policies = optional(snapshot, 'exo.applicationAccessPolicy');
  const pointers = optional(snapshot, 'exo.servicePrincipal');
  const rbac = optional(snapshot, 'exo.managementRoleAssignment');
  const appPointers = 'data' in pointers ? exchangeAppPointers(pointers.data) : undefined;

  const findings: Finding[] = [];
  for (const app of holdings.values()) {
    const sp = byId.get(app.principalId.toLowerCase());
    const appId = sp?.appId ?? null;
    const target = appId !== null ? `app/${appId}` : `service-principal/${app.principalId}`;
    const allow = appId !== null ? allowed.get(appId.toLowerCase()) : undefined;
    const thisTool =
      appId !== null && context.clientId !== null && appId.toLowerCase() === context.clientId.toLowerCase();

    const appPolicies = appId !== null && 'data' in policies ? policiesFor(policies.data, appId) : [];
    const restricted = appPolicies.some(
      (p) => typeof p.accessRight === 'string' && p.accessRight.toLowerCase() === 'restrictaccess',
    );
    const permissions: JsonObject[] = app.permissions.map((p) => ({
      resource: p.resource,
      permission: p.permission,
      appRoleId: p.appRoleId,
      consentedAt: p.consentedAt,
      restrictedByAccessPolicy: restricted && accessPolicyApplies(p.resource, p.permission),
    }));
    const unrestricted = permissions.filter((p) => p.restrictedByAccessPolicy !== true);

    const ownerTenant = sp?.appOwnerOrganizationId ?? null;
    const otherTenant =
      ownerTenant !== null && context.tenantId !== null && ownerTenant.toLowerCase() !== context.tenantId.toLowerCase();
    const verified =
      typeof sp?.verifiedPublisher?.verifiedPublisherId === 'string' && sp.verifiedPublisher.verifiedPublisherId !== '';
    const created = isoOrNull(sp?.createdDateTime);
    // Earliest by time, not by text: '2026-11-20T10:00:00+05:00' is before '2026-11-20T06:00:00Z'.
    const firstGranted =
      app.permissions
        .map((p) => p.consentedAt)
        .filter((t): t is string => t !== null)
        .sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null;
    const since = created ?? firstGranted;
    const recent = since !== null && context.now.getTime() - Date.parse(since) <= recentMs;
    const signals = [
      ...(otherTenant ? ['owned by another tenant'] : []),
      // Publisher verification is for apps published to other organisations; one's own apps are rarely verified.
      ...(otherTenant && !verified ? ['unverified publisher'] : []),
      ...(recent ? [created !== null ? 'created recently' : 'first granted recently'] : []),
    ];

    const pointer = appId !== null ? appPointers?.byAppId(appId) : undefined;
    const perMailbox = app.permissions.filter((p) => PER_MAILBOX_ROLES.has(p.permission));
    // IMAP and POP reach the mailboxes that grant FullAccess to the app's Exchange service
    // principal; mailbox.delegation reports each such grant as `<mailbox>/app/<appId>` (it reads
    // the per-mailbox sweep, which shards split: this tenant-wide result must not depend on it).
    let exchangeServicePrincipal: JsonObject | undefined;
    if (perMailbox.length > 0) {
      exchangeServicePrincipal =
        'why' in pointers
          ? { read: false, why: pointers.why }
          : pointer === undefined
            ? {
                read: true,
                found: false,
                note: 'no Exchange service principal points at this app, so no mailbox can grant it FullAccess',
              }
            : {
                read: true,
                found: true,
                names: [...pointer.names].sort(),
                mailboxGrantsReportedBy: 'mailbox.delegation',
              };
    }

    const evidence: JsonObject = {
      appId,
      appDisplayName: sp?.displayName ?? app.principalDisplayName,
      servicePrincipalId: app.principalId,
      servicePrincipalType: sp?.servicePrincipalType ?? null,
      ownerTenantId: ownerTenant,
      ownedByThisTenant: ownerTenant === null || context.tenantId === null ? null : !otherTenant,
      publisher: {
        name: sp?.publisherName ?? null,
        verified,
        verifiedPublisher: sp?.verifiedPublisher?.displayName ?? null,
      },
      createdDateTime: created,
      permissions,
      ...(app.unknownRoles.length > 0 ? { unknownRoles: app.unknownRoles } : {}),
      applicationAccessPolicies: 'data' in policies ? appPolicies : { read: false, why: policies.why },
      rbacForApplications:
        'data' in rbac && pointer !== undefined
          ? {
              assignments: rbacFor(rbac.data, pointer),
              note: 'RBAC for Applications grants are independent of the Entra ID grant and do not narrow it',
            }
          : {
              read: false,
              why:
                'why' in rbac
                  ? rbac.why
                  : 'why' in pointers
                    ? pointers.why
                    : 'no Exchange service principal points at this app',
            },
      ...(exchangeServicePrincipal !== undefined ? { exchangeServicePrincipal } : {}),
      severitySignals: signals,
      thisTool,
      ...(thisTool
        ? {
            thisToolNote:
              "This is mailwarden's own app (the client ID this audit authenticated with): list it in allowedApps, or restrict it with an application access policy.",
          }
        : {}),
    };
    const names = app.permissions.map((p) => `${p.permission} (${p.resource})`).join(', ');
    if (allow !== undefined) {
      findings.push({
        target,
        status: 'pass',
        message: `The app holds ${names || 'roles on Office 365 Exchange Online'} and is listed in allowedApps.`,
        evidence: { ...evidence, allowed: allowedEvidence(allow) },
      });
    } else if (unrestricted.length === 0 && app.unknownRoles.length === 0) {
      findings.push({
        target,
        status: 'pass',
        message: `An application access policy restricts every mail permission the app holds (${names}) to a group of mailboxes.`,
        evidence: { ...evidence, allowed: null },
      });
    } else if (
      !('data' in policies) &&
      unrestricted.every((p) => accessPolicyApplies(p.resource as MailResource, String(p.permission)))
    ) {
      // An application access policy could restrict every permission it holds, and the policies
      // could not be read: neither a pass nor a fail can be told (no issue flaps with Exchange).
      findings.push({
        target,
        status: policies.status === 'failed' ? 'error' : 'not_evaluable',
        message: `Whether an application access policy restricts the app's mail permissions (${names}) cannot be told: ${policies.why}.`,
        evidence: { ...evidence, allowed: null },
      });
    } else if (unrestricted.length === 0) {
      findings.push({
        target,
        status: 'error',
        message: `The app holds ${app.unknownRoles.length} role(s) on Office 365 Exchange Online that its app roles do not name, so whether they reach mailboxes cannot be told.`,
        evidence: { ...evidence, allowed: null },
      });
    } else {
      const what = unrestricted.map((p) => `${String(p.permission)} (${String(p.resource)})`).join(', ');
      findings.push({
        target,
        status: 'fail',
        message: `${thisTool ? "mailwarden's own app" : 'The app'} holds application permission(s) that reach ${perMailbox.length === unrestricted.length ? 'the mailboxes that grant it FullAccess' : 'every mailbox'}: ${what}${signals.length > 0 ? `; ${signals.join(', ')}` : ''}.`,
        evidence: { ...evidence, allowed: null },
        ...(signals.length > 0 ? { severity: 'critical' as const } : {}),
      });
    }
  }
  if (findings.length > 0) return findings;
  return [
    {
      target: TENANT_TARGET,
      status: 'pass',
      message: `No service principal holds a mail application permission on Microsoft Graph${exchange ? ' or Office 365 Exchange Online' : ''} (${counts.toServicePrincipals} application permission(s) examined).`,
      evidence: {
        ...counts,
        resources: [...index.values()].map((r) => r.resource),
        servicePrincipals: servicePrincipals.length,
        ...(exchange ? {} : { note: 'The tenant has no Office 365 Exchange Online service principal.' }),
      },
    },
  ];
}
