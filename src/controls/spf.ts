import type { ControlDefinition } from './control.js';

const SPF_LIMITATIONS_COMMON =
  'Evaluates the SPF record as published in public DNS at collection time, through the resolvers the run used; split-horizon or internal DNS views are not seen.';

/** SPF controls (RFC 7208), judged on the DNS answers recorded for each audited domain. */
export const spfControls: readonly ControlDefinition[] = [
  {
    id: 'spf.record',
    version: 1,
    area: 'email-auth',
    title: 'SPF record is valid',
    statement:
      'Each audited email domain SHALL publish exactly one SPF record that parses under RFC 7208 and whose evaluation for an address that matches no mechanism ends without permerror (at most 10 DNS-querying terms, at most 2 void lookups, no loops).',
    rationale:
      'A receiver that hits a syntax error, a second record or the 10-lookup limit returns permerror, and most then treat the domain as having no SPF at all: spoofed mail from it is no longer rejected by SPF and DMARC can only rely on DKIM. Lookup-limit overruns creep in as vendors add includes, so the whole include tree is evaluated, not just the top record.',
    defaultSeverity: 'high',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: {
      lookup: 'spf',
      domains: 'own-dns',
      microsoftManaged:
        'Microsoft publishes and maintains the SPF record of its initial domains, and the admin cannot edit their DNS.',
    },
    parameters: {},
    references: { scuba: ['MS.EXO.2.2v3'], cis: ['2.1.8'], hipaa: ['164.312(c)(1)'], nist: ['SI-8'] },
    remediation:
      'Publish one TXT record at the domain starting with "v=spf1". For Microsoft 365 only: "v=spf1 include:spf.protection.outlook.com -all". Merge duplicate records, and flatten or remove includes until the evidence shows 10 or fewer DNS lookups in total.',
    limitations: `${SPF_LIMITATIONS_COMMON}`,
    enabledByDefault: true,
  },
  {
    id: 'spf.qualifier',
    version: 1,
    area: 'email-auth',
    title: 'SPF record fails unlisted senders',
    statement:
      'Each audited email domain\'s SPF record SHALL end in "-all" (or "~all" where the policy allows soft fail), directly or through its redirect target.',
    rationale:
      'The "all" term decides what happens to every sender the record does not list. "+all" authorises the whole Internet, "?all" or a missing "all" says nothing, and both let anyone pass SPF as the domain. CIS and SCuBA v3 accept "~all" because DMARC then makes the decision; "-all" is stricter.',
    defaultSeverity: 'medium',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: {
      lookup: 'spf',
      domains: 'own-dns',
      microsoftManaged:
        'Microsoft publishes and maintains the SPF record of its initial domains, and the admin cannot edit their DNS.',
    },
    parameters: {
      allowSoftfail: {
        schema: {
          type: 'boolean',
          default: true,
          description: 'Accept "~all" (soft fail) as well as "-all". Set false to require a hard fail.',
        },
      },
    },
    references: { scuba: ['MS.EXO.2.2v3'], cis: ['2.1.8'], nist: ['SI-8'] },
    remediation:
      'End the SPF record with "-all" (or "~all" if the policy allows it), after every include and mechanism for legitimate senders.',
    limitations: `${SPF_LIMITATIONS_COMMON} A record that is not valid SPF is reported by spf.record; this control then fails too.`,
    enabledByDefault: true,
  },
  {
    id: 'spf.authorizes-m365',
    version: 1,
    area: 'email-auth',
    title: 'SPF authorises Microsoft 365',
    statement:
      "Each audited email domain that sends through Microsoft 365 SHALL have an SPF record under which an address from Microsoft 365's live outbound ranges evaluates to pass.",
    rationale:
      "If Microsoft 365's servers are not authorised, the tenant's own legitimate mail fails SPF; under a strict DMARC policy it is then quarantined or rejected unless DKIM saves it, and administrators tend to respond by weakening the policy. The check evaluates check_host() with an address taken from the current SPF record of the tenant's Microsoft 365 cloud rather than searching the text for an include, so redirects, nested includes and typos are judged as a receiver would.",
    defaultSeverity: 'medium',
    sources: ['dns'],
    targets: { kind: 'domain', sources: ['graph.domains'] },
    dns: {
      lookup: 'm365-authorization',
      domains: 'own-dns-not-parked',
      microsoftManaged:
        'Microsoft publishes and maintains the SPF record of its initial domains, and the admin cannot edit their DNS.',
    },
    parameters: {
      microsoftSpfDomain: {
        schema: {
          type: 'string',
          format: 'hostname',
          minLength: 1,
          default: 'auto',
          description:
            "The SPF record that lists Microsoft 365 outbound addresses. `auto` follows the tenant's cloud (`cloud` / `--cloud`): spf.protection.outlook.com worldwide and in GCC, spf.protection.office365.us in GCC High and DoD, spf.protection.partner.outlook.cn with 21Vianet. Name another record only to test one Microsoft has not documented; the evidence says which was used.",
        },
      },
    },
    references: { cis: ['2.1.8'], nist: ['SI-8'] },
    remediation:
      'Add the include of your Microsoft 365 cloud to the SPF record, before the final "all" term: "include:spf.protection.outlook.com" (worldwide and GCC), "include:spf.protection.office365.us" (GCC High and DoD) or "include:spf.protection.partner.outlook.cn" (21Vianet). The failing result names the one this audit used.',
    limitations: `${SPF_LIMITATIONS_COMMON} One address from Microsoft's ranges is tested, not every range. Every accepted email domain is assumed to send through Microsoft 365 (in DNS-only mode every listed domain); parked domains are skipped. The include follows the tenant's cloud; Microsoft documents only the include names, not the records' contents, which are read live.`,
    enabledByDefault: true,
  },
];
