import type { DnsResolver } from '../snapshot/dns-resolver.js';
import type { HttpsFetch } from '../snapshot/dns-types.js';
import { normaliseName } from '../model/domain-name.js';
import { parseDkimKey, type DkimKey } from './dkim-key.js';
import { type FailedQuery, lookupMx, lookupTxt } from './dns-lookup.js';
import { discoverDmarc, type DmarcDiscovery } from './dmarc-discovery.js';
import { pslOrganizationalDomain } from './org-domain.js';
import { checkHost, type SpfOutcome } from './spf-check.js';
import { parseIp6 } from '../model/ip-address.js';
import { isSpfRecord, parseSpfRecord } from './spf-record.js';

/**
 * The DNS look-ups each email-authentication control makes for one domain. The collector runs
 * them through a recording resolver and the checks run them again over the recorded answers,
 * so both ask exactly the same questions and replay gives the same verdicts.
 */

/** How an HTTPS GET is made (live) or replayed (from the snapshot). */
export type HttpsGetter = (url: string) => Promise<HttpsFetch>;

/** Sender address for the "no mechanism matches" walk: 240.0.0.0/4 is reserved and never sends mail. */
export const SPF_PROBE_IP = '240.0.0.1';

export interface SpfLookup {
  readonly failed?: FailedQuery;
  /** Every TXT record at the domain that starts with v=spf1. */
  readonly records: readonly string[];
  /** check_host() for SPF_PROBE_IP, when exactly one record exists. */
  readonly probe?: SpfOutcome;
}

export async function lookupSpf(resolver: DnsResolver, domain: string): Promise<SpfLookup> {
  const txt = await lookupTxt(resolver, domain);
  if (!txt.ok) return { failed: txt.failed, records: [] };
  const records = txt.values.filter(isSpfRecord);
  if (records.length !== 1) return { records };
  const probe = await checkHost(resolver, { ip: SPF_PROBE_IP, domain, sender: `postmaster@${domain}`, helo: domain });
  return {
    records,
    probe,
    ...(probe.result === 'temperror' && probe.failedQuery ? { failed: probe.failedQuery } : {}),
  };
}

/** Microsoft 365's SPF include (learn.microsoft.com: "Set up SPF to identify valid email sources"). */
export const M365_SPF_DOMAIN = 'spf.protection.outlook.com';

/**
 * An address Microsoft 365 sends from: the first ip4 network found walking the live
 * spf.protection.outlook.com record and its includes (depth-first, at most 10 records).
 */
export async function microsoftSendingAddress(
  resolver: DnsResolver,
  spfDomain: string = M365_SPF_DOMAIN,
): Promise<{ ip: string; network: string } | { failed: FailedQuery } | { missing: string }> {
  const queue = [spfDomain];
  let visited = 0;
  let firstV6: { ip: string; network: string } | undefined;
  while (queue.length > 0 && visited < 10) {
    const domain = queue.shift() as string;
    visited++;
    const txt = await lookupTxt(resolver, domain);
    if (!txt.ok) return { failed: txt.failed };
    const record = txt.values.find(isSpfRecord);
    if (record === undefined) continue;
    const parsed = parseSpfRecord(record);
    if (!parsed.ok) continue;
    const includes: string[] = [];
    for (const d of parsed.record.directives) {
      const m = d.mechanism;
      if (d.qualifier !== '+') continue;
      if (m.kind === 'ip4') {
        const bytes = m.address.split('.').map(Number);
        // The network's second address: inside the range whatever its prefix length.
        if (m.cidr < 32) bytes[3] = (bytes[3] ?? 0) | 1;
        return { ip: bytes.join('.'), network: `${m.address}/${m.cidr}` };
      }
      if (m.kind === 'ip6' && firstV6 === undefined && parseIp6(m.address))
        firstV6 = { ip: m.address, network: `${m.address}/${m.cidr}` };
      if (m.kind === 'include' && !m.domain.includes('%')) includes.push(m.domain);
    }
    queue.unshift(...includes);
  }
  return firstV6 ?? { missing: `no ip4 or ip6 range found under ${spfDomain}` };
}

export interface M365Lookup {
  readonly failed?: FailedQuery;
  readonly missing?: string;
  readonly ip?: string;
  readonly network?: string;
  readonly outcome?: SpfOutcome;
}

export async function lookupM365Authorization(
  resolver: DnsResolver,
  domain: string,
  spfDomain: string = M365_SPF_DOMAIN,
): Promise<M365Lookup> {
  const address = await microsoftSendingAddress(resolver, spfDomain);
  if ('failed' in address) return { failed: address.failed };
  if ('missing' in address) return { missing: address.missing };
  const outcome = await checkHost(resolver, { ip: address.ip, domain, sender: `postmaster@${domain}`, helo: domain });
  return {
    ip: address.ip,
    network: address.network,
    outcome,
    ...(outcome.result === 'temperror' && outcome.failedQuery ? { failed: outcome.failedQuery } : {}),
  };
}

export interface DkimSelectorLookup {
  readonly selector: string;
  readonly name: string;
  readonly failed?: FailedQuery;
  /** The TXT records at the name (after CNAMEs), strings joined. */
  readonly records: readonly string[];
  readonly keys: readonly DkimKey[];
}

export async function lookupDkim(
  resolver: DnsResolver,
  domain: string,
  selectors: readonly string[],
  minBits: number,
): Promise<DkimSelectorLookup[]> {
  const out: DkimSelectorLookup[] = [];
  for (const selector of selectors) {
    const name = `${selector}._domainkey.${domain}`;
    const txt = await lookupTxt(resolver, name);
    if (!txt.ok) {
      out.push({ selector, name, failed: txt.failed, records: [], keys: [] });
      continue;
    }
    out.push({ selector, name, records: txt.values, keys: txt.values.map((r) => parseDkimKey(r, { minBits })) });
  }
  return out;
}

export function lookupDmarc(resolver: DnsResolver, domain: string): Promise<DmarcDiscovery> {
  return discoverDmarc(resolver, domain);
}

export interface ReportDestination {
  readonly uri: string;
  readonly kind: 'rua' | 'ruf';
  readonly domain?: string;
  /** True when the destination is in the policy domain's organizational domain (PSL). */
  readonly internal: boolean;
  /** For external destinations: whether <domain>._report._dmarc.<destination> authorises it (RFC 7489 §7.1). */
  readonly authorised?: boolean;
  readonly failed?: FailedQuery;
}

export async function lookupReportAuthorisations(
  resolver: DnsResolver,
  policyDomain: string,
  uris: readonly { uri: string; kind: 'rua' | 'ruf' }[],
): Promise<ReportDestination[]> {
  const out: ReportDestination[] = [];
  const own = pslOrganizationalDomain(policyDomain) ?? policyDomain;
  for (const { uri, kind } of uris) {
    const mailto = /^mailto:[^@]+@([^?!,]+)/i.exec(uri);
    if (!mailto?.[1]) {
      out.push({ uri, kind, internal: false });
      continue;
    }
    const domain = normaliseName(mailto[1]);
    const internal = (pslOrganizationalDomain(domain) ?? domain) === own;
    if (internal) {
      out.push({ uri, kind, domain, internal });
      continue;
    }
    const txt = await lookupTxt(resolver, `${policyDomain}._report._dmarc.${domain}`);
    if (!txt.ok) out.push({ uri, kind, domain, internal, failed: txt.failed });
    else
      out.push({ uri, kind, domain, internal, authorised: txt.values.some((t) => /^v\s*=\s*DMARC1\s*(;|$)/.test(t)) });
  }
  return out;
}

export interface MxLookup {
  readonly failed?: FailedQuery;
  readonly exchanges: readonly { preference: number; exchange: string }[];
  readonly nxdomain: boolean;
}

export async function lookupMxRecords(resolver: DnsResolver, domain: string): Promise<MxLookup> {
  const mx = await lookupMx(resolver, domain);
  if (!mx.ok) return { failed: mx.failed, exchanges: [], nxdomain: false };
  // The exchange is normalised: a null MX's "." (RFC 7505) becomes "".
  return {
    exchanges: mx.values.map((m) => ({ preference: m.preference, exchange: normaliseName(m.exchange) })),
    nxdomain: mx.nxdomain,
  };
}

export interface TxtAt {
  readonly name: string;
  readonly failed?: FailedQuery;
  readonly records: readonly string[];
}

export async function lookupTxtAt(resolver: DnsResolver, name: string): Promise<TxtAt> {
  const txt = await lookupTxt(resolver, name);
  return txt.ok ? { name, records: txt.values } : { name, failed: txt.failed, records: [] };
}

export interface MtaStsLookup {
  readonly record: TxtAt;
  readonly policyUrl: string;
  readonly policy?: HttpsFetch;
}

/** RFC 8461 §3.3: the policy is at https://mta-sts.<domain>/.well-known/mta-sts.txt. */
export async function lookupMtaSts(resolver: DnsResolver, https: HttpsGetter, domain: string): Promise<MtaStsLookup> {
  const record = await lookupTxtAt(resolver, `_mta-sts.${domain}`);
  const policyUrl = `https://mta-sts.${domain}/.well-known/mta-sts.txt`;
  if (record.failed || !record.records.some((r) => r.startsWith('v=STSv1'))) return { record, policyUrl };
  return { record, policyUrl, policy: await https(policyUrl) };
}

export function lookupTlsRpt(resolver: DnsResolver, domain: string): Promise<TxtAt> {
  return lookupTxtAt(resolver, `_smtp._tls.${domain}`);
}

export interface DmarcReportingLookup {
  readonly discovery: DmarcDiscovery;
  readonly destinations: readonly ReportDestination[];
}

export async function lookupDmarcReporting(resolver: DnsResolver, domain: string): Promise<DmarcReportingLookup> {
  const discovery = await discoverDmarc(resolver, domain);
  if (discovery.status !== 'found') return { discovery, destinations: [] };
  const uris = [
    ...discovery.record.rua.map((u) => ({ uri: u.uri, kind: 'rua' as const })),
    ...discovery.record.ruf.map((u) => ({ uri: u.uri, kind: 'ruf' as const })),
  ];
  return { discovery, destinations: await lookupReportAuthorisations(resolver, discovery.policyDomain, uris) };
}

export interface ParkedLookup {
  readonly txt: TxtAt;
  readonly dmarc: DmarcDiscovery;
  readonly mx: MxLookup;
}

export async function lookupParked(resolver: DnsResolver, domain: string): Promise<ParkedLookup> {
  return {
    txt: await lookupTxtAt(resolver, domain),
    dmarc: await discoverDmarc(resolver, domain),
    mx: await lookupMxRecords(resolver, domain),
  };
}
