import type { DmarcDiscovery } from '../../mailauth/dmarc-discovery.js';
import type { DmarcPolicy } from '../../mailauth/dmarc-record.js';
import { lookupDmarc, lookupDmarcReporting } from '../../mailauth/domain-lookups.js';
import type { Finding } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { Check, CheckInput } from '../check.js';
import { dnsErrorFinding, perDomain } from './dns-replay.js';

function discoveryJson(d: DmarcDiscovery): JsonObject {
  return {
    status: d.status,
    policyDomain: d.status === 'found' ? d.policyDomain : null,
    record: d.status === 'found' ? d.recordText : null,
    walk: d.steps.map((s) => ({ domain: s.domain, outcome: s.outcome, ...(s.detail ? { detail: s.detail } : {}) })),
  };
}

function noRecord(domain: string, d: Extract<DmarcDiscovery, { status: 'none' }>): Finding {
  return {
    target: domain,
    status: 'fail',
    message: `No valid DMARC record applies to ${domain} (${d.reason}).`,
    evidence: discoveryJson(d),
  };
}

/** `dmarc.record`: a valid record, the domain's own or one found by the tree walk. */
function dmarcRecord(input: CheckInput): Promise<readonly Finding[]> {
  return perDomain('dmarc.record', input, async (domain, { resolver }) => {
    const d = await lookupDmarc(resolver, domain);
    if (d.status === 'temperror') return dnsErrorFinding(domain, d.failed, discoveryJson(d));
    if (d.status === 'none') return noRecord(domain, d);
    const own = d.policyDomain === domain;
    return {
      target: domain,
      status: 'pass',
      message: own
        ? `${domain} publishes a valid DMARC record.`
        : `${domain} is covered by the DMARC record of ${d.policyDomain}.`,
      evidence: discoveryJson(d),
    };
  });
}

const RANK: Readonly<Record<DmarcPolicy, number>> = { none: 0, quarantine: 1, reject: 2 };

/** `dmarc.policy`: p (own record), sp and np at least the minimum; pct 100; not t=y. */
function dmarcPolicy(input: CheckInput): Promise<readonly Finding[]> {
  const minimum = input.params.string('minimum') as DmarcPolicy;
  return perDomain('dmarc.policy', input, async (domain, { resolver }) => {
    const d = await lookupDmarc(resolver, domain);
    if (d.status === 'temperror') return dnsErrorFinding(domain, d.failed, discoveryJson(d));
    if (d.status === 'none') return noRecord(domain, d);
    const r = d.record;
    const own = d.policyDomain === domain;
    const problems: string[] = [];
    // p applies to the domain that publishes the record; an inherited record applies sp and np.
    if (own && RANK[r.p] < RANK[minimum])
      problems.push(`p=${r.p}${r.pImplied ? ' (implied: p missing or invalid)' : ''}`);
    if (RANK[r.sp] < RANK[minimum]) problems.push(`sp=${r.sp}${r.spExplicit ? '' : ' (inherited from p)'}`);
    if (RANK[r.np] < RANK[minimum]) problems.push(`np=${r.np}${r.npExplicit ? '' : ' (inherited from sp)'}`);
    if (r.pct !== 100) problems.push(`pct=${r.pct}`);
    if (r.t) problems.push('t=y (testing mode)');
    const evidence: JsonObject = {
      ...discoveryJson(d),
      p: r.p,
      sp: r.sp,
      np: r.np,
      pct: r.pctExplicit ? r.pct : null,
      t: r.t,
      minimum,
      ownRecord: own,
      legacyTags: [...r.legacyTags],
    };
    if (problems.length === 0) {
      return { target: domain, status: 'pass', message: `DMARC for ${domain} enforces at least ${minimum}.`, evidence };
    }
    return {
      target: domain,
      status: 'fail',
      message: `DMARC for ${domain} is weaker than ${minimum}: ${problems.join(', ')}.`,
      evidence: { ...evidence, problems },
    };
  });
}

function stripSize(uri: string): string {
  return uri.replace(/!\d+[kmgt]?$/i, '').toLowerCase();
}

/** `dmarc.reporting`: rua present, required addresses present, external destinations authorised. */
function dmarcReporting(input: CheckInput): Promise<readonly Finding[]> {
  const required = input.params.strings('requiredAddresses');
  return perDomain('dmarc.reporting', input, async (domain, { resolver }) => {
    const { discovery: d, destinations } = await lookupDmarcReporting(resolver, domain);
    if (d.status === 'temperror') return dnsErrorFinding(domain, d.failed, discoveryJson(d));
    if (d.status === 'none') return noRecord(domain, d);
    const failed = destinations.find((x) => x.failed);
    if (failed?.failed) return dnsErrorFinding(domain, failed.failed, { destination: failed.uri });
    const rua = d.record.rua.map((u) => u.uri);
    const problems: string[] = [];
    if (rua.length === 0) problems.push('no rua= destination');
    const present = new Set(rua.map(stripSize));
    for (const address of required) if (!present.has(stripSize(address))) problems.push(`required ${address} missing`);
    for (const x of destinations) {
      if (!x.internal && x.domain !== undefined && x.authorised !== true) {
        problems.push(`${x.kind} ${x.uri} is not authorised by ${d.policyDomain}._report._dmarc.${x.domain}`);
      }
    }
    const evidence: JsonObject = {
      ...discoveryJson(d),
      rua,
      invalidRua: [...d.record.invalidRua],
      requiredAddresses: [...required],
      destinations: destinations.map((x) => ({
        uri: x.uri,
        kind: x.kind,
        domain: x.domain ?? null,
        internal: x.internal,
        authorised: x.authorised ?? null,
      })),
    };
    if (problems.length === 0) {
      return {
        target: domain,
        status: 'pass',
        message: `DMARC aggregate reports for ${domain} go to ${rua.length} authorised destination(s).`,
        evidence,
      };
    }
    return {
      target: domain,
      status: 'fail',
      message: `DMARC reporting for ${domain}: ${problems.join('; ')}.`,
      evidence: { ...evidence, problems },
    };
  });
}

/** Checks of the dmarc controls, keyed by control ID. */
export const dmarcChecks: Readonly<Record<string, Check>> = {
  'dmarc.record': { kind: 'snapshot', evaluate: dmarcRecord },
  'dmarc.policy': { kind: 'snapshot', evaluate: dmarcPolicy },
  'dmarc.reporting': { kind: 'snapshot', evaluate: dmarcReporting },
};
