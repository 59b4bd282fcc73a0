import type { TenantShape } from './tenant-model.js';

/*
 * The generated tenant's Exchange Online configuration sources, as Invoke-Command returns them:
 * outbound spam policies and rules, remote domains, DKIM signing, transport config and contacts.
 */

/** The OData envelope of an Exchange admin API answer. */
export const invokeHeader = (shape: TenantShape): Record<string, unknown> => ({
  '@odata.context': `https://outlook.office365.com/adminapi/beta/${shape.initialDomain}/$metadata#Collection(Exchange.GenericHashTable)`,
  'adminapi.warnings@odata.type': '#Collection(String)',
  '@adminapi.warnings': [],
});

/** Each Exchange configuration source's file content, keyed by source, in the manifest's order. */
export function exchangeConfig(shape: TenantShape, header: Record<string, unknown>, financeSenders: readonly string[]) {
  return {
    'exo.hostedOutboundSpamFilterPolicy': {
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
    },
    'exo.remoteDomain': {
      ...header,
      value: [
        { Identity: 'Default', Name: 'Default', DomainName: '*', AutoForwardEnabled: false },
        { Identity: 'Partner lab', Name: 'Partner lab', DomainName: 'partner-lab.example', AutoForwardEnabled: true },
      ],
    },
    'exo.hostedOutboundSpamFilterRule': {
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
    },
    'exo.transportConfig': {
      ...header,
      value: [{ Identity: 'Transport Settings', SmtpClientAuthenticationDisabled: true }],
    },
    'exo.recipient': {
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
    },
    'exo.dkimSigningConfig': {
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
    },
  } as const;
}
