import type { ControlDefinition } from './control.js';

/** dkim controls. */
export const dkimControls: readonly ControlDefinition[] = [
  {
    id: 'dkim.signing',
    version: 1,
    area: 'email-auth',
    title: 'DKIM signing enabled for every accepted domain',
    statement:
      'Exchange Online SHALL sign outgoing mail with DKIM for each accepted email domain, and the DNS CNAMEs of selector1 and selector2 SHALL point at the targets Exchange configured.',
    rationale:
      'Without a domain\'s own DKIM signature, DMARC can only align through SPF, which breaks on forwarding; receivers then cannot tell the organisation\'s mail from a spoof. A missing or wrong selector CNAME silently breaks signing at the next key rotation.',
    defaultSeverity: 'medium',
    sources: ['exo.dkimSigningConfig', 'graph.domains', 'dns'],
    parameters: {},
    references: { scuba: ['MS.EXO.3.1v1'], cis: ['2.1.9'], hipaa: ['164.312(c)(1)', '164.312(e)(2)(i)'], nist: ['SC-8', 'SI-7'] },
    remediation:
      'Publish the two CNAMEs shown by `Get-DkimSigningConfig -Identity <domain> | Format-List Selector1CNAME,Selector2CNAME` at selector1._domainkey.<domain> and selector2._domainkey.<domain>, then `Set-DkimSigningConfig -Identity <domain> -Enabled $true` (or Microsoft Defender portal > Email authentication settings > DKIM).',
    limitations:
      'Needs the Exchange admin API (InvokeCommand), which Microsoft does not document as a public API. Checks the Microsoft selectors only, not third-party senders\' keys. The initial onmicrosoft.com domain is signed by Microsoft and has no CNAMEs to check.',
    enabledByDefault: true,
  },
];
