import type { Cloud } from '../model/cloud.js';
import { normaliseDomain } from '../model/domain-name.js';

/*
 * What Microsoft's mail service looks like from DNS in each cloud. Every value is taken from
 * Microsoft's documentation for that cloud, cited beside it; where Microsoft documents nothing,
 * the value is marked unconfirmed and is used only to explain a finding, never to pass one.
 */

/** One cloud's DNS-visible facts. */
export interface MicrosoftMailCloud {
  /** The SPF record a domain includes to authorise Microsoft 365's outbound servers. */
  readonly spfInclude: string;
  /**
   * Where the CNAMEs of selector1/selector2 point, as documented suffixes (`documented: false`
   * for a cloud whose format Microsoft does not publish).
   */
  readonly dkimTargets: readonly { readonly suffix: string; readonly documented: boolean }[];
}

export const MICROSOFT_MAIL_CLOUDS: Readonly<Record<Cloud, MicrosoftMailCloud>> = {
  // learn.microsoft.com/microsoft-365/admin/get-help-with-domains/create-dns-records-at-any-dns-hosting-provider:
  // "v=spf1 include:spf.protection.outlook.com -all". GCC uses the worldwide service.
  // DKIM (learn.microsoft.com/defender-office-365/email-authentication-dkim-configure): custom domains
  // added since May 2025 point at "<prefix>.<letter>-v1.dkim.mail.microsoft", older ones at
  // "._domainkey.<initial domain>.onmicrosoft.com".
  global: {
    spfInclude: 'spf.protection.outlook.com',
    dkimTargets: [
      { suffix: 'dkim.mail.microsoft', documented: true },
      { suffix: 'onmicrosoft.com', documented: true },
    ],
  },
  // learn.microsoft.com/microsoft-365/enterprise/dns-records-for-office-365-gcc-high:
  // "v=spf1 include:spf.protection.office365.us -all". No DKIM CNAME format is documented for
  // GCC High; the initial domain is <tenant>.onmicrosoft.us (same page).
  usgov: {
    spfInclude: 'spf.protection.office365.us',
    dkimTargets: [{ suffix: 'onmicrosoft.us', documented: false }],
  },
  // learn.microsoft.com/microsoft-365/enterprise/dns-records-for-office-365-dod:
  // "v=spf1 include:spf.protection.office365.us -all" (the same include as GCC High).
  dod: {
    spfInclude: 'spf.protection.office365.us',
    dkimTargets: [{ suffix: 'onmicrosoft.us', documented: false }],
  },
  // learn.microsoft.com/microsoft-365/admin/get-help-with-domains/create-dns-records-at-any-dns-hosting-provider?view=o365-21vianet:
  // "v=spf1 include:spf.protection.partner.outlook.cn -all"; initial domains are
  // <tenant>.partner.onmschina.cn. No DKIM CNAME format is documented.
  china: {
    spfInclude: 'spf.protection.partner.outlook.cn',
    dkimTargets: [{ suffix: 'partner.onmschina.cn', documented: false }],
  },
};

/**
 * Suffixes of the initial (Microsoft Online Email Routing Address) domains, whose DNS Microsoft
 * runs in every cloud: `<tenant>.onmicrosoft.com` (worldwide, and seen in government clouds),
 * `<tenant>.onmicrosoft.us` (GCC High and DoD: dns-records-for-office-365-gcc-high / -dod) and
 * `<tenant>.partner.onmschina.cn` (21Vianet). `onmschina.cn` also covers initial domains without
 * `partner.`, which Microsoft does not document either way.
 */
export const MICROSOFT_MANAGED_SUFFIXES: readonly string[] = ['onmicrosoft.com', 'onmicrosoft.us', 'onmschina.cn'];

/** Whether a domain's DNS is Microsoft's by its name: an initial domain in any cloud (or the suffix itself). */
export function hasMicrosoftManagedSuffix(domain: string): boolean {
  const d = normaliseDomain(domain);
  return MICROSOFT_MANAGED_SUFFIXES.some((suffix) => d === suffix || d.endsWith(`.${suffix}`));
}

/** The SPF include a control uses: the policy's explicit domain, or the documented one of the run's cloud (`auto`). */
export function microsoftSpfInclude(parameter: string, cloud: Cloud): { domain: string; from: 'cloud' | 'policy' } {
  return parameter.trim().toLowerCase() === 'auto'
    ? { domain: MICROSOFT_MAIL_CLOUDS[cloud].spfInclude, from: 'cloud' }
    : { domain: normaliseDomain(parameter), from: 'policy' };
}

/**
 * Which Microsoft cloud a DKIM CNAME target looks like it belongs to, by the suffixes above; for
 * evidence when a selector points somewhere other than Exchange expects.
 */
export function dkimTargetCloud(target: string): { cloud: Cloud; documented: boolean } | undefined {
  const t = normaliseDomain(target);
  for (const [cloud, facts] of Object.entries(MICROSOFT_MAIL_CLOUDS) as [Cloud, MicrosoftMailCloud][]) {
    for (const { suffix, documented } of facts.dkimTargets)
      if (t === suffix || t.endsWith(`.${suffix}`)) return { cloud, documented };
  }
  return undefined;
}
