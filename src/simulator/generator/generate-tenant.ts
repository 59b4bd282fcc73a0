import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JsonObject } from '../../model/json.js';
import type { DnsAnswer, DnsData, DnsRecord, HttpsFetch } from '../../snapshot/dns-types.js';
import { SOURCE_FILES } from '../../snapshot/folder-layout.js';
import { type Manifest, SNAPSHOT_FORMAT_VERSION } from '../../snapshot/manifest.js';
import type { SourceId } from '../../snapshot/source-id.js';
import type { SourceStatus } from '../../snapshot/source-status.js';
import { TOOL } from '../../version.js';
import { seededRandom } from '../random.js';
import { CollectionFile, StreamFile } from './json-writer.js';
import { writeSignIns } from './sign-ins.js';
import { type GeneratedUser, guid, mix, pick, type TenantShape, userAt } from './tenant-model.js';
import { DKIM_KEY_1024, DKIM_KEY_2048, M365_SPF } from './vocabulary.js';
import { HIDDEN_RULE_ANNOTATION } from '../exchange-service.js';
import { completeDnsData } from './complete-dns.js';
import { type Scenarios, scenarios } from './scenarios.js';
import {
  MailboxPermissionWriter,
  mailAccessPlan,
  mailboxAuditProperties,
  writeMailAccessSources,
} from './mail-access.js';

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
const E5 = '06ebc4ee-1bb5-47dd-8120-11324bc54e06';

export interface GenerateOptions {
  readonly out: string;
  readonly users: number;
  readonly seed: number;
  /** Sign-ins in the 24 hours before capture; default 20 per user. */
  readonly signIns?: number;
  readonly name?: string;
  /** Custom domains (the first is primary); default derived from the name. */
  readonly domains?: readonly string[];
  /** Capture time; default a fixed instant so the same seed gives the same bytes. */
  readonly capturedAt?: Date;
  readonly tenantId?: string;
}

export interface GenerateSummary {
  readonly users: number;
  readonly signIns: number;
  readonly mailboxes: number;
  readonly inboxRules: number;
  readonly domains: readonly string[];
}

/** Default capture instant of generated tenants. */
export const DEFAULT_CAPTURED_AT = new Date('2026-11-27T06:00:00.000Z');

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '') || 'tenant';
}

export function tenantShape(options: GenerateOptions): TenantShape {
  const name = options.name ?? 'Generated Tenant';
  const base = slug(name);
  const domains = options.domains ?? [`${base}.example`, `${base}-clinic.example`, `${base}-labs.example`];
  return {
    seed: options.seed >>> 0,
    users: options.users,
    signIns: options.signIns ?? options.users * 20,
    name,
    domains,
    initialDomain: `${base}.onmicrosoft.com`,
    tenantId: options.tenantId ?? guid(seededRandom(mix(options.seed, 0, 99))),
    capturedAt: options.capturedAt ?? DEFAULT_CAPTURED_AT,
  };
}

function recipient(name: string, address: string): JsonObject {
  return { emailAddress: { name, address } };
}

/** Graph messageRules for one mailbox, and their Get-InboxRule form. */
function rulesFor(shape: TenantShape, u: GeneratedUser, s: Scenarios): { graph: JsonObject[]; exchange: JsonObject[] } {
  const random = seededRandom(mix(shape.seed, u.index, 3));
  const graph: JsonObject[] = [];
  const exchange: JsonObject[] = [];
  const add = (name: string, conditions: JsonObject, actions: JsonObject, exo: JsonObject, hidden = false): void => {
    const id = Buffer.from(`${u.index}:${graph.length + exchange.length}`).toString('base64');
    const sequence = graph.length + 1;
    if (!hidden)
      graph.push({
        id,
        displayName: name,
        sequence,
        isEnabled: true,
        hasError: false,
        isReadOnly: false,
        conditions,
        actions,
      });
    exchange.push({
      Identity: `${u.alias}\\${mix(shape.seed, u.index, 30 + exchange.length)}`,
      Name: name,
      Enabled: true,
      Priority: sequence,
      MailboxOwnerId: u.displayName,
      MailboxUserPrincipalName: u.upn,
      ForwardTo: null,
      ForwardAsAttachmentTo: null,
      RedirectTo: null,
      DeleteMessage: false,
      MoveToFolder: null,
      MarkAsRead: false,
      StopProcessingRules: false,
      ...exo,
      ...(hidden ? { [HIDDEN_RULE_ANNOTATION]: true } : {}),
    });
  };
  if (random() < 0.08) {
    add(
      'Newsletters',
      { senderContains: ['newsletter'] },
      { moveToFolder: 'Newsletters', stopProcessingRules: false },
      { MoveToFolder: 'Newsletters' },
    );
  }
  if (random() < 0.03) {
    const colleague = userAt(shape, 1 + Math.floor(random() * (shape.users - 1)));
    if (colleague.mail !== null && colleague.kind === 'member') {
      add(
        'Cover while on leave',
        {},
        { forwardTo: [recipient(colleague.displayName, colleague.mail)] },
        { ForwardTo: [`"${colleague.displayName}" [SMTP:${colleague.mail}]`] },
      );
    }
  }
  if (s.forwarders.has(u.index)) {
    const address = `${u.givenName.toLowerCase()}.${u.surname.toLowerCase()}@${pick(random, ['gmail.example', 'protonmail.example', 'outlook.example'])}`;
    const which = u.index % 3;
    if (which === 0)
      add(
        'Forward to home',
        {},
        { forwardTo: [recipient(u.givenName, address)] },
        { ForwardTo: [`"${u.givenName}" [SMTP:${address}]`] },
      );
    else if (which === 1)
      add(
        'Copy',
        {},
        { redirectTo: [recipient(u.givenName, address)] },
        { RedirectTo: [`"${u.givenName}" [SMTP:${address}]`] },
      );
    else
      add(
        '.',
        {},
        { forwardAsAttachmentTo: [recipient('', address)] },
        { ForwardAsAttachmentTo: [`"${address}" [SMTP:${address}]`] },
      );
  }
  if (s.concealers.has(u.index)) {
    add(
      '..',
      { subjectContains: ['invoice', 'payment', 'wire'] },
      { moveToFolder: 'RSS Feeds', markAsRead: true, stopProcessingRules: true },
      { MoveToFolder: 'RSS Feeds', MarkAsRead: true, StopProcessingRules: true },
    );
    // A rule hidden from MAPI (and so from Graph): only Get-InboxRule -IncludeHidden shows it.
    add(
      '',
      { fromAddresses: [] },
      { delete: true },
      { DeleteMessage: true, Description: 'If the message: includes "security" in the subject, delete it' },
      true,
    );
  }
  return { graph, exchange };
}

function txt(name: string, ...values: string[]): DnsRecord[] {
  return values.map((value) => ({ name, type: 'TXT', ttl: 3600, data: [value] }));
}

/** DNS for the tenant's domains: the first well configured, the others with the usual mistakes. */
export function dnsFor(shape: TenantShape): DnsData {
  const answers: Record<string, DnsAnswer> = {};
  const https: Record<string, HttpsFetch> = {};
  const put = (name: string, type: string, records: DnsRecord[], rcode = 'NOERROR'): void => {
    answers[`${name}/${type}`] = { rcode, records };
  };
  const tenantLabel = shape.initialDomain.split('.')[0] ?? 'tenant';
  put('spf.protection.outlook.com', 'TXT', txt('spf.protection.outlook.com', M365_SPF));
  shape.domains.forEach((domain, index) => {
    const profile = index % 3;
    const dashed = domain.replace(/\./g, '-');
    put(domain, 'MX', [
      {
        name: domain,
        type: 'MX',
        ttl: 3600,
        data: { preference: 0, exchange: `${dashed}.mail.protection.outlook.com` },
      },
    ]);
    const verification = `MS=ms${mix(shape.seed, index, 40) % 100000000}`;
    for (const selector of ['selector1', 'selector2']) {
      const target = `${selector}-${dashed}._domainkey.${tenantLabel}.n-v1.dkim.mail.microsoft`;
      const cname: DnsRecord = { name: `${selector}._domainkey.${domain}`, type: 'CNAME', ttl: 3600, data: target };
      const key = profile === 1 && selector === 'selector1' ? DKIM_KEY_1024 : DKIM_KEY_2048;
      const keyRecord = txt(target, `v=DKIM1; k=rsa; p=${key}`);
      if (profile === 2 || (profile === 1 && selector === 'selector2')) {
        put(`${selector}._domainkey.${domain}`, 'CNAME', [], 'NXDOMAIN');
        put(`${selector}._domainkey.${domain}`, 'TXT', [], 'NXDOMAIN');
        continue;
      }
      put(`${selector}._domainkey.${domain}`, 'CNAME', [cname]);
      put(`${selector}._domainkey.${domain}`, 'TXT', [cname, ...keyRecord]);
      put(target, 'TXT', keyRecord);
    }
    if (profile === 0) {
      put(domain, 'TXT', txt(domain, 'v=spf1 include:spf.protection.outlook.com -all', verification));
      put(
        `_dmarc.${domain}`,
        'TXT',
        txt(`_dmarc.${domain}`, `v=DMARC1; p=reject; rua=mailto:dmarc@${domain}; ruf=mailto:dmarc@${domain}; fo=1`),
      );
      put(`_mta-sts.${domain}`, 'TXT', txt(`_mta-sts.${domain}`, 'v=STSv1; id=20261101T000000'));
      // RFC 8461 §3.2 policy, served by the simulator's policy host; Exchange Online's MX hosts.
      https[`https://mta-sts.${domain}/.well-known/mta-sts.txt`] = {
        status: 200,
        contentType: 'text/plain',
        body: 'version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmax_age: 604800\r\n',
      };
      put(`_smtp._tls.${domain}`, 'TXT', txt(`_smtp._tls.${domain}`, `v=TLSRPTv1; rua=mailto:tlsrpt@${domain}`));
    } else if (profile === 1) {
      // Soft-fail SPF, monitoring-only DMARC reporting to a vendor that has not authorised it (RFC 7489 §7.1).
      put(domain, 'TXT', txt(domain, 'v=spf1 include:spf.protection.outlook.com ~all', verification));
      put(
        `_dmarc.${domain}`,
        'TXT',
        txt(`_dmarc.${domain}`, 'v=DMARC1; p=none; pct=50; rua=mailto:reports@dmarc-vendor.example'),
      );
      put(`${domain}._report._dmarc.dmarc-vendor.example`, 'TXT', [], 'NXDOMAIN');
    } else {
      // Two SPF records (RFC 7208 §4.5 permerror), one including a name that does not exist; no DMARC.
      put(
        domain,
        'TXT',
        txt(
          domain,
          'v=spf1 include:spf.protection.outlook.com include:mail.retired-host.example ?all',
          'v=spf1 mx -all',
          verification,
        ),
      );
      put('mail.retired-host.example', 'TXT', [], 'NXDOMAIN');
      put(`_dmarc.${domain}`, 'TXT', [], 'NXDOMAIN');
    }
  });
  put(`_dmarc.${shape.initialDomain}`, 'TXT', [], 'NXDOMAIN');
  return { answers, https };
}

const invokeHeader = (shape: TenantShape): Record<string, unknown> => ({
  '@odata.context': `https://outlook.office365.com/adminapi/beta/${shape.initialDomain}/$metadata#Collection(Exchange.GenericHashTable)`,
  'adminapi.warnings@odata.type': '#Collection(String)',
  '@adminapi.warnings': [],
});

async function writeJson(out: string, relative: string, value: unknown): Promise<void> {
  const file = await StreamFile.open(path.join(out, relative));
  await file.write(`${JSON.stringify(value, null, 1)}\n`);
  await file.close();
}

/**
 * Writes a realistic tenant as a snapshot folder. Users, mailboxes and sign-ins are derived
 * from (seed, index) and written as streams, so memory stays flat at 100,000 users and
 * 2,000,000 sign-ins; the same options give the same bytes.
 */
export async function generateTenant(options: GenerateOptions): Promise<GenerateSummary> {
  const shape = tenantShape(options);
  const s = scenarios(shape);
  const out = options.out;
  const f = (id: SourceId): string => path.join(out, SOURCE_FILES[id]);
  const counts: Partial<Record<SourceId, number>> = {};
  const header = invokeHeader(shape);

  const users = await CollectionFile.open(f('graph.users'), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
  });
  const registrations = await CollectionFile.open(f('graph.userRegistrationDetails'));
  const mailboxes = await CollectionFile.open(f('exo.mailbox'), header);
  const cas = await CollectionFile.open(f('exo.casMailbox'), header);
  const exoRules = await CollectionFile.open(f('exo.inboxRule'), header);
  const messageRules = await StreamFile.open(f('graph.messageRules'));
  const access = mailAccessPlan(shape);
  const permissions = await MailboxPermissionWriter.open(out, shape, access, header);
  const admins: GeneratedUser[] = [];
  let ruleLines = 0;
  for (let index = 0; index < shape.users; index++) {
    const u = userAt(shape, index);
    if (u.kind === 'admin' || u.kind === 'breakGlass') admins.push(u);
    await users.add({
      id: u.id,
      userPrincipalName: u.upn,
      displayName: u.displayName,
      givenName: u.kind === 'member' || u.kind === 'admin' ? u.givenName : null,
      surname: u.kind === 'member' || u.kind === 'admin' ? u.surname : null,
      mail: u.mail,
      accountEnabled: u.enabled,
      userType: u.kind === 'guest' ? 'Guest' : 'Member',
      department: u.kind === 'guest' || u.kind === 'breakGlass' ? null : u.department,
      city: u.home.city,
      country: u.home.country,
      assignedLicenses: u.kind === 'member' || u.kind === 'admin' ? [{ skuId: E5 }] : [],
    });
    const strong = u.methods.some((m) => m === 'fido2' || m === 'windowsHelloForBusiness');
    await registrations.add({
      id: u.id,
      userPrincipalName: u.upn,
      userDisplayName: u.displayName,
      userType: u.kind === 'guest' ? 'guest' : 'member',
      isAdmin: u.kind === 'admin' || u.kind === 'breakGlass',
      isSsprRegistered: u.methods.length > 0,
      isSsprEnabled: true,
      isSsprCapable: u.methods.length > 0,
      isMfaRegistered: u.methods.length > 0,
      isMfaCapable: u.methods.length > 0,
      isPasswordlessCapable: strong,
      methodsRegistered: u.methods,
      lastUpdatedDateTime: new Date(shape.capturedAt.getTime() - 3 * 3600_000).toISOString(),
    });
    if (u.kind !== 'guest') await permissions.addAccount(u);
    if (!u.hasMailbox) {
      await messageRules.write(
        `${JSON.stringify({ userId: u.id, userPrincipalName: u.upn, status: 404, body: { error: { code: 'MailboxNotEnabledForRESTAPI', message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.' } } })}\n`,
      );
      ruleLines++;
      continue;
    }
    const rules = rulesFor(shape, u, s);
    await messageRules.write(
      `${JSON.stringify({ userId: u.id, userPrincipalName: u.upn, status: 200, body: { value: rules.graph } })}\n`,
    );
    ruleLines++;
    for (const rule of rules.exchange) await exoRules.add(rule);
    const forwards = s.mailboxForwarders.has(u.index);
    await mailboxes.add({
      Identity: u.displayName,
      Alias: u.alias,
      Name: u.alias,
      DisplayName: u.displayName,
      UserPrincipalName: u.upn,
      PrimarySmtpAddress: u.mail,
      RecipientTypeDetails: u.kind === 'shared' ? 'SharedMailbox' : 'UserMailbox',
      ExternalDirectoryObjectId: u.id,
      ForwardingAddress: null,
      ForwardingSmtpAddress: forwards ? `smtp:${u.alias}@personal-mail.example` : null,
      DeliverToMailboxAndForward: forwards,
      ...mailboxAuditProperties(access, u),
    });
    await permissions.addMailbox(u);
    await cas.add({
      Identity: u.displayName,
      Name: u.alias,
      PrimarySmtpAddress: u.mail,
      SmtpClientAuthenticationDisabled: s.smtpAuth.has(u.index) ? false : null,
    });
  }
  counts['graph.users'] = await users.close();
  counts['graph.userRegistrationDetails'] = await registrations.close();
  counts['exo.mailbox'] = await mailboxes.close();
  counts['exo.casMailbox'] = await cas.close();
  counts['exo.inboxRule'] = await exoRules.close();
  await messageRules.close();
  counts['graph.messageRules'] = ruleLines;
  Object.assign(counts, await permissions.close());

  const breakGlass = admins[0];
  if (breakGlass === undefined) throw new Error('a generated tenant always has its break-glass administrator');
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
  await writeJson(out, SOURCE_FILES['graph.roleAssignments'], { value: roleAssignments });
  counts['graph.roleAssignments'] = roleAssignments.length;

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
  ];
  await writeJson(out, SOURCE_FILES['graph.conditionalAccessPolicies'], { value: policies });
  counts['graph.conditionalAccessPolicies'] = policies.length;
  await writeJson(out, SOURCE_FILES['graph.securityDefaults'], {
    id: '00000000-0000-0000-0000-000000000005',
    displayName: 'Security Defaults',
    isEnabled: false,
  });
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
  await writeJson(out, SOURCE_FILES['graph.authenticationStrengthPolicies'], { value: strengths });
  counts['graph.authenticationStrengthPolicies'] = strengths.length;
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
  await writeJson(out, SOURCE_FILES['graph.domains'], { value: domains });
  counts['graph.domains'] = domains.length;

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
  await writeJson(out, SOURCE_FILES['graph.riskyUsers'], { value: risky });
  counts['graph.riskyUsers'] = risky.length;
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
  await writeJson(out, SOURCE_FILES['graph.riskDetections'], { value: detections });
  counts['graph.riskDetections'] = detections.length;

  const financeSenders = direct.slice(1, 3).map((u) => u.upn);
  await writeJson(out, SOURCE_FILES['exo.hostedOutboundSpamFilterPolicy'], {
    ...header,
    value: [
      { Identity: 'Default', Name: 'Default', IsDefault: true, Enabled: true, AutoForwardingMode: 'Automatic' },
      {
        Identity: 'Allow forwarding - finance',
        Name: 'Allow forwarding - finance',
        IsDefault: false,
        Enabled: true,
        AutoForwardingMode: 'On',
      },
    ],
  });
  await writeJson(out, SOURCE_FILES['exo.hostedOutboundSpamFilterRule'], {
    ...header,
    value: [
      {
        Identity: 'Allow forwarding - finance',
        Name: 'Allow forwarding - finance',
        HostedOutboundSpamFilterPolicy: 'Allow forwarding - finance',
        State: 'Enabled',
        Priority: 0,
        From: financeSenders,
        FromMemberOf: null,
        SenderDomainIs: null,
      },
    ],
  });
  await writeJson(out, SOURCE_FILES['exo.remoteDomain'], {
    ...header,
    value: [
      { Identity: 'Default', Name: 'Default', DomainName: '*', AutoForwardEnabled: false },
      { Identity: 'Partner lab', Name: 'Partner lab', DomainName: 'partner-lab.example', AutoForwardEnabled: true },
    ],
  });
  await writeJson(out, SOURCE_FILES['exo.dkimSigningConfig'], {
    ...header,
    value: shape.domains.map((domain, i) => {
      const dashed = domain.replace(/\./g, '-');
      const label = shape.initialDomain.split('.')[0];
      return {
        Identity: domain,
        Domain: domain,
        Enabled: i % 3 === 0,
        Status: i % 3 === 0 ? 'Valid' : 'CnameMissing',
        Selector1CNAME: `selector1-${dashed}._domainkey.${label}.n-v1.dkim.mail.microsoft`,
        Selector2CNAME: `selector2-${dashed}._domainkey.${label}.n-v1.dkim.mail.microsoft`,
        Selector1KeySize: i % 3 === 1 ? 1024 : 2048,
        Selector2KeySize: 2048,
      };
    }),
  });
  await writeJson(out, SOURCE_FILES['exo.transportConfig'], {
    ...header,
    value: [{ Identity: 'Transport Settings', SmtpClientAuthenticationDisabled: true }],
  });
  await writeJson(out, SOURCE_FILES['exo.recipient'], {
    ...header,
    value: [
      {
        Identity: 'External Accountant',
        Name: 'External Accountant',
        DisplayName: 'External Accountant',
        Alias: 'extaccountant',
        RecipientTypeDetails: 'MailContact',
        PrimarySmtpAddress: 'books@accountant.example',
        ExternalEmailAddress: 'SMTP:books@accountant.example',
      },
    ],
  });
  for (const id of [
    'exo.hostedOutboundSpamFilterPolicy',
    'exo.remoteDomain',
    'exo.hostedOutboundSpamFilterRule',
    'exo.transportConfig',
    'exo.recipient',
  ] as const)
    counts[id] = id === 'exo.hostedOutboundSpamFilterPolicy' || id === 'exo.remoteDomain' ? 2 : 1;
  counts['exo.dkimSigningConfig'] = shape.domains.length;

  Object.assign(counts, await writeMailAccessSources(out, shape, access, header));

  const dns = await completeDnsData(dnsFor(shape), [...shape.domains, shape.initialDomain]);
  await writeJson(out, SOURCE_FILES.dns, dns);
  counts.dns = Object.keys(dns.answers).length;

  counts['graph.signIns'] = await writeSignIns(shape, s, f('graph.signIns'));

  const sources: Partial<Record<SourceId, SourceStatus>> = {};
  for (const [id, count] of Object.entries(counts) as [SourceId, number][]) sources[id] = { status: 'ok', count };
  sources['graph.securityDefaults'] = { status: 'ok' };
  sources['graph.authorizationPolicy'] = { status: 'ok' };
  const manifest: Manifest = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    tenantId: shape.tenantId,
    capturedAt: shape.capturedAt.toISOString(),
    tool: { name: TOOL.name, version: TOOL.version },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources,
    domains: [...shape.domains, shape.initialDomain],
  };
  await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    users: shape.users,
    signIns: counts['graph.signIns'] ?? 0,
    mailboxes: counts['exo.mailbox'] ?? 0,
    inboxRules: counts['exo.inboxRule'] ?? 0,
    domains: manifest.domains ?? [],
  };
}
