import { readFileSync } from 'node:fs';
import { evaluate } from '../../src/evaluate/evaluate.js';
import type { Result } from '../../src/model/result.js';
import { parsePolicy } from '../../src/policy/parse-policy.js';
import type { DnsData } from '../../src/snapshot/dns-types.js';
import type { ExchangeObject } from '../../src/snapshot/exchange-types.js';
import type { GraphDomain, MailboxMessageRules, MessageRule } from '../../src/snapshot/graph-types.js';
import type { Manifest } from '../../src/snapshot/manifest.js';
import { arrayPageStream, memorySnapshot } from '../../src/snapshot/snapshot.js';
import type { SourceId } from '../../src/snapshot/source-id.js';
import type { SourceStatus } from '../../src/snapshot/source-status.js';

/** A golden tenant for the mail exfiltration controls: every control passes. Tests change one thing. */
export interface ForwardingTenant {
  domains: GraphDomain[];
  messageRules: MailboxMessageRules[];
  mailbox: ExchangeObject[];
  recipient: ExchangeObject[];
  outboundPolicy: ExchangeObject[];
  outboundRule: ExchangeObject[];
  remoteDomain: ExchangeObject[];
  transportConfig: ExchangeObject[];
  casMailbox: ExchangeObject[];
  dkim: ExchangeObject[];
  inboxRule: ExchangeObject[];
  dns: DnsData;
  statuses: Partial<Record<SourceId, SourceStatus>>;
}

export const DOMAIN = 'contoso.example';
const SEL = (s: string) => `${s}-contoso-example._domainkey.contoso.n-v1.dkim.mail.microsoft`;

export function recipient(address: string, name = address): { emailAddress: { name: string; address: string } } {
  return { emailAddress: { name, address } };
}

export function rule(id: string, actions: Record<string, unknown>, extra: Partial<MessageRule> = {}): MessageRule {
  return {
    id,
    displayName: `rule ${id}`,
    sequence: 1,
    isEnabled: true,
    hasError: false,
    conditions: {},
    actions,
    ...extra,
  };
}

function mailbox(user: string, id: string, rules: MessageRule[]): MailboxMessageRules {
  return { userId: id, userPrincipalName: `${user}@${DOMAIN}`, status: 200, body: { value: rules } };
}

export function goldenTenant(): ForwardingTenant {
  return {
    domains: [
      { id: DOMAIN, isVerified: true, isDefault: true, isInitial: false, supportedServices: ['Email'] },
      { id: 'contoso.onmicrosoft.com', isVerified: true, isInitial: true, supportedServices: ['Email'] },
    ],
    messageRules: [
      mailbox('adele', 'u1', [
        rule('r1', { forwardTo: [recipient(`megan@${DOMAIN}`)], stopProcessingRules: true }),
        rule('r2', { delete: true }, { conditions: { subjectContains: ['enter to win'] } }),
      ]),
      mailbox('megan', 'u2', [
        rule('r3', { moveToFolder: 'f-news', markAsRead: false }, { conditions: { senderContains: ['newsletter'] } }),
      ]),
      mailbox('alex', 'u3', []),
    ],
    mailbox: [
      {
        Identity: 'Adele',
        UserPrincipalName: `adele@${DOMAIN}`,
        PrimarySmtpAddress: `adele@${DOMAIN}`,
        ForwardingSmtpAddress: null,
        ForwardingAddress: null,
      },
      {
        Identity: 'Megan',
        Name: 'Megan',
        UserPrincipalName: `megan@${DOMAIN}`,
        PrimarySmtpAddress: `megan@${DOMAIN}`,
        ForwardingSmtpAddress: null,
        ForwardingAddress: null,
      },
    ],
    recipient: [
      {
        Identity: 'Accountant',
        Name: 'Accountant',
        RecipientTypeDetails: 'MailContact',
        ExternalEmailAddress: 'SMTP:books@accountant.test',
      },
    ],
    outboundPolicy: [{ Identity: 'Default', Name: 'Default', IsDefault: true, AutoForwardingMode: 'Automatic' }],
    outboundRule: [],
    remoteDomain: [{ Identity: 'Default', Name: 'Default', DomainName: '*', AutoForwardEnabled: false }],
    transportConfig: [{ SmtpClientAuthenticationDisabled: true }],
    casMailbox: [
      { PrimarySmtpAddress: `adele@${DOMAIN}`, SmtpClientAuthenticationDisabled: null },
      { PrimarySmtpAddress: `megan@${DOMAIN}`, SmtpClientAuthenticationDisabled: true },
    ],
    dkim: [
      {
        Domain: DOMAIN,
        Enabled: true,
        Status: 'Valid',
        Selector1CNAME: SEL('selector1'),
        Selector2CNAME: SEL('selector2'),
      },
      { Domain: 'contoso.onmicrosoft.com', Enabled: true, Selector1CNAME: '', Selector2CNAME: '' },
    ],
    inboxRule: [],
    dns: {
      answers: {
        [`selector1._domainkey.${DOMAIN}/CNAME`]: {
          rcode: 'NOERROR',
          records: [{ name: `selector1._domainkey.${DOMAIN}`, type: 'CNAME', ttl: 3600, data: `${SEL('selector1')}.` }],
        },
        [`selector2._domainkey.${DOMAIN}/CNAME`]: {
          rcode: 'NOERROR',
          records: [{ name: `selector2._domainkey.${DOMAIN}`, type: 'CNAME', ttl: 3600, data: SEL('selector2') }],
        },
      },
    },
    statuses: {},
  };
}

const NOW = new Date('2026-11-27T06:00:00Z');

/** Evaluates one control over the tenant with the baseline policy, parameters and policy domains overridden. */
export async function judge(
  control: string,
  tenant: ForwardingTenant,
  params: Record<string, unknown> = {},
  domains: Record<string, string[]> = {},
): Promise<Result[]> {
  const doc = JSON.parse(readFileSync('policies/baseline.json', 'utf8')) as {
    controls: Record<string, Record<string, unknown>>;
    domains: Record<string, string[]>;
  };
  doc.domains = { ...doc.domains, ...domains };
  const controls: Record<string, Record<string, unknown>> = {};
  for (const [id, entry] of Object.entries(doc.controls)) controls[id] = { ...entry, enabled: id === control };
  controls[control] = { ...controls[control], enabled: true, ...params };
  const { policy } = parsePolicy(JSON.stringify({ ...doc, controls }), 'test-policy.json', NOW);
  const data = {
    'graph.domains': tenant.domains,
    'graph.messageRules': arrayPageStream(tenant.messageRules, 2),
    'graph.mailFolders': null,
    'exo.mailbox': tenant.mailbox,
    'exo.recipient': tenant.recipient,
    'exo.hostedOutboundSpamFilterPolicy': tenant.outboundPolicy,
    'exo.hostedOutboundSpamFilterRule': tenant.outboundRule,
    'exo.remoteDomain': tenant.remoteDomain,
    'exo.transportConfig': tenant.transportConfig,
    'exo.casMailbox': tenant.casMailbox,
    'exo.dkimSigningConfig': tenant.dkim,
    'exo.inboxRule': tenant.inboxRule,
    dns: tenant.dns,
  } as const;
  const sources: Partial<Record<SourceId, SourceStatus>> = {};
  for (const id of Object.keys(data) as SourceId[]) sources[id] = tenant.statuses[id] ?? { status: 'ok' };
  const manifest: Manifest = {
    formatVersion: 1,
    tenantId: 'tenant-1',
    capturedAt: NOW.toISOString(),
    tool: { name: 'mailwarden', version: 'test' },
    licences: { 'entra-id-p1': true, 'entra-id-p2': true },
    sources,
  };
  const evaluation = await evaluate(memorySnapshot(manifest, data), policy, { now: NOW, domains: [DOMAIN] });
  return evaluation.results.filter((r) => r.control === control).map((r) => ({ ...r }));
}

/** The results that are not a pass. */
export function findings(results: readonly Result[]): Result[] {
  return results.filter((r) => r.status !== 'pass');
}
