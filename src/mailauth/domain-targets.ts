import type { Policy } from '../policy/policy.js';

/**
 * Which audited domains each email-authentication control judges. The tenant's initial
 * *.onmicrosoft.com domain gets only the DMARC and DKIM checks: Microsoft manages its SPF and
 * mail routing. Parked domains never send or receive mail, so the sending checks (DKIM, SPF
 * authorising Microsoft 365) and the receiving ones (MTA-STS, TLS-RPT) skip them.
 */
export type DomainControl =
  | 'spf.record'
  | 'spf.qualifier'
  | 'spf.authorizes-m365'
  | 'dkim.keys'
  | 'dmarc.record'
  | 'dmarc.policy'
  | 'dmarc.reporting'
  | 'domains.parked'
  | 'mta-sts.policy'
  | 'tls-rpt.record';

export const DOMAIN_CONTROLS: readonly DomainControl[] = [
  'spf.record',
  'spf.qualifier',
  'spf.authorizes-m365',
  'dkim.keys',
  'dmarc.record',
  'dmarc.policy',
  'dmarc.reporting',
  'domains.parked',
  'mta-sts.policy',
  'tls-rpt.record',
];

export function isMicrosoftManaged(domain: string): boolean {
  return domain === 'onmicrosoft.com' || domain.endsWith('.onmicrosoft.com');
}

function normalise(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

export function controlTargets(control: DomainControl, domains: readonly string[], policy: Policy): string[] {
  const parked = new Set(policy.domains.parked.map(normalise));
  const all = [...new Set(domains.map(normalise))].filter((d) => d !== '').sort();
  switch (control) {
    case 'dmarc.record':
    case 'dmarc.policy':
    case 'dmarc.reporting':
      return all;
    case 'dkim.keys':
      return all.filter((d) => !parked.has(d));
    case 'spf.record':
    case 'spf.qualifier':
      return all.filter((d) => !isMicrosoftManaged(d));
    case 'spf.authorizes-m365':
    case 'mta-sts.policy':
    case 'tls-rpt.record':
      return all.filter((d) => !isMicrosoftManaged(d) && !parked.has(d));
    case 'domains.parked':
      return all.filter((d) => parked.has(d));
  }
}
