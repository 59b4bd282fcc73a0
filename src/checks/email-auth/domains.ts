import { lookupMtaSts, lookupParked, lookupTlsRpt } from '../../mailauth/domain-lookups.js';
import { parseMtaStsPolicy, parseMtaStsRecord, parseTlsRptRecord } from '../../mailauth/mta-sts.js';
import { isSpfRecord } from '../../mailauth/spf-record.js';
import type { Finding } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import type { Check, CheckInput } from '../check.js';
import { dnsErrorFinding, perDomain } from './dns-replay.js';

/** `domains.parked`: SPF "v=spf1 -all", DMARC reject, null MX or none. */
function domainsParked(input: CheckInput): Promise<readonly Finding[]> {
  return perDomain('domains.parked', input, async (domain, { resolver }) => {
    const { txt, dmarc, mx } = await lookupParked(resolver, domain);
    if (txt.failed) return dnsErrorFinding(domain, txt.failed);
    if (dmarc.status === 'temperror') return dnsErrorFinding(domain, dmarc.failed);
    if (mx.failed) return dnsErrorFinding(domain, mx.failed);
    const problems: string[] = [];
    const spf = txt.records.filter(isSpfRecord);
    const spfOk = spf.length === 1 && (spf[0] ?? '').trim().replace(/\s+/g, ' ').toLowerCase() === 'v=spf1 -all';
    if (!spfOk) problems.push(spf.length === 0 ? 'no SPF record' : `SPF is "${spf.join('" + "')}", not "v=spf1 -all"`);
    let dmarcPolicy: string | null = null;
    if (dmarc.status === 'found') {
      dmarcPolicy = dmarc.policyDomain === domain ? dmarc.record.p : dmarc.record.sp;
      if (dmarcPolicy !== 'reject' || dmarc.record.pct !== 100 || dmarc.record.t)
        problems.push(
          `DMARC policy is ${dmarcPolicy}${dmarc.record.t ? ' with t=y' : ''}${dmarc.record.pct !== 100 ? ` pct=${dmarc.record.pct}` : ''}, not reject`,
        );
    } else problems.push('no DMARC record');
    // RFC 7505: a null MX is a single MX with preference 0 and exchange ".".
    const nullMx = mx.exchanges.length === 1 && mx.exchanges[0]?.exchange === '';
    if (mx.exchanges.length > 0 && !nullMx)
      problems.push(`MX records point to ${mx.exchanges.map((m) => m.exchange || '.').join(', ')}`);
    const evidence: JsonObject = {
      spf: [...spf],
      dmarcPolicy,
      dmarcPolicyDomain: dmarc.status === 'found' ? dmarc.policyDomain : null,
      mx: mx.exchanges.map((m) => ({ preference: m.preference, exchange: m.exchange === '' ? '.' : m.exchange })),
      nullMx,
    };
    if (problems.length === 0)
      return { target: domain, status: 'pass', message: `Parked domain ${domain} refuses all mail.`, evidence };
    return {
      target: domain,
      status: 'fail',
      message: `Parked domain ${domain}: ${problems.join('; ')}.`,
      evidence: { ...evidence, problems },
    };
  });
}

/** A `fail` unless the domain publishes exactly one record of the kind (RFC 8461 §3.1, RFC 8460 §3). */
function notExactlyOne(
  domain: string,
  records: readonly string[],
  kind: string,
  evidence: JsonObject,
): Finding | undefined {
  if (records.length === 1) return undefined;
  return {
    target: domain,
    status: 'fail',
    message:
      records.length === 0
        ? `${domain} publishes no ${kind} record.`
        : `${domain} publishes ${records.length} ${kind} records.`,
    evidence,
  };
}

/** `mta-sts.policy`: _mta-sts record plus an HTTPS policy with mode enforce. */
function mtaStsPolicy(input: CheckInput): Promise<readonly Finding[]> {
  return perDomain('mta-sts.policy', input, async (domain, { resolver, https }) => {
    const sts = await lookupMtaSts(resolver, https, domain);
    if (sts.record.failed) return dnsErrorFinding(domain, sts.record.failed);
    const records = sts.record.records.filter((r) => r.startsWith('v=STSv1'));
    const base: JsonObject = { recordName: sts.record.name, records: [...records], policyUrl: sts.policyUrl };
    const count = notExactlyOne(domain, records, 'MTA-STS', base);
    if (count) return count;
    const record = parseMtaStsRecord(records[0] ?? '');
    if (!record.ok)
      return {
        target: domain,
        status: 'fail',
        message: `The MTA-STS record of ${domain} is invalid: ${record.error}.`,
        evidence: base,
      };
    const fetched = sts.policy;
    if (!fetched || fetched.status === 0) {
      // No HTTP answer at all (TLS, DNS or connection failure) cannot be judged: fail closed.
      return {
        target: domain,
        status: 'error',
        message: `The MTA-STS policy of ${domain} could not be fetched: ${fetched?.error ?? 'not fetched'}.`,
        evidence: { ...base, fetchError: fetched?.error ?? null },
      };
    }
    const evidence: JsonObject = {
      ...base,
      id: record.value.id,
      httpStatus: fetched.status,
      contentType: fetched.contentType ?? null,
    };
    if (fetched.status !== 200)
      return { target: domain, status: 'fail', message: `${sts.policyUrl} answered HTTP ${fetched.status}.`, evidence };
    if (!(fetched.contentType ?? '').toLowerCase().startsWith('text/plain')) {
      return {
        target: domain,
        status: 'fail',
        message: `${sts.policyUrl} is not text/plain (RFC 8461 §3.3).`,
        evidence,
      };
    }
    const policy = parseMtaStsPolicy(fetched.body ?? '');
    if (!policy.ok)
      return {
        target: domain,
        status: 'fail',
        message: `The MTA-STS policy of ${domain} is invalid: ${policy.error}.`,
        evidence,
      };
    const full: JsonObject = {
      ...evidence,
      mode: policy.value.mode,
      mx: [...policy.value.mx],
      maxAge: policy.value.maxAge,
    };
    if (policy.value.mode !== 'enforce')
      return {
        target: domain,
        status: 'fail',
        message: `The MTA-STS policy of ${domain} is in mode ${policy.value.mode}, not enforce.`,
        evidence: full,
      };
    return { target: domain, status: 'pass', message: `${domain} enforces MTA-STS.`, evidence: full };
  });
}

/** `tls-rpt.record`: _smtp._tls TXT v=TLSRPTv1 with rua. */
function tlsRptRecord(input: CheckInput): Promise<readonly Finding[]> {
  return perDomain('tls-rpt.record', input, async (domain, { resolver }) => {
    const txt = await lookupTlsRpt(resolver, domain);
    if (txt.failed) return dnsErrorFinding(domain, txt.failed);
    const records = txt.records.filter((r) => /^v\s*=\s*TLSRPTv1/.test(r));
    const evidence: JsonObject = { recordName: txt.name, records: [...records] };
    const count = notExactlyOne(domain, records, 'TLS-RPT', evidence);
    if (count) return count;
    const parsed = parseTlsRptRecord(records[0] ?? '');
    if (!parsed.ok)
      return {
        target: domain,
        status: 'fail',
        message: `The TLS-RPT record of ${domain} is invalid: ${parsed.error}.`,
        evidence,
      };
    return {
      target: domain,
      status: 'pass',
      message: `${domain} requests TLS reports.`,
      evidence: { ...evidence, rua: [...parsed.value.rua] },
    };
  });
}

/** Checks of the domains controls, keyed by control ID. */
export const domainsChecks: Readonly<Record<string, Check>> = {
  'domains.parked': { kind: 'snapshot', evaluate: domainsParked },
  'mta-sts.policy': { kind: 'snapshot', evaluate: mtaStsPolicy },
  'tls-rpt.record': { kind: 'snapshot', evaluate: tlsRptRecord },
};
