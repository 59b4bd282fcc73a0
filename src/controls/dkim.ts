import type { ControlDefinition } from './control.js';

/**
 * DKIM controls: Exchange signing configuration (dkim.signing) and the published keys (dkim.keys, RFC
 * 6376 §3.6.1, RFC 8301, RFC 8463).
 */
export const dkimControls: readonly ControlDefinition[] = [
  {
    id: 'dkim.signing',
    version: 1,
    area: 'email-auth',
    title: 'DKIM signing enabled for every accepted domain',
    statement:
      'Exchange Online SHALL sign outgoing mail with DKIM for each accepted email domain, and the DNS CNAMEs of selector1 and selector2 SHALL point at the targets Exchange configured.',
    rationale:
      "Without a domain's own DKIM signature, DMARC can only align through SPF, which breaks on forwarding; receivers then cannot tell the organisation's mail from a spoof. A missing or wrong selector CNAME silently breaks signing at the next key rotation.",
    defaultSeverity: 'medium',
    sources: ['exo.dkimSigningConfig', 'graph.domains', 'dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: { lookup: 'microsoft-dkim-cnames', domains: 'exchange-signed' },
    parameters: {},
    references: {
      scuba: ['MS.EXO.3.1v1'],
      cis: ['2.1.9'],
      hipaa: ['164.312(c)(1)', '164.312(e)(2)(i)'],
      nist: ['SC-8', 'SI-7'],
    },
    remediation:
      'Publish the two CNAMEs shown by `Get-DkimSigningConfig -Identity <domain> | Format-List Selector1CNAME,Selector2CNAME` at selector1._domainkey.<domain> and selector2._domainkey.<domain>, then `Set-DkimSigningConfig -Identity <domain> -Enabled $true` (or Microsoft Defender portal > Email authentication settings > DKIM).',
    limitations:
      "Needs the Exchange admin API (InvokeCommand), which Microsoft does not document as a public API. Checks the Microsoft selectors only, not third-party senders' keys. The tenant's initial domain (onmicrosoft.com, onmicrosoft.us or partner.onmschina.cn, by Graph's isInitial) is signed by Microsoft and has no CNAMEs to check.",
    enabledByDefault: true,
  },
  {
    id: 'dkim.keys',
    version: 1,
    area: 'email-auth',
    title: 'DKIM keys are published and strong',
    statement:
      'Each audited email domain SHALL publish, at every selector the policy lists, a valid and unrevoked DKIM key usable for email, and RSA keys SHALL be at least minBits bits long.',
    rationale:
      "Without a DKIM key, receivers cannot verify the tenant's signatures, DMARC rests on SPF alone and breaks on every forwarded message. A 1024-bit RSA key is within reach of well-funded attackers and below 1024 bits RFC 8301 forbids verifiers to accept it; Microsoft 365 generates 2048-bit keys by default. Neither ScubaGear nor Maester checks key length.",
    defaultSeverity: 'medium',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: {
      lookup: 'dkim-keys',
      domains: 'own-dns-not-parked',
      microsoftManaged:
        'Microsoft signs mail from its initial domains with its own keys and publishes them itself ("You don\'t need to do anything", learn.microsoft.com/defender-office-365/email-authentication-dkim-configure); the admin cannot publish a key there.',
    },
    parameters: {
      selectors: {
        schema: {
          type: 'array',
          items: { type: 'string', pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$' },
          minItems: 1,
          default: ['selector1', 'selector2'],
          description:
            "DKIM selectors that must publish a key at <selector>._domainkey.<domain>. Microsoft 365 uses selector1 and selector2, CNAMEs to the keys Exchange names in Get-DkimSigningConfig (worldwide: under <prefix>.<letter>-v1.dkim.mail.microsoft for domains added since May 2025, else under the tenant's initial onmicrosoft.com domain; the national clouds' format is not documented); add third-party senders' selectors.",
        },
      },
      minBits: {
        schema: {
          type: 'integer',
          minimum: 1024,
          default: 2048,
          description:
            'Smallest acceptable RSA key length in bits. RFC 8301 sets 1024 as the floor; Microsoft 365 rotates to 2048-bit keys.',
        },
      },
    },
    references: { scuba: ['MS.EXO.3.1v1'], cis: ['2.1.9'], hipaa: ['164.312(c)(1)'], nist: ['SI-8', 'SC-13'] },
    remediation:
      'In the Microsoft Defender portal > Email & collaboration > Policies > Email authentication settings > DKIM, publish the two CNAME records shown for the domain, then enable signing; rotate to 2048-bit keys with Rotate-DkimSigningConfig -KeySize 2048. For other senders publish their key at the selector they sign with.',
    limitations:
      'Only the listed selectors are checked (DNS cannot list them). Whether Exchange Online actually signs with the key is not seen here (dkim.signing does). Parked domains are skipped. ed25519 keys count as strong.',
    enabledByDefault: true,
  },
];
