import type { ControlDefinition } from './control.js';

/** Controls on parked domains and on inbound transport security (MTA-STS, TLS-RPT). */
export const domainsControls: readonly ControlDefinition[] = [
  {
    id: 'domains.parked',
    version: 1,
    area: 'email-auth',
    title: 'Parked domains refuse all mail',
    statement:
      'Each domain listed as parked in the policy SHALL publish SPF "v=spf1 -all", a DMARC policy of reject, and either a null MX (RFC 7505) or no MX record.',
    rationale:
      'Domains that never send mail are favourite spoofing targets precisely because nobody watches them. "v=spf1 -all" and p=reject tell every receiver to refuse mail in their name; a null MX says they receive none either (M3AAWG parked-domain guidance, CIS 2.1.8).',
    defaultSeverity: 'medium',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: { lookup: 'parked', domains: 'parked' },
    parameters: {},
    references: { scuba: ['MS.EXO.2.2v3', 'MS.EXO.4.2v1'], cis: ['2.1.8', '2.1.10'], nist: ['SI-8'] },
    remediation:
      'Publish at the domain: TXT "v=spf1 -all"; at _dmarc.<domain>: TXT "v=DMARC1; p=reject;"; and MX "0 ." (null MX) or no MX at all.',
    limitations:
      'Only domains the policy lists under domains.parked are checked; DNS cannot tell which domains are unused.',
    enabledByDefault: true,
  },
  {
    id: 'mta-sts.policy',
    version: 1,
    area: 'email-auth',
    title: 'MTA-STS enforces TLS for inbound mail',
    statement:
      'Each audited email domain SHOULD publish an _mta-sts TXT record and serve an MTA-STS policy over HTTPS at mta-sts.<domain> with mode enforce (RFC 8461).',
    rationale:
      'SMTP encryption between servers is opportunistic: an attacker on the path can strip STARTTLS and read or alter mail, including PHI. MTA-STS in enforce mode tells sending servers to refuse delivery without a valid TLS certificate for the listed MX hosts.',
    defaultSeverity: 'medium',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: {
      lookup: 'mta-sts',
      domains: 'own-dns-not-parked',
      microsoftManaged:
        "Microsoft runs its initial domains' mail routing and DNS; the admin cannot publish an MTA-STS record or host the policy there.",
    },
    parameters: {},
    references: { hipaa: ['164.312(e)(1)'], nist: ['SC-8', 'SC-8(1)'] },
    remediation:
      'Serve https://mta-sts.<domain>/.well-known/mta-sts.txt with "version: STSv1", "mode: enforce", "mx: <domain>.mail.protection.outlook.com" (or your MX) and "max_age: 604800", then publish TXT "v=STSv1; id=<change-id>" at _mta-sts.<domain>. Start in mode testing with TLS-RPT, then switch to enforce.',
    limitations:
      "The policy is fetched once over HTTPS with the runner's trust store and recorded in the snapshot; redirects are not followed (RFC 8461 §3.3). Whether the MX hosts match the policy is not checked. Off in the baseline; stricter policies enable it.",
    enabledByDefault: false,
  },
  {
    id: 'tls-rpt.record',
    version: 1,
    area: 'email-auth',
    title: 'TLS-RPT reports are requested',
    statement:
      'Each audited email domain SHOULD publish an _smtp._tls TXT record "v=TLSRPTv1" with at least one rua destination (RFC 8460).',
    rationale:
      'SMTP TLS reports tell the domain owner when senders fail to negotiate TLS or validate MTA-STS, which is how downgrade attacks and broken certificates are noticed before mail is lost.',
    defaultSeverity: 'low',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: {
      lookup: 'tls-rpt',
      domains: 'own-dns-not-parked',
      microsoftManaged: "Microsoft runs its initial domains' DNS; the admin cannot publish a TLS-RPT record there.",
    },
    parameters: {},
    references: { hipaa: ['164.312(e)(1)'], nist: ['SC-8', 'SI-4'] },
    remediation: 'Publish TXT "v=TLSRPTv1; rua=mailto:tls-reports@<domain>" at _smtp._tls.<domain>.',
    limitations: 'Whether reports arrive is not seen. Off in the baseline; stricter policies enable it.',
    enabledByDefault: false,
  },
];
