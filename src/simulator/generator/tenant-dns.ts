import type { DnsAnswer, DnsData, DnsRecord, HttpsFetch } from '../../snapshot/dns-types.js';
import { mix, type TenantShape } from './tenant-model.js';
import { DKIM_KEY_1024, DKIM_KEY_2048, M365_SPF } from './vocabulary.js';

function txt(name: string, ...values: string[]): DnsRecord[] {
  return values.map((value) => ({ name, type: 'TXT', ttl: 3600, data: [value] }));
}

/** DNS for the tenant's domains: the first well configured, the others with the usual mistakes. */
export function dnsFor(shape: TenantShape): DnsData {
  const answers: Record<string, DnsAnswer> = {};
  const https: Record<string, HttpsFetch> = {};
  const put = (name: string, type: string, records: DnsRecord[], rcode = 'NOERROR'): void => {
    answers[`${name}/${type}`] = { rcode, records };
  };
  const tenantLabel = shape.initialDomain.split('.')[0] ?? 'tenant';
  put('spf.protection.outlook.com', 'TXT', txt('spf.protection.outlook.com', M365_SPF));
  shape.domains.forEach((domain, index) => {
    const profile = index % 3;
    const dashed = domain.replace(/\./g, '-');
    put(domain, 'MX', [
      {
        name: domain,
        type: 'MX',
        ttl: 3600,
        data: { preference: 0, exchange: `${dashed}.mail.protection.outlook.com` },
      },
    ]);
    const verification = `MS=ms${mix(shape.seed, index, 40) % 100000000}`;
    for (const selector of ['selector1', 'selector2']) {
      const target = `${selector}-${dashed}._domainkey.${tenantLabel}.n-v1.dkim.mail.microsoft`;
      const cname: DnsRecord = { name: `${selector}._domainkey.${domain}`, type: 'CNAME', ttl: 3600, data: target };
      const key = profile === 1 && selector === 'selector1' ? DKIM_KEY_1024 : DKIM_KEY_2048;
      const keyRecord = txt(target, `v=DKIM1; k=rsa; p=${key}`);
      if (profile === 2 || (profile === 1 && selector === 'selector2')) {
        put(`${selector}._domainkey.${domain}`, 'CNAME', [], 'NXDOMAIN');
        put(`${selector}._domainkey.${domain}`, 'TXT', [], 'NXDOMAIN');
        continue;
      }
      put(`${selector}._domainkey.${domain}`, 'CNAME', [cname]);
      put(`${selector}._domainkey.${domain}`, 'TXT', [cname, ...keyRecord]);
      put(target, 'TXT', keyRecord);
    }
    if (profile === 0) {
      put(domain, 'TXT', txt(domain, 'v=spf1 include:spf.protection.outlook.com -all', verification));
      put(
        `_dmarc.${domain}`,
        'TXT',
        txt(`_dmarc.${domain}`, `v=DMARC1; p=reject; rua=mailto:dmarc@${domain}; ruf=mailto:dmarc@${domain}; fo=1`),
      );
      put(`_mta-sts.${domain}`, 'TXT', txt(`_mta-sts.${domain}`, 'v=STSv1; id=20261101T000000'));
      // RFC 8461 §3.2 policy, served by the simulator's policy host; Exchange Online's MX hosts.
      https[`https://mta-sts.${domain}/.well-known/mta-sts.txt`] = {
        status: 200,
        contentType: 'text/plain',
        body: 'version: STSv1\r\nmode: enforce\r\nmx: *.mail.protection.outlook.com\r\nmax_age: 604800\r\n',
      };
      put(`_smtp._tls.${domain}`, 'TXT', txt(`_smtp._tls.${domain}`, `v=TLSRPTv1; rua=mailto:tlsrpt@${domain}`));
    } else if (profile === 1) {
      // Soft-fail SPF, monitoring-only DMARC reporting to a vendor that has not authorised it (RFC 7489 §7.1).
      put(domain, 'TXT', txt(domain, 'v=spf1 include:spf.protection.outlook.com ~all', verification));
      put(
        `_dmarc.${domain}`,
        'TXT',
        txt(`_dmarc.${domain}`, 'v=DMARC1; p=none; pct=50; rua=mailto:reports@dmarc-vendor.example'),
      );
      put(`${domain}._report._dmarc.dmarc-vendor.example`, 'TXT', [], 'NXDOMAIN');
    } else {
      // Two SPF records (RFC 7208 §4.5 permerror), one including a name that does not exist; no DMARC.
      put(
        domain,
        'TXT',
        txt(
          domain,
          'v=spf1 include:spf.protection.outlook.com include:mail.retired-host.example ?all',
          'v=spf1 mx -all',
          verification,
        ),
      );
      put('mail.retired-host.example', 'TXT', [], 'NXDOMAIN');
      put(`_dmarc.${domain}`, 'TXT', [], 'NXDOMAIN');
    }
  });
  put(`_dmarc.${shape.initialDomain}`, 'TXT', [], 'NXDOMAIN');
  return { answers, https };
}
