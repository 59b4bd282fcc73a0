import path from 'node:path';
import type { JsonObject } from '../../model/json.js';
import { SOURCE_FILES } from '../../snapshot/folder-layout.js';
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID } from '../../snapshot/resource-apps.js';
import type { SourceId } from '../../snapshot/source-id.js';
import { SIMULATOR_CLIENT_ID } from '../credentials.js';
import { GRAPH_PERMISSIONS } from '../login-service.js';
import { seededRandom } from '../random.js';
import { CollectionFile, StreamFile } from './json-writer.js';
import { chosen, type GeneratedUser, guid, mix, type TenantShape, userAt } from './tenant-model.js';

/*
 * What a generated tenant holds for the mailbox-access and audit controls: the two resource
 * service principals and who holds their app roles, the tenant's apps, the consent setting and
 * all-user grants, mail-flow rules and connectors, mailbox permissions and audit settings.
 *
 * Microsoft Graph's mail roles carry the IDs Microsoft publishes (permissions reference), as do
 * the Graph roles the research notes confirm and full_access_as_app / Exchange.ManageAsApp on
 * Exchange Online. Every other role ID here is made up from the seed, on purpose: Microsoft
 * publishes no ID for Exchange Online's Mail.*, MailboxSettings.* or IMAP/POP roles, and the
 * checks must find them by name in the resource's app roles, never by a remembered GUID.
 */

/** Published Graph application role IDs (learn.microsoft.com/graph/permissions-reference#all-permissions-and-ids). */
const PUBLISHED_GRAPH_ROLES: Readonly<Record<string, string>> = {
  'Mail.Read': '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
  'Mail.ReadBasic': '6be147d2-ea4f-4b5a-a3fa-3eab6f3c140a',
  'Mail.ReadBasic.All': '693c5e45-0940-467d-9b8a-1022fb9d42ef',
  'Mail.ReadWrite': 'e2a3a72e-5f79-4c64-b1b1-878b674786c9',
  'Mail.Send': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
  'MailboxSettings.Read': '40f97065-369a-49f4-947c-6a255697ae91',
  'MailboxSettings.ReadWrite': '6931bccd-447a-43d1-b442-00a195474933',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
};

/** Exchange Online role IDs Microsoft publishes (EWS and app-only PowerShell manifests). */
const PUBLISHED_EXCHANGE_ROLES: Readonly<Record<string, string>> = {
  full_access_as_app: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
  'Exchange.ManageAsApp': 'dc50a0fb-09a3-484d-be87-e023b12c6440',
};

const GRAPH_ROLE_NAMES = [...new Set([...Object.keys(PUBLISHED_GRAPH_ROLES), ...GRAPH_PERMISSIONS, 'User.Read.All'])];
const EXCHANGE_ROLE_NAMES = [
  'full_access_as_app',
  'Exchange.ManageAsApp',
  'Mail.Read',
  'Mail.ReadBasic',
  'Mail.ReadWrite',
  'Mail.Send',
  'MailboxSettings.Read',
  'MailboxSettings.ReadWrite',
  'IMAP.AccessAsApp',
  'POP.AccessAsApp',
];

/** Owner tenant of the third-party apps below (made up). */
const VENDOR_TENANT = '7d3a9a52-1f4e-4c7b-9f0e-5b2d6c8e1a41';

/** Default audit actions per logon type (learn.microsoft.com/purview/audit-mailboxes). */
const AUDIT_OWNER = [
  'ApplyRecord',
  'HardDelete',
  'MailItemsAccessed',
  'MoveToDeletedItems',
  'Send',
  'SoftDelete',
  'Update',
  'UpdateCalendarDelegation',
  'UpdateFolderPermissions',
  'UpdateInboxRules',
];
const AUDIT_DELEGATE = [
  'ApplyRecord',
  'Create',
  'FolderBind',
  'HardDelete',
  'MailItemsAccessed',
  'Move',
  'MoveToDeletedItems',
  'SendAs',
  'SendOnBehalf',
  'SoftDelete',
  'Update',
  'UpdateFolderPermissions',
  'UpdateInboxRules',
];
const AUDIT_ADMIN = [
  'ApplyRecord',
  'Copy',
  'Create',
  'FolderBind',
  'HardDelete',
  'MailItemsAccessed',
  'Move',
  'MoveToDeletedItems',
  'SendAs',
  'SendOnBehalf',
  'SoftDelete',
  'Update',
  'UpdateCalendarDelegation',
  'UpdateFolderPermissions',
  'UpdateInboxRules',
];

/** A deleted account's SID, as Get-MailboxPermission shows a grant whose holder is gone. */
export const FORMER_EMPLOYEE_SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';

const SELF = 'NT AUTHORITY\\SELF';

interface PlannedApp {
  readonly key: string;
  readonly displayName: string;
  readonly appId: string;
  readonly id: string;
  readonly owner: 'tenant' | 'vendor';
  readonly verified: boolean;
  readonly createdDaysAgo: number | null;
  readonly graph: readonly string[];
  readonly exchange: readonly string[];
}

function roleIds(
  shape: TenantShape,
  names: readonly string[],
  published: Readonly<Record<string, string>>,
  salt: number,
) {
  return new Map(names.map((name, i) => [name, published[name] ?? guid(seededRandom(mix(shape.seed, i, salt)))]));
}

/** The apps a generated tenant holds, each one case of apps.mail-access. */
function plannedApps(shape: TenantShape): PlannedApp[] {
  const ids = (n: number) => ({
    appId: guid(seededRandom(mix(shape.seed, n, 80))),
    id: guid(seededRandom(mix(shape.seed, n, 81))),
  });
  const mailwarden = { appId: SIMULATOR_CLIENT_ID, id: guid(seededRandom(mix(shape.seed, 0, 81))) };
  return [
    // This tool: the permissions it reads with (login-service.ts), two of them mail permissions.
    {
      key: 'mailwarden',
      displayName: 'mailwarden',
      ...mailwarden,
      owner: 'tenant',
      verified: false,
      createdDaysAgo: 200,
      graph: GRAPH_PERMISSIONS,
      exchange: ['Exchange.ManageAsApp'],
    },
    // A backup vendor the organisation approved (allowedApps in the demo policy).
    {
      key: 'backup',
      displayName: 'Contoso Cloud Backup',
      ...ids(1),
      owner: 'vendor',
      verified: true,
      createdDaysAgo: 400,
      graph: ['Mail.Read', 'User.Read.All'],
      exchange: ['full_access_as_app'],
    },
    // An unverified multi-tenant app, consented last week: the planted critical finding.
    {
      key: 'mailmerge',
      displayName: 'Mail Merge Pro',
      ...ids(2),
      owner: 'vendor',
      verified: false,
      createdDaysAgo: 6,
      graph: ['Mail.ReadWrite', 'User.Read.All'],
      exchange: [],
    },
    // Restricted by an application access policy to the helpdesk mailboxes: passes.
    {
      key: 'helpdesk',
      displayName: 'Helpdesk Mailer',
      ...ids(3),
      owner: 'tenant',
      verified: false,
      createdDaysAgo: 300,
      graph: ['Mail.Send'],
      exchange: [],
    },
    // Exchange Online's own Mail.Read, "scoped" by RBAC for Applications only: still every mailbox.
    {
      key: 'archive',
      displayName: 'Records Archive Connector',
      ...ids(4),
      owner: 'tenant',
      verified: false,
      createdDaysAgo: 250,
      graph: [],
      exchange: ['Mail.Read'],
    },
    // IMAP app access: reaches the mailboxes that grant its Exchange service principal FullAccess.
    {
      key: 'imap',
      displayName: 'Scanner IMAP Sync',
      ...ids(5),
      owner: 'tenant',
      verified: false,
      createdDaysAgo: 500,
      graph: [],
      exchange: ['IMAP.AccessAsApp'],
    },
    // Only User.Read.All: no mail permission, never reported.
    {
      key: 'directory-sync',
      displayName: 'Badge Directory Sync',
      ...ids(6),
      owner: 'tenant',
      verified: false,
      createdDaysAgo: 90,
      graph: ['User.Read.All'],
      exchange: [],
    },
  ];
}

export interface MailAccessPlan {
  readonly apps: readonly PlannedApp[];
  /** Mailboxes whose audit sets were customised without MailItemsAccessed. */
  readonly auditGaps: ReadonlySet<number>;
  /** The mailbox that still grants FullAccess to a deleted account. */
  readonly formerEmployeeGrant: number | undefined;
  /** A mailbox that grants SendAs to a colleague, and the colleague. */
  readonly sendAs: { readonly mailbox: number; readonly delegate: number } | undefined;
}

export function mailAccessPlan(shape: TenantShape): MailAccessPlan {
  const member = (u: GeneratedUser): boolean => u.kind === 'member' && u.hasMailbox;
  const grants = chosen(shape, 22, 0.0001, 3, 3, member);
  return {
    apps: plannedApps(shape),
    auditGaps: new Set(chosen(shape, 21, 0.001, 1, 50, member)),
    formerEmployeeGrant: grants[0],
    ...(grants[1] !== undefined && grants[2] !== undefined
      ? { sendAs: { mailbox: grants[1], delegate: grants[2] } }
      : { sendAs: undefined }),
  };
}

/** The audit properties of a generated mailbox (Get-Mailbox). */
export function mailboxAuditProperties(plan: MailAccessPlan, u: GeneratedUser): JsonObject {
  if (plan.auditGaps.has(u.index)) {
    // Customised owner set without MailItemsAccessed: owner is no longer Microsoft-managed.
    return {
      AuditEnabled: true,
      AuditOwner: AUDIT_OWNER.filter((a) => a !== 'MailItemsAccessed'),
      AuditDelegate: AUDIT_DELEGATE,
      AuditAdmin: AUDIT_ADMIN,
      DefaultAuditSet: ['Admin', 'Delegate'],
    };
  }
  return {
    AuditEnabled: true,
    AuditOwner: AUDIT_OWNER,
    AuditDelegate: AUDIT_DELEGATE,
    AuditAdmin: AUDIT_ADMIN,
    DefaultAuditSet: ['Admin', 'Delegate', 'Owner'],
  };
}

/** Per-mailbox sources written in the generator's one pass over the users. */
export class MailboxPermissionWriter {
  private constructor(
    private readonly shape: TenantShape,
    private readonly plan: MailAccessPlan,
    private readonly fullAccess: CollectionFile,
    private readonly sendAs: CollectionFile,
    private readonly bypass: CollectionFile,
  ) {}

  static async open(
    out: string,
    shape: TenantShape,
    plan: MailAccessPlan,
    header: Readonly<Record<string, unknown>>,
  ): Promise<MailboxPermissionWriter> {
    const f = (id: SourceId): string => path.join(out, SOURCE_FILES[id]);
    return new MailboxPermissionWriter(
      shape,
      plan,
      await CollectionFile.open(f('exo.mailboxPermission'), header),
      await CollectionFile.open(f('exo.recipientPermission'), header),
      await CollectionFile.open(f('exo.mailboxAuditBypassAssociation'), header),
    );
  }

  /** Every account has a bypass association row (false unless planted). */
  async addAccount(u: GeneratedUser): Promise<void> {
    await this.bypass.add({ Identity: u.displayName, Name: u.alias, AuditBypassEnabled: false });
  }

  /** A mailbox's own entries (SELF), and the planted grants. */
  async addMailbox(u: GeneratedUser): Promise<void> {
    // The collector keeps explicit entries only; it marks each row with the mailbox it read.
    const row = (user: string, rights: string[]): JsonObject => ({
      Identity: u.displayName,
      User: user,
      AccessRights: rights,
      IsInherited: false,
      Deny: false,
      MailboxUserPrincipalName: u.upn,
    });
    await this.fullAccess.add(row(SELF, ['FullAccess', 'ReadPermission']));
    if (this.plan.formerEmployeeGrant === u.index) await this.fullAccess.add(row(FORMER_EMPLOYEE_SID, ['FullAccess']));
    if (u.kind === 'shared' && (u.alias === 'records' || u.alias === 'helpdesk')) {
      // The IMAP app reads these two shared mailboxes through its Exchange service principal.
      const imap = this.plan.apps.find((a) => a.key === 'imap');
      if (imap !== undefined) await this.fullAccess.add(row(imap.id, ['FullAccess']));
    }
    await this.sendAs.add({
      Identity: u.displayName,
      Trustee: SELF,
      AccessControlType: 'Allow',
      AccessRights: ['SendAs'],
      IsInherited: false,
    });
    if (this.plan.sendAs?.mailbox === u.index) {
      const delegate = userAt(this.shape, this.plan.sendAs.delegate);
      await this.sendAs.add({
        Identity: u.displayName,
        Trustee: delegate.upn,
        AccessControlType: 'Allow',
        AccessRights: ['SendAs'],
        IsInherited: false,
      });
      await this.fullAccess.add(row(delegate.upn, ['FullAccess']));
    }
  }

  async close(): Promise<Partial<Record<SourceId, number>>> {
    await this.bypass.add({ Identity: 'svc-ediscovery', Name: 'svc-ediscovery', AuditBypassEnabled: true });
    return {
      'exo.mailboxPermission': await this.fullAccess.close(),
      'exo.recipientPermission': await this.sendAs.close(),
      'exo.mailboxAuditBypassAssociation': await this.bypass.close(),
    };
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  const out = await StreamFile.open(file);
  await out.write(`${JSON.stringify(value, null, 1)}\n`);
  await out.close();
}

/** The tenant-wide sources: apps, consent, mail flow, audit configuration. */
export async function writeMailAccessSources(
  out: string,
  shape: TenantShape,
  plan: MailAccessPlan,
  header: Readonly<Record<string, unknown>>,
): Promise<Partial<Record<SourceId, number>>> {
  const f = (id: SourceId): string => path.join(out, SOURCE_FILES[id]);
  const counts: Partial<Record<SourceId, number>> = {};
  const at = (daysAgo: number, hour = 9): string =>
    new Date(shape.capturedAt.getTime() - daysAgo * 86_400_000 + hour * 3_600_000).toISOString();
  const role = (id: string, value: string): JsonObject => ({
    allowedMemberTypes: ['Application'],
    description: `Allows the app to ${value} without a signed-in user.`,
    displayName: value,
    id,
    isEnabled: true,
    origin: 'Application',
    value,
  });
  const graphRoles = roleIds(shape, GRAPH_ROLE_NAMES, PUBLISHED_GRAPH_ROLES, 82);
  const exchangeRoles = roleIds(shape, EXCHANGE_ROLE_NAMES, PUBLISHED_EXCHANGE_ROLES, 83);
  const graphSp = { id: guid(seededRandom(mix(shape.seed, 1, 84))), appId: MICROSOFT_GRAPH_APP_ID };
  const exchangeSp = { id: guid(seededRandom(mix(shape.seed, 2, 84))), appId: EXCHANGE_ONLINE_APP_ID };
  const resources = [
    {
      ...graphSp,
      displayName: 'Microsoft Graph',
      appRoles: [...graphRoles].map(([value, id]) => role(id, value)),
    },
    {
      ...exchangeSp,
      displayName: 'Office 365 Exchange Online',
      appRoles: [...exchangeRoles].map(([value, id]) => role(id, value)),
    },
  ];
  await writeJson(f('graph.resourceServicePrincipals'), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals',
    value: resources,
  });
  counts['graph.resourceServicePrincipals'] = resources.length;

  const assignments: JsonObject[] = [];
  for (const app of plan.apps) {
    const grant = (resource: { id: string }, roleId: string | undefined, display: string): void => {
      if (roleId === undefined) return;
      assignments.push({
        id: Buffer.from(`${app.id}:${roleId}`).toString('base64url').slice(0, 43),
        deletedDateTime: null,
        appRoleId: roleId,
        createdDateTime: at(app.createdDaysAgo ?? 30),
        principalDisplayName: app.displayName,
        principalId: app.id,
        principalType: 'ServicePrincipal',
        resourceDisplayName: display,
        resourceId: resource.id,
      });
    };
    for (const name of app.graph) grant(graphSp, graphRoles.get(name), 'Microsoft Graph');
    for (const name of app.exchange) grant(exchangeSp, exchangeRoles.get(name), 'Office 365 Exchange Online');
  }
  await writeJson(f('graph.appRoleAssignedTo'), { value: assignments });
  counts['graph.appRoleAssignedTo'] = assignments.length;

  const servicePrincipals = [
    ...resources.map((r) => ({
      id: r.id,
      appId: r.appId,
      displayName: r.displayName,
      // Microsoft's own tenant owns these; a made-up ID stands for it here.
      appOwnerOrganizationId: guid(seededRandom(mix(shape.seed, 3, 84))),
      publisherName: 'Microsoft Services',
      verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      servicePrincipalType: 'Application',
      accountEnabled: true,
    })),
    ...plan.apps.map((app) => ({
      id: app.id,
      appId: app.appId,
      displayName: app.displayName,
      appOwnerOrganizationId: app.owner === 'tenant' ? shape.tenantId : VENDOR_TENANT,
      publisherName: app.owner === 'tenant' ? shape.name : 'Fabrikam Software',
      verifiedPublisher: app.verified
        ? { displayName: 'Fabrikam Software', verifiedPublisherId: '5123456', addedDateTime: at(700) }
        : { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      servicePrincipalType: 'Application',
      accountEnabled: true,
      // Returned by Graph although not in its metadata; left out for one app, as it may be.
      ...(app.key === 'archive' || app.createdDaysAgo === null ? {} : { createdDateTime: at(app.createdDaysAgo, 8) }),
    })),
  ];
  await writeJson(f('graph.servicePrincipals'), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals',
    value: servicePrincipals,
  });
  counts['graph.servicePrincipals'] = servicePrincipals.length;

  // Legacy user consent: any user may consent to any app for any permission that needs no admin.
  await writeJson(f('graph.authorizationPolicy'), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity',
    id: 'authorizationPolicy',
    displayName: 'Authorization Policy',
    allowInvitesFrom: 'everyone',
    allowUserConsentForRiskyApps: false,
    defaultUserRolePermissions: {
      allowedToCreateApps: true,
      allowedToCreateSecurityGroups: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: [
        'ManagePermissionGrantsForSelf.microsoft-user-default-legacy',
        'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team',
      ],
    },
  });

  const byKey = (key: string): PlannedApp | undefined => plan.apps.find((a) => a.key === key);
  const grants: JsonObject[] = [];
  const grant = (key: string, scope: string): void => {
    const app = byKey(key);
    if (app === undefined) return;
    grants.push({
      id: Buffer.from(`${app.id}:${graphSp.id}`).toString('base64url').slice(0, 43),
      clientId: app.id,
      consentType: 'AllPrincipals',
      principalId: null,
      resourceId: graphSp.id,
      scope,
    });
  };
  grant('mailmerge', 'openid profile User.Read Mail.Read offline_access');
  grant('backup', 'User.Read Mail.ReadWrite');
  grant('directory-sync', 'openid profile User.Read');
  await writeJson(f('graph.oauth2PermissionGrants'), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants',
    value: grants,
  });
  counts['graph.oauth2PermissionGrants'] = grants.length;

  const primary = shape.domains[0] ?? shape.initialDomain;
  const rule = (fields: JsonObject): JsonObject => ({
    State: 'Enabled',
    Mode: 'Enforce',
    StopRuleProcessing: false,
    RedirectMessageTo: null,
    BlindCopyTo: null,
    CopyTo: null,
    AddToRecipients: null,
    AddManagerAsRecipientType: null,
    RouteMessageOutboundConnector: null,
    ...fields,
  });
  const rules = [
    rule({
      Name: 'External disclaimer',
      Identity: 'External disclaimer',
      Priority: 0,
      ApplyHtmlDisclaimerText: 'Sent from Contoso',
    }),
    // An internal blind copy (a false friend): legal keeps a copy of the board's mail.
    rule({
      Name: 'Board mail to legal hold',
      Identity: 'Board mail to legal hold',
      Priority: 1,
      BlindCopyTo: [`legal-hold@${primary}`],
    }),
    // The planted exfiltration: every message of the finance team blind-copied to a free-mail address.
    rule({
      Name: 'Finance archive',
      Identity: 'Finance archive',
      Priority: 2,
      SentToMemberOf: [`finance@${primary}`],
      BlindCopyTo: ['finance.archive.2026@gmail.example'],
    }),
    // Orders redirected to the partner lab (a partner domain in the demo policy).
    rule({
      Name: 'Lab orders to partner',
      Identity: 'Lab orders to partner',
      Priority: 3,
      RedirectMessageTo: ['orders@partner-lab.example'],
    }),
    // A test in Audit mode changes no delivery: counted, not judged.
    rule({
      Name: 'Test redirect (audit)',
      Identity: 'Test redirect (audit)',
      Priority: 4,
      Mode: 'Audit',
      RedirectMessageTo: ['tester@outlook.example'],
    }),
    // Copies to the sender's manager: internal by construction.
    rule({
      Name: 'Copy manager on leave',
      Identity: 'Copy manager on leave',
      Priority: 5,
      AddManagerAsRecipientType: 'Bcc',
    }),
    rule({
      Name: 'Old journal rule',
      Identity: 'Old journal rule',
      Priority: 6,
      State: 'Disabled',
      BlindCopyTo: ['journal@old-archive.example'],
    }),
    // Routed through a third-party relay: every matching message leaves the tenant.
    rule({
      Name: 'Archive via relay',
      Identity: 'Archive via relay',
      Priority: 7,
      RouteMessageOutboundConnector: 'Archive relay',
    }),
  ];
  await writeJson(f('exo.transportRule'), { ...header, value: rules });
  counts['exo.transportRule'] = rules.length;
  const connectors = [
    {
      Identity: 'Archive relay',
      Name: 'Archive relay',
      Enabled: true,
      ConnectorType: 'Partner',
      UseMXRecord: false,
      SmartHosts: ['relay.archive-vendor.example'],
      RecipientDomains: [],
      IsTransportRuleScoped: true,
    },
    {
      Identity: 'Hybrid to on-premises',
      Name: 'Hybrid to on-premises',
      Enabled: true,
      ConnectorType: 'OnPremises',
      UseMXRecord: false,
      SmartHosts: [`mail.${primary}`],
      RecipientDomains: [],
      IsTransportRuleScoped: false,
    },
  ];
  await writeJson(f('exo.outboundConnector'), { ...header, value: connectors });
  counts['exo.outboundConnector'] = connectors.length;

  await writeJson(f('exo.organizationConfig'), {
    ...header,
    value: [{ Identity: shape.initialDomain, Name: shape.initialDomain, AuditDisabled: false }],
  });
  counts['exo.organizationConfig'] = 1;
  // Ingestion off: the planted audit.unified-log finding.
  await writeJson(f('exo.adminAuditLogConfig'), {
    ...header,
    value: [
      {
        Identity: 'Admin Audit Log Settings',
        Name: 'Admin Audit Log Settings',
        AdminAuditLogEnabled: true,
        UnifiedAuditLogIngestionEnabled: false,
      },
    ],
  });
  counts['exo.adminAuditLogConfig'] = 1;

  const helpdesk = byKey('helpdesk');
  const policies = helpdesk
    ? [
        {
          Identity: `${shape.tenantId}\\${helpdesk.appId}:S-1-5-21-1-2-3-4567`,
          AppId: helpdesk.appId,
          ScopeName: 'Helpdesk mailboxes',
          ScopeIdentity: 'Helpdesk mailboxes',
          AccessRight: 'RestrictAccess',
          Description: 'Helpdesk Mailer sends from the helpdesk mailboxes only',
        },
      ]
    : [];
  await writeJson(f('exo.applicationAccessPolicy'), { ...header, value: policies });
  counts['exo.applicationAccessPolicy'] = policies.length;

  const pointers = plan.apps
    .filter((a) => a.key === 'imap' || a.key === 'archive')
    .map((a) => ({ Identity: a.id, Name: a.id, DisplayName: a.displayName, AppId: a.appId, ObjectId: a.id }));
  await writeJson(f('exo.servicePrincipal'), { ...header, value: pointers });
  counts['exo.servicePrincipal'] = pointers.length;

  const archive = byKey('archive');
  const roleAssignments = [
    {
      Identity: 'Organization Management-Mail Recipients',
      Name: 'Mail Recipients-Organization Management',
      Role: 'Mail Recipients',
      RoleAssignee: 'Organization Management',
      RoleAssigneeType: 'RoleGroup',
      Enabled: true,
    },
    ...(archive
      ? [
          {
            Identity: 'Application Mail.Read-Records Archive Connector',
            Name: 'Application Mail.Read-Records Archive Connector',
            Role: 'Application Mail.Read',
            RoleAssignee: archive.id,
            RoleAssigneeName: archive.id,
            RoleAssigneeType: 'ServicePrincipal',
            CustomResourceScope: 'Records department',
            Enabled: true,
          },
        ]
      : []),
  ];
  await writeJson(f('exo.managementRoleAssignment'), { ...header, value: roleAssignments });
  counts['exo.managementRoleAssignment'] = roleAssignments.length;
  return counts;
}
