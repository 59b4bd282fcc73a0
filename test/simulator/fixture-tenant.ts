import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JsonObject } from '../../src/model/json.js';
import { SOURCE_FILES } from '../../src/snapshot/folder-layout.js';
import type { Manifest } from '../../src/snapshot/manifest.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';

export const TENANT_ID = '3f1c2d4e-0000-4000-8000-00000000a11c';
export const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

/** A small, complete tenant for protocol tests; `change` edits the data before it is written. */
export interface FixtureData {
  manifest: { -readonly [K in keyof Manifest]: Manifest[K] };
  collections: Partial<Record<SourceId, JsonObject[]>>;
  securityDefaults: JsonObject;
  /** Pages of sign-ins, newest first, one per line of signIns.jsonl. */
  signInPages: JsonObject[][];
  messageRules: JsonObject[];
  dns: JsonObject;
}

export function user(n: number, extra: JsonObject = {}): JsonObject {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    userPrincipalName: `user${n}@alpha.example`,
    displayName: `User ${n}`,
    accountEnabled: true,
    userType: 'Member',
    ...extra,
  };
}

export function signIn(n: number, time: string, extra: JsonObject = {}): JsonObject {
  return {
    id: `si-${n}`,
    createdDateTime: time,
    userId: user(1).id as string,
    userPrincipalName: 'user1@alpha.example',
    clientAppUsed: 'Browser',
    ipAddress: '203.0.113.10',
    status: { errorCode: 0, failureReason: null, additionalDetails: null },
    location: {
      city: 'Seattle',
      state: 'WA',
      countryOrRegion: 'US',
      geoCoordinates: { latitude: 47.6, longitude: -122.3, altitude: null },
    },
    ...extra,
  };
}

export function fixtureData(): FixtureData {
  const users = Array.from({ length: 5 }, (_, i) => user(i + 1));
  const long = Array.from({ length: 40 }, (_, i) => `include:spf${i}.long-record-filler.example.net`).join(' ');
  return {
    manifest: {
      formatVersion: 1,
      tenantId: TENANT_ID,
      capturedAt: '2026-11-27T06:00:00.000Z',
      tool: { name: 'mailwarden', version: '0.1.0' },
      licences: { 'entra-id-p1': true, 'entra-id-p2': true },
      sources: {},
    },
    collections: {
      'graph.users': users,
      'graph.userRegistrationDetails': users.map((u) => ({
        id: u.id as string,
        userPrincipalName: u.userPrincipalName as string,
        userType: 'member',
        isAdmin: false,
        isMfaRegistered: true,
        isMfaCapable: true,
        methodsRegistered: ['microsoftAuthenticatorPush'],
      })),
      'graph.conditionalAccessPolicies': [
        {
          id: 'ca-1',
          displayName: 'Require MFA',
          state: 'enabled',
          conditions: { clientAppTypes: ['all'] },
          grantControls: { operator: 'OR', builtInControls: ['mfa'] },
        },
        {
          id: 'ca-2',
          displayName: 'Report only',
          state: 'enabledForReportingButNotEnforced',
          conditions: { clientAppTypes: ['all'] },
          grantControls: null,
        },
      ],
      'graph.authenticationStrengthPolicies': [
        {
          id: '00000000-0000-0000-0000-000000000004',
          displayName: 'Phishing-resistant MFA',
          policyType: 'builtIn',
          allowedCombinations: ['fido2'],
        },
      ],
      'graph.roleAssignments': [
        {
          id: 'ra-1',
          principalId: users[0]!.id as string,
          roleDefinitionId: GLOBAL_ADMIN,
          directoryScopeId: '/',
          principal: {
            '@odata.type': '#microsoft.graph.user',
            id: users[0]!.id as string,
            userPrincipalName: 'user1@alpha.example',
          },
        },
        {
          id: 'ra-2',
          principalId: 'group-1',
          roleDefinitionId: GLOBAL_ADMIN,
          directoryScopeId: '/',
          principal: {
            '@odata.type': '#microsoft.graph.group',
            id: 'group-1',
            displayName: 'Admins',
            members: [
              {
                '@odata.type': '#microsoft.graph.user',
                id: users[1]!.id as string,
                userPrincipalName: 'user2@alpha.example',
              },
            ],
          },
        },
      ],
      'graph.domains': [
        { id: 'alpha.example', isVerified: true, isDefault: true, isInitial: false, supportedServices: ['Email'] },
        {
          id: 'alpha.onmicrosoft.com',
          isVerified: true,
          isDefault: false,
          isInitial: true,
          supportedServices: ['Email'],
        },
      ],
      'graph.riskyUsers': [
        {
          id: users[2]!.id as string,
          userPrincipalName: 'user3@alpha.example',
          riskLevel: 'high',
          riskState: 'atRisk',
        },
      ],
      'graph.riskDetections': [
        {
          id: 'rd-1',
          userId: users[2]!.id as string,
          riskEventType: 'unlikelyTravel',
          riskLevel: 'high',
          riskState: 'atRisk',
          detectedDateTime: '2026-11-27T01:00:00Z',
        },
      ],
      'exo.mailbox': users.map((u, i) => ({
        Identity: `User ${i + 1}`,
        Name: `user${i + 1}`,
        UserPrincipalName: u.userPrincipalName as string,
        PrimarySmtpAddress: u.userPrincipalName as string,
        RecipientTypeDetails: 'UserMailbox',
        ExternalDirectoryObjectId: u.id as string,
        ForwardingSmtpAddress: i === 0 ? 'smtp:out@elsewhere.example' : null,
        ForwardingAddress: null,
        DeliverToMailboxAndForward: false,
      })),
      'exo.hostedOutboundSpamFilterPolicy': [
        { Name: 'Default', IsDefault: true, AutoForwardingMode: 'Automatic', Enabled: true },
      ],
      'exo.remoteDomain': [{ Name: 'Default', DomainName: '*', AutoForwardEnabled: true }],
      'exo.dkimSigningConfig': [
        {
          Domain: 'alpha.example',
          Enabled: true,
          Selector1CNAME: 'selector1-alpha-example._domainkey.alpha.n-v1.dkim.mail.microsoft',
        },
      ],
      'exo.transportConfig': [{ Identity: 'Transport Settings', SmtpClientAuthenticationDisabled: true }],
      'exo.casMailbox': users.map((u) => ({
        Identity: u.displayName as string,
        PrimarySmtpAddress: u.userPrincipalName as string,
        SmtpClientAuthenticationDisabled: null,
      })),
      'exo.inboxRule': [
        {
          Identity: 'user1\\1',
          Name: 'fwd',
          Enabled: true,
          MailboxUserPrincipalName: 'user1@alpha.example',
          MailboxOwnerId: 'User 1',
          ForwardTo: ['"x" [SMTP:x@elsewhere.example]'],
        },
        {
          Identity: 'user2\\1',
          Name: 'tidy',
          Enabled: true,
          MailboxUserPrincipalName: 'user2@alpha.example',
          MailboxOwnerId: 'User 2',
          MoveToFolder: 'Archive',
        },
      ],
    },
    securityDefaults: {
      id: '00000000-0000-0000-0000-000000000005',
      displayName: 'Security Defaults',
      isEnabled: false,
    },
    signInPages: [
      [signIn(1, '2026-11-27T05:00:00Z'), signIn(2, '2026-11-27T04:00:00Z'), signIn(3, '2026-11-27T03:00:00Z')],
      [signIn(4, '2026-11-26T12:00:00Z'), signIn(5, '2026-11-26T02:00:00Z', { clientAppUsed: 'IMAP4' })],
    ],
    messageRules: [
      {
        userId: users[0]!.id as string,
        userPrincipalName: 'user1@alpha.example',
        status: 200,
        body: {
          value: [
            {
              id: 'r1',
              displayName: 'fwd',
              sequence: 1,
              isEnabled: true,
              actions: { forwardTo: [{ emailAddress: { name: 'x', address: 'x@elsewhere.example' } }] },
            },
            { id: 'r2', displayName: 'tidy', sequence: 2, isEnabled: false, actions: { moveToFolder: 'Archive' } },
          ],
        },
      },
      { userId: users[1]!.id as string, userPrincipalName: 'user2@alpha.example', status: 200, body: { value: [] } },
      {
        userId: users[4]!.id as string,
        userPrincipalName: 'user5@alpha.example',
        status: 404,
        body: {
          error: {
            code: 'MailboxNotEnabledForRESTAPI',
            message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
          },
        },
      },
    ],
    dns: {
      answers: {
        'alpha.example/TXT': {
          rcode: 'NOERROR',
          records: [
            { name: 'alpha.example', type: 'TXT', ttl: 300, data: ['v=spf1 include:spf.protection.outlook.com -all'] },
          ],
        },
        '_dmarc.alpha.example/TXT': {
          rcode: 'NOERROR',
          records: [
            {
              name: '_dmarc.alpha.example',
              type: 'TXT',
              ttl: 300,
              data: ['v=DMARC1; p=reject; rua=mailto:d@alpha.example'],
            },
          ],
        },
        'alpha.example/MX': {
          rcode: 'NOERROR',
          records: [
            {
              name: 'alpha.example',
              type: 'MX',
              ttl: 300,
              data: { preference: 0, exchange: 'alpha-example.mail.protection.outlook.com' },
            },
          ],
        },
        'selector1._domainkey.alpha.example/CNAME': {
          rcode: 'NOERROR',
          records: [
            {
              name: 'selector1._domainkey.alpha.example',
              type: 'CNAME',
              ttl: 3600,
              data: 'selector1-alpha-example._domainkey.alpha.n-v1.dkim.mail.microsoft',
            },
          ],
        },
        'big.alpha.example/TXT': {
          rcode: 'NOERROR',
          records: Array.from({ length: 12 }, (_, i) => ({
            name: 'big.alpha.example',
            type: 'TXT',
            ttl: 300,
            data: [`${i} ${long}`.slice(0, 250)],
          })),
        },
        'key.alpha.example/TXT': {
          rcode: 'NOERROR',
          records: [
            { name: 'key.alpha.example', type: 'TXT', ttl: 300, data: [`v=DKIM1; k=rsa; p=${'A'.repeat(392)}`] },
          ],
        },
        'broken.alpha.example/TXT': { rcode: 'SERVFAIL', records: [] },
        'slow.alpha.example/TXT': { rcode: 'TIMEOUT', records: [] },
      },
    },
  };
}

/** Writes a fixture tenant as a snapshot folder, marking every source `ok` unless `statuses` says otherwise. */
export async function writeFixtureTenant(
  dir: string,
  change: (data: FixtureData) => void = () => undefined,
  statuses: Partial<Record<SourceId, SourceStatus>> = {},
): Promise<FixtureData> {
  const data = fixtureData();
  change(data);
  const sources: Partial<Record<SourceId, SourceStatus>> = {};
  const put = async (id: SourceId, text: string, count?: number): Promise<void> => {
    const file = path.join(dir, SOURCE_FILES[id]);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    sources[id] = { status: 'ok', ...(count === undefined ? {} : { count }) };
  };
  for (const [id, items] of Object.entries(data.collections) as [SourceId, JsonObject[]][]) {
    await put(id, JSON.stringify({ value: items }, null, 1), items.length);
  }
  await put('graph.securityDefaults', JSON.stringify(data.securityDefaults));
  await put(
    'graph.signIns',
    `${data.signInPages.map((page) => JSON.stringify({ value: page })).join('\n')}\n`,
    data.signInPages.reduce((n, page) => n + page.length, 0),
  );
  await put(
    'graph.messageRules',
    `${data.messageRules.map((line) => JSON.stringify(line)).join('\n')}\n`,
    data.messageRules.length,
  );
  await put('dns', JSON.stringify(data.dns), Object.keys(data.dns.answers as JsonObject).length);
  data.manifest.sources = { ...sources, ...statuses };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(data.manifest, null, 2));
  return data;
}
