import type { ControlDefinition } from './control.js';

/** A reject policy for the domain and its subdomains, with aggregate reports (RFC 7489 §6.3). */
const REJECT_RECORD = '_dmarc.{domain}. 3600 IN TXT "v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc-reports@{domain}"';

const DMARC_LIMITATIONS =
  'Policy discovery follows RFC 9989 (DNS tree walk, at most 8 queries; np, psd and t); records written for RFC 7489 are read compatibly, with pct, rf and ri treated as legacy tags. Public DNS at collection time only.';

/** DMARC controls (RFC 9989, reading RFC 7489 records). */
export const dmarcControls: readonly ControlDefinition[] = [
  {
    id: 'dmarc.record',
    version: 1,
    area: 'email-auth',
    title: 'DMARC record is published',
    statement:
      'Each audited email domain SHALL have a valid DMARC record, its own or one found by the RFC 9989 DNS tree walk.',
    rationale:
      "Without DMARC, receivers have no instruction for mail that fails SPF and DKIM in the domain's name, and the domain owner gets no reports of who sends as them. A record that is malformed or duplicated counts as no record at all.",
    defaultSeverity: 'high',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: { lookup: 'dmarc', domains: 'all' },
    parameters: {},
    references: { scuba: ['MS.EXO.4.1v1'], cis: ['2.1.10'], hipaa: ['164.312(c)(1)'], nist: ['SI-8'] },
    remediationRecord: REJECT_RECORD,
    remediation:
      'Publish a TXT record at _dmarc.<domain>, e.g. "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@<domain>", and keep only one.',
    limitations: DMARC_LIMITATIONS,
    enabledByDefault: true,
  },
  {
    id: 'dmarc.policy',
    version: 1,
    area: 'email-auth',
    title: 'DMARC policy enforces',
    statement:
      "Each audited email domain's DMARC policy SHALL be at least the policy minimum for the domain (p), its subdomains (sp) and non-existent subdomains (np), SHALL apply to all mail (pct absent or 100) and SHALL NOT be in testing mode (t=y).",
    rationale:
      'p=none only monitors; spoofed mail is still delivered. A strong p with a weak sp leaves every subdomain open (ScubaGear ignores sp, issue 2294). pct below 100 and t=y (RFC 9989 testing mode) both downgrade enforcement for part or all of the mail.',
    defaultSeverity: 'high',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: { lookup: 'dmarc', domains: 'all' },
    parameters: {
      minimum: {
        schema: {
          type: 'string',
          enum: ['none', 'quarantine', 'reject'],
          default: 'quarantine',
          description: 'The weakest acceptable policy for p, sp and np. CIS accepts quarantine; SCuBA requires reject.',
        },
      },
    },
    references: { scuba: ['MS.EXO.4.2v1'], cis: ['2.1.10'], hipaa: ['164.312(c)(1)'], nist: ['SI-8'] },
    remediationRecord: REJECT_RECORD,
    remediation:
      'Raise p (and sp, np if set) in the _dmarc.<domain> record to quarantine or reject, remove pct or set pct=100, and remove t=y once reports show legitimate mail passes.',
    limitations: `${DMARC_LIMITATIONS} For a domain that inherits its record from a parent, the parent's sp and np are judged, not its p.`,
    enabledByDefault: true,
  },
  {
    id: 'dmarc.reporting',
    version: 1,
    area: 'email-auth',
    title: 'DMARC aggregate reports are collected',
    statement:
      "Each audited email domain's DMARC record SHALL name aggregate report destinations (rua), SHALL include every address the policy requires, and every destination outside the domain SHALL be authorised by a <domain>._report._dmarc.<destination> record.",
    rationale:
      'Aggregate reports are how an organisation learns who sends mail as its domains and whether tightening the policy will break legitimate mail; without them DMARC stays at p=none. A destination in another organisation that has not authorised the reports (RFC 7489 §7.1) gets nothing, silently.',
    defaultSeverity: 'low',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: { lookup: 'dmarc-reporting', domains: 'all' },
    parameters: {
      requiredAddresses: {
        schema: {
          type: 'array',
          items: { type: 'string', format: 'uri' },
          default: [],
          description:
            'rua URIs that must be present, e.g. "mailto:reports@dmarc.cyber.dhs.gov" for US federal agencies (SCuBA MS.EXO.4.3v1). Compared case-insensitively, without size limits.',
        },
      },
    },
    references: { scuba: ['MS.EXO.4.3v1', 'MS.EXO.4.4v1'], cis: ['2.1.10'], nist: ['SI-4'] },
    remediationRecord: REJECT_RECORD,
    remediation:
      'Add rua=mailto:<address> to the DMARC record. For an address in another domain, ask its owner to publish "v=DMARC1" at <your-domain>._report._dmarc.<their-domain>.',
    limitations: `${DMARC_LIMITATIONS} "Outside the domain" compares organisational domains under the Public Suffix List. Whether reports actually arrive is not seen.`,
    enabledByDefault: true,
  },
];
