import type { DnsResolver } from '../snapshot/dns-resolver.js';
import { normaliseName } from '../model/domain-name.js';
import type { FailedQuery } from './dns-lookup.js';
import { appliedPolicy, discoverDmarc, organizationalDomain } from './dmarc-discovery.js';
import type { DmarcPolicy } from './dmarc-record.js';

export interface DmarcVerifyInput {
  /** The RFC5322.From domain. */
  readonly fromDomain: string;
  /** d= of DKIM signatures that verified. */
  readonly dkimPassDomains: readonly string[];
  /** The domain SPF authenticated (MAIL FROM or HELO). */
  readonly spfPassDomains: readonly string[];
}

export interface DmarcVerifyResult {
  readonly result: 'pass' | 'fail' | 'none' | 'temperror';
  readonly policy?: DmarcPolicy;
  readonly policyDomain?: string;
  readonly dkimAligned?: boolean;
  readonly spfAligned?: boolean;
  readonly failedQuery?: FailedQuery;
}

/**
 * DMARC evaluation of one message's authentication results (RFC 9989 §4.4 identifier
 * alignment, §5.3.6 policy). Organizational domains come from the DNS tree walk.
 */
export async function verifyDmarc(resolver: DnsResolver, input: DmarcVerifyInput): Promise<DmarcVerifyResult> {
  const from = normaliseName(input.fromDomain);
  const discovery = await discoverDmarc(resolver, from);
  if (discovery.status === 'temperror') return { result: 'temperror', failedQuery: discovery.failed };
  if (discovery.status === 'none') return { result: 'none' };
  const record = discovery.record;
  const fromOrg = await organizationalDomain(resolver, from);
  if (!fromOrg.ok) return { result: 'temperror', failedQuery: fromOrg.failed };
  const aligned = async (domains: readonly string[], mode: 'r' | 's'): Promise<boolean | FailedQuery> => {
    for (const raw of domains) {
      const d = normaliseName(raw);
      if (d === from) return true;
      if (mode === 'r') {
        const org = await organizationalDomain(resolver, d);
        if (!org.ok) return org.failed;
        if (org.domain === fromOrg.domain) return true;
      }
    }
    return false;
  };
  const dkim = await aligned(input.dkimPassDomains, record.adkim);
  if (typeof dkim !== 'boolean') return { result: 'temperror', failedQuery: dkim };
  const spf = await aligned(input.spfPassDomains, record.aspf);
  if (typeof spf !== 'boolean') return { result: 'temperror', failedQuery: spf };
  const applied = await appliedPolicy(resolver, discovery);
  if (!applied.ok) return { result: 'temperror', failedQuery: applied.failed };
  return {
    result: dkim || spf ? 'pass' : 'fail',
    policy: applied.applied.policy,
    policyDomain: discovery.policyDomain,
    dkimAligned: dkim,
    spfAligned: spf,
  };
}
