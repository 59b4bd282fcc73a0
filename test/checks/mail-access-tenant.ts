import { readFileSync } from 'node:fs';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import type {
  AppRoleAssignment,
  AuthorizationPolicy,
  GraphDomain,
  OAuth2PermissionGrant,
  ServicePrincipal,
} from '../../src/snapshot/graph-types.js';
import type { Manifest } from '../../src/snapshot/manifest.js';
import { memorySnapshot, type Snapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';

/*
 * A golden tenant for the mailbox-access and audit-readiness controls: every one of them passes.
 * Tests change one thing and expect one finding. Microsoft Graph's mail roles carry the IDs
 * Microsoft publishes; every Exchange Online role ID here is made up (Microsoft publishes none
 * but full_access_as_app's), so the checks must find them by name in the app roles.
 */

export const DOMAIN = 'contoso.example';
export const TENANT_ID = '3f2b8c1e-5d4a-4e7f-9a61-2c0d8e7b9f10';
export const VENDOR_TENANT = '9b1c2d3e-4f50-4617-8283-949596979899';
export const NOW = new Date('2026-11-27T06:00:00Z');

export const GRAPH_SP_ID = 'a1000000-0000-4000-8000-000000000001';
export const EXO_SP_ID = 'a1000000-0000-4000-8000-000000000002';

/** Published Graph IDs (permissions reference). */
export const GRAPH = {
  'Mail.Read': '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
  'Mail.ReadBasic.All': '693c5e45-0940-467d-9b8a-1022fb9d42ef',
  'Mail.ReadWrite': 'e2a3a72e-5f79-4c64-b1b1-878b674786c9',
  'Mail.Send': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
  'MailboxSettings.Read': '40f97065-369a-49f4-947c-6a255697ae91',
  /** Made up for this test: not a mail permission. */
  'User.Read.All': 'c0000000-0000-4000-8000-00000000aaaa',
} as const;

/** full_access_as_app's published ID; the rest made up. */
export const EXO = {
  full_access_as_app: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
  'Exchange.ManageAsApp': 'e0000000-0000-4000-8000-000000000001',
  'Mail.Read': 'e0000000-0000-4000-8000-000000000002',
  'IMAP.AccessAsApp': 'e0000000-0000-4000-8000-000000000003',
  'POP.AccessAsApp': 'e0000000-0000-4000-8000-000000000004',
} as const;

/** This tool's app (the client ID the audit authenticated with) and a directory-sync app. */
export const MAILWARDEN = { appId: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', id: 'b1000000-0000-4000-8000-000000000001' };
export const DIRSYNC = { appId: 'a9000000-0000-4000-8000-000000000002', id: 'b1000000-0000-4000-8000-000000000002' };

function role(id: string, value: string) {
  return { id, value, displayName: value, allowedMemberTypes: ['Application'], isEnabled: true };
}

export function servicePrincipal(
  app: { appId: string; id: string },
  displayName: string,
  extra: Partial<ServicePrincipal> = {},
): ServicePrincipal {
  return {
    id: app.id,
    appId: app.appId,
    displayName,
    appOwnerOrganizationId: TENANT_ID,
    publisherName: 'Contoso',
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    servicePrincipalType: 'Application',
    accountEnabled: true,
    createdDateTime: '2025-01-10T09:00:00Z',
    ...extra,
  };
}

let nextAssignment = 0;
export function assignment(
  principal: { id: string },
  resource: 'graph' | 'exo',
  appRoleId: string,
  createdDateTime = '2025-01-10T09:30:00Z',
): AppRoleAssignment {
  nextAssignment++;
  return {
    id: `assignment-${nextAssignment}`,
    appRoleId,
    principalId: principal.id,
    principalType: 'ServicePrincipal',
    principalDisplayName: 'app',
    resourceId: resource === 'graph' ? GRAPH_SP_ID : EXO_SP_ID,
    resourceDisplayName: resource === 'graph' ? 'Microsoft Graph' : 'Office 365 Exchange Online',
    createdDateTime,
  };
}

const OWNER = ['ApplyRecord', 'HardDelete', 'MailItemsAccessed', 'MoveToDeletedItems', 'Send', 'SoftDelete', 'Update'];
const DELEGATE = ['ApplyRecord', 'Create', 'FolderBind', 'HardDelete', 'MailItemsAccessed', 'Move', 'SendAs'];
const ADMIN = ['ApplyRecord', 'Copy', 'Create', 'FolderBind', 'HardDelete', 'MailItemsAccessed', 'Move', 'SendAs'];

export function mailbox(alias: string, name: string, type = 'UserMailbox'): ExchangeObject {
  return {
    Identity: name,
    Name: alias,
    Alias: alias,
    DisplayName: name,
    UserPrincipalName: `${alias}@${DOMAIN}`,
    PrimarySmtpAddress: `${alias}@${DOMAIN}`,
    RecipientTypeDetails: type,
    ExternalDirectoryObjectId: `00000000-0000-4000-8000-${Buffer.from(alias).toString('hex').padEnd(12, '0').slice(0, 12)}`,
    ForwardingAddress: null,
    ForwardingSmtpAddress: null,
    AuditEnabled: true,
    'AuditOwner@odata.type': '#Collection(String)',
    AuditOwner: OWNER,
    AuditDelegate: DELEGATE,
    AuditAdmin: ADMIN,
    DefaultAuditSet: ['Admin', 'Delegate', 'Owner'],
  };
}

/** A Get-MailboxPermission row as the collector keeps it (marked with the mailbox it was read for). */
export function fullAccess(alias: string, user: string, extra: Record<string, unknown> = {}): ExchangeObject {
  return {
    Identity: alias,
    User: user,
    AccessRights: ['FullAccess'],
    IsInherited: false,
    Deny: false,
    MailboxUserPrincipalName: `${alias}@${DOMAIN}`,
    ...extra,
  };
}

export function sendAs(name: string, trustee: string, extra: Record<string, unknown> = {}): ExchangeObject {
  return {
    Identity: name,
    Trustee: trustee,
    AccessControlType: 'Allow',
    AccessRights: ['SendAs'],
    IsInherited: false,
    ...extra,
  };
}

export function transportRule(name: string, fields: Record<string, unknown>): ExchangeObject {
  return { Name: name, Identity: name, State: 'Enabled', Mode: 'Enforce', Priority: 0, ...fields };
}

/** The sources of the golden tenant, in their snapshot shape. */
export interface MailAccessTenant {
  'graph.domains': GraphDomain[];
  'graph.resourceServicePrincipals': ServicePrincipal[];
  'graph.appRoleAssignedTo': AppRoleAssignment[];
  'graph.servicePrincipals': ServicePrincipal[];
  'graph.authorizationPolicy': AuthorizationPolicy;
  'graph.oauth2PermissionGrants': OAuth2PermissionGrant[];
  'exo.mailbox': ExchangeObject[];
  'exo.recipient': ExchangeObject[];
  'exo.transportRule': ExchangeObject[];
  'exo.outboundConnector': ExchangeObject[];
  'exo.mailboxPermission': ExchangeObject[];
  'exo.recipientPermission': ExchangeObject[];
  'exo.organizationConfig': ExchangeObject[];
  'exo.mailboxAuditBypassAssociation': ExchangeObject[];
  'exo.adminAuditLogConfig': ExchangeObject[];
  'exo.applicationAccessPolicy': ExchangeObject[];
  'exo.managementRoleAssignment': ExchangeObject[];
  'exo.servicePrincipal': ExchangeObject[];
}

export type MailAccessSource = keyof MailAccessTenant;

export function goldenTenant(): MailAccessTenant {
  const graphSp = servicePrincipal(
    { appId: '00000003-0000-0000-c000-000000000000', id: GRAPH_SP_ID },
    'Microsoft Graph',
    {
      appOwnerOrganizationId: 'f0000000-0000-4000-8000-00000000f001',
      appRoles: Object.entries(GRAPH).map(([value, id]) => role(id, value)),
    },
  );
  const exoSp = servicePrincipal(
    { appId: '00000002-0000-0ff1-ce00-000000000000', id: EXO_SP_ID },
    'Office 365 Exchange Online',
    {
      appOwnerOrganizationId: 'f0000000-0000-4000-8000-00000000f001',
      appRoles: Object.entries(EXO).map(([value, id]) => role(id, value)),
    },
  );
  const { appRoles: _g, ...graphListed } = graphSp;
  const { appRoles: _e, ...exoListed } = exoSp;
  return {
    'graph.domains': [
      { id: DOMAIN, isVerified: true, isDefault: true, isInitial: false, supportedServices: ['Email'] },
      { id: 'contoso.onmicrosoft.com', isVerified: true, isInitial: true, supportedServices: ['Email'] },
    ],
    'graph.resourceServicePrincipals': [graphSp, exoSp],
    'graph.appRoleAssignedTo': [
      assignment(MAILWARDEN, 'graph', GRAPH['User.Read.All']),
      assignment(MAILWARDEN, 'graph', GRAPH['Mail.ReadBasic.All']),
      assignment(MAILWARDEN, 'graph', GRAPH['MailboxSettings.Read']),
      assignment(MAILWARDEN, 'exo', EXO['Exchange.ManageAsApp']),
      assignment(DIRSYNC, 'graph', GRAPH['User.Read.All']),
    ],
    'graph.servicePrincipals': [
      graphListed,
      exoListed,
      servicePrincipal(MAILWARDEN, 'mailwarden'),
      servicePrincipal(DIRSYNC, 'Directory Sync'),
    ],
    'graph.authorizationPolicy': {
      id: 'authorizationPolicy',
      defaultUserRolePermissions: {
        permissionGrantPoliciesAssigned: [
          'ManagePermissionGrantsForSelf.microsoft-user-default-low',
          'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team',
        ],
      },
    },
    'graph.oauth2PermissionGrants': [
      {
        id: 'grant-1',
        clientId: DIRSYNC.id,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: GRAPH_SP_ID,
        scope: 'openid profile User.Read',
      },
    ],
    'exo.mailbox': [
      mailbox('adele', 'Adele Vance'),
      mailbox('megan', 'Megan Bowen'),
      mailbox('helpdesk', 'Helpdesk', 'SharedMailbox'),
    ],
    'exo.recipient': [
      {
        Identity: 'Accountant',
        Name: 'Accountant',
        RecipientTypeDetails: 'MailContact',
        ExternalEmailAddress: 'SMTP:books@accountant.test',
      },
    ],
    'exo.transportRule': [
      transportRule('Disclaimer', { ApplyHtmlDisclaimerText: 'Sent from Contoso' }),
      // An internal blind copy: a false friend.
      transportRule('Board to legal', { BlindCopyTo: [`legal@${DOMAIN}`], Priority: 1 }),
      transportRule('Copy to Megan by name', { CopyTo: 'Megan Bowen', Priority: 2 }),
    ],
    'exo.outboundConnector': [],
    'exo.mailboxPermission': [
      fullAccess('adele', 'NT AUTHORITY\\SELF', { AccessRights: ['FullAccess', 'ReadPermission'] }),
      fullAccess('megan', 'NT AUTHORITY\\SELF', { AccessRights: ['FullAccess', 'ReadPermission'] }),
      fullAccess('helpdesk', 'NT AUTHORITY\\SELF', { AccessRights: ['FullAccess', 'ReadPermission'] }),
      // Shared mailboxes exist to be delegated: not judged.
      fullAccess('helpdesk', `adele@${DOMAIN}`),
    ],
    'exo.recipientPermission': [
      sendAs('Adele Vance', 'NT AUTHORITY\\SELF'),
      sendAs('Megan Bowen', 'NT AUTHORITY\\SELF'),
    ],
    'exo.organizationConfig': [{ Identity: 'contoso.onmicrosoft.com', Name: 'contoso', AuditDisabled: false }],
    'exo.mailboxAuditBypassAssociation': [
      { Identity: 'Adele Vance', Name: 'adele', AuditBypassEnabled: false },
      { Identity: 'Megan Bowen', Name: 'megan', AuditBypassEnabled: false },
    ],
    'exo.adminAuditLogConfig': [{ Identity: 'Admin Audit Log Settings', UnifiedAuditLogIngestionEnabled: true }],
    'exo.applicationAccessPolicy': [],
    'exo.managementRoleAssignment': [],
    'exo.servicePrincipal': [],
  };
}

/** The policy's parameters that let the golden tenant pass: this tool is an allowed app. */
export const GOLDEN_PARAMS: Readonly<Record<string, Record<string, unknown>>> = {
  'apps.mail-access': {
    allowedApps: [{ appId: MAILWARDEN.appId, reason: 'reads inbox rules for this audit', approver: 'security team' }],
  },
};

export const ALL_CONTROLS = [
  'apps.mail-access',
  'apps.user-consent',
  'forwarding.transport-rules',
  'mailbox.delegation',
  'audit.mailbox-auditing',
  'audit.unified-log',
] as const;

/** The baseline policy with only `controls` on, golden parameters plus `params` per control. */
export function policyFor(
  controls: readonly string[],
  params: Readonly<Record<string, Record<string, unknown>>> = {},
): Policy {
  const doc = JSON.parse(readFileSync('policies/baseline.json', 'utf8')) as {
    controls: Record<string, Record<string, unknown>>;
  };
  const entries: Record<string, Record<string, unknown>> = {};
  for (const [id, entry] of Object.entries(doc.controls)) {
    entries[id] = { ...entry, enabled: controls.includes(id), ...GOLDEN_PARAMS[id], ...params[id] };
  }
  return parsePolicy(JSON.stringify({ ...doc, controls: entries }), 'test-policy.json', NOW).policy;
}

export function manifestFor(
  tenant: Partial<MailAccessTenant>,
  statuses: Partial<Record<SourceId, SourceStatus>> = {},
  clientId: string | null = MAILWARDEN.appId,
): Manifest {
  const sources: Partial<Record<SourceId, SourceStatus>> = {};
  for (const id of Object.keys(tenant) as SourceId[]) sources[id] = { status: 'ok' };
  for (const [id, status] of Object.entries(statuses) as [SourceId, SourceStatus][]) sources[id] = status;
  return {
    formatVersion: 1,
    tenantId: TENANT_ID,
    ...(clientId !== null ? { clientId } : {}),
    capturedAt: NOW.toISOString(),
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources,
    domains: [DOMAIN],
  };
}

export function snapshotOf(
  tenant: Partial<MailAccessTenant>,
  statuses: Partial<Record<SourceId, SourceStatus>> = {},
  clientId: string | null = MAILWARDEN.appId,
): Snapshot {
  const data: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(tenant)) {
    if (statuses[id as SourceId] === undefined || statuses[id as SourceId]?.status === 'ok') data[id] = value;
  }
  return memorySnapshot(manifestFor(tenant, statuses, clientId), data);
}

export interface JudgeOptions {
  readonly params?: Record<string, unknown>;
  readonly statuses?: Partial<Record<SourceId, SourceStatus>>;
  readonly clientId?: string | null;
}

/** Evaluates one control over the tenant (all its sources `ok` unless `statuses` says otherwise). */
export async function judge(control: string, tenant: MailAccessTenant, options: JudgeOptions = {}): Promise<Result[]> {
  const policy = policyFor([control], options.params ? { [control]: options.params } : {});
  const snapshot = snapshotOf(
    tenant,
    options.statuses,
    options.clientId === undefined ? MAILWARDEN.appId : options.clientId,
  );
  const evaluation = await evaluate(snapshot, policy, { now: NOW, domains: [DOMAIN] });
  return evaluation.results.filter((r) => r.control === control).map((r) => ({ ...r }));
}

/** The results that are not a pass. */
export function findings(results: readonly Result[]): Result[] {
  return results.filter((r) => r.status !== 'pass');
}

/** Target and status of each result, for compact assertions. */
export function verdicts(results: readonly Result[]): [string, string][] {
  return results.map((r) => [r.target, r.status]);
}
