import type { DnsResolver } from '../snapshot/dns-resolver.js';
import type { ControlParams } from '../controls/params.js';
import {
  type HttpsGetter,
  lookupDkim,
  lookupDmarc,
  lookupDmarcReporting,
  lookupM365Authorization,
  lookupMtaSts,
  lookupParked,
  lookupSpf,
  lookupTlsRpt,
} from './domain-lookups.js';
import type { DomainControl } from './domain-targets.js';

/**
 * The look-ups of each control for one domain, with the control's parameters. The DNS
 * collector runs these through a recording resolver; each check calls the same function with
 * the same parameters over the recorded answers.
 */
export const CONTROL_LOOKUPS: Readonly<
  Record<
    DomainControl,
    (resolver: DnsResolver, https: HttpsGetter, domain: string, params: ControlParams) => Promise<unknown>
  >
> = {
  'spf.record': (r, _h, d) => lookupSpf(r, d),
  'spf.qualifier': (r, _h, d) => lookupSpf(r, d),
  'spf.authorizes-m365': (r, _h, d, p) => lookupM365Authorization(r, d, p.string('microsoftSpfDomain')),
  'dkim.keys': (r, _h, d, p) => lookupDkim(r, d, p.strings('selectors'), p.number('minBits')),
  'dmarc.record': (r, _h, d) => lookupDmarc(r, d),
  'dmarc.policy': (r, _h, d) => lookupDmarc(r, d),
  'dmarc.reporting': (r, _h, d) => lookupDmarcReporting(r, d),
  'domains.parked': (r, _h, d) => lookupParked(r, d),
  'mta-sts.policy': (r, h, d) => lookupMtaSts(r, h, d),
  'tls-rpt.record': (r, _h, d) => lookupTlsRpt(r, d),
};
