import { lookupM365Authorization, lookupSpf } from '../../mailauth/domain-lookups.js';
import type { SpfNode } from '../../mailauth/spf-check.js';
import { parseSpfRecord, type SpfQualifier } from '../../mailauth/spf-record.js';
import type { Finding } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import { microsoftSpfInclude } from '../../mailauth/microsoft-clouds.js';
import type { Check, CheckInput } from '../check.js';
import { dnsErrorFinding, perDomain } from './dns-replay.js';

/** The include/redirect tree with a lookup count per node, for evidence. */
export function spfTreeJson(node: SpfNode): JsonObject {
  return {
    domain: node.domain,
    via: node.via,
    record: node.record ?? null,
    lookups: node.lookups,
    totalLookups: node.totalLookups,
    result: node.result ?? null,
    children: node.children.map(spfTreeJson),
  };
}

/** `spf.record`: exactly one record, and check_host() for a non-matching address is not permerror. */
function spfRecord(input: CheckInput): Promise<readonly Finding[]> {
  return perDomain('spf.record', input, async (domain, { resolver }) => {
    const spf = await lookupSpf(resolver, domain);
    if (spf.failed) return dnsErrorFinding(domain, spf.failed, { records: [...spf.records] });
    if (spf.records.length !== 1) {
      return {
        target: domain,
        status: 'fail',
        message:
          spf.records.length === 0
            ? `${domain} publishes no SPF record.`
            : `${domain} publishes ${spf.records.length} SPF records; receivers return permerror.`,
        evidence: { records: [...spf.records], count: spf.records.length },
      };
    }
    const probe = spf.probe;
    const evidence: JsonObject = {
      record: spf.records[0] ?? '',
      result: probe?.result ?? null,
      reason: probe?.reason ?? null,
      lookups: probe?.lookups ?? 0,
      voidLookups: probe?.voidLookups ?? 0,
      tree: probe ? spfTreeJson(probe.tree) : null,
    };
    if (probe?.result === 'permerror') {
      return {
        target: domain,
        status: 'fail',
        message: `The SPF record of ${domain} gives permerror: ${probe.reason}.`,
        evidence,
      };
    }
    return {
      target: domain,
      status: 'pass',
      message: `${domain} has one valid SPF record using ${probe?.lookups ?? 0} of 10 DNS lookups.`,
      evidence,
    };
  });
}

/** The qualifier of the record's `all`, following redirect= when there is no `all` (RFC 7208 §6.1). */
function finalAll(node: SpfNode): { qualifier: SpfQualifier; domain: string } | undefined {
  if (node.record === undefined) return undefined;
  const parsed = parseSpfRecord(node.record);
  if (!parsed.ok) return undefined;
  const all = parsed.record.directives.find((d) => d.mechanism.kind === 'all');
  if (all) return { qualifier: all.qualifier, domain: node.domain };
  const redirect = node.children.find((c) => c.via === 'redirect');
  return redirect ? finalAll(redirect) : undefined;
}

const QUALIFIER_TEXT: Readonly<Record<SpfQualifier, string>> = { '-': '-all', '~': '~all', '+': '+all', '?': '?all' };

/** `spf.qualifier`: the record ends in -all (or ~all when allowed). */
function spfQualifier(input: CheckInput): Promise<readonly Finding[]> {
  const allowSoftfail = input.params.boolean('allowSoftfail');
  return perDomain('spf.qualifier', input, async (domain, { resolver }) => {
    const spf = await lookupSpf(resolver, domain);
    if (spf.failed) return dnsErrorFinding(domain, spf.failed);
    if (spf.records.length !== 1 || !spf.probe) {
      return {
        target: domain,
        status: 'fail',
        message: `${domain} has no single SPF record to end in -all.`,
        evidence: { records: [...spf.records] },
      };
    }
    const all = finalAll(spf.probe.tree);
    const evidence: JsonObject = {
      record: spf.records[0] ?? '',
      all: all ? QUALIFIER_TEXT[all.qualifier] : null,
      allFrom: all?.domain ?? null,
      allowSoftfail,
    };
    if (all && (all.qualifier === '-' || (all.qualifier === '~' && allowSoftfail))) {
      return {
        target: domain,
        status: 'pass',
        message: `The SPF record of ${domain} ends in ${QUALIFIER_TEXT[all.qualifier]}.`,
        evidence,
      };
    }
    return {
      target: domain,
      status: 'fail',
      message: all
        ? `The SPF record of ${domain} ends in ${QUALIFIER_TEXT[all.qualifier]}; required ${allowSoftfail ? '-all or ~all' : '-all'}.`
        : `The SPF record of ${domain} has no "all" term, so unlisted senders get neutral.`,
      evidence,
    };
  });
}

/**
 * `spf.authorizes-m365`: an address from Microsoft 365's live ranges passes check_host(). The
 * ranges are read from the SPF include of the tenant's cloud (worldwide, GCC High, DoD, 21Vianet),
 * unless the policy names another include.
 */
function spfAuthorizesM365(input: CheckInput): Promise<readonly Finding[]> {
  const include = microsoftSpfInclude(input.params.string('microsoftSpfDomain'), input.context.cloud);
  const spfDomain = include.domain;
  const about: JsonObject = {
    microsoftSpfDomain: spfDomain,
    microsoftSpfDomainFrom: include.from,
    cloud: input.context.cloud,
  };
  return perDomain('spf.authorizes-m365', input, async (domain, { resolver }) => {
    const m365 = await lookupM365Authorization(resolver, domain, spfDomain);
    if (m365.failed) return dnsErrorFinding(domain, m365.failed, about);
    if (m365.missing !== undefined || !m365.outcome) {
      return {
        target: domain,
        status: 'error',
        message: `Microsoft 365's sending ranges could not be read from ${spfDomain}: ${m365.missing ?? ''}.`,
        evidence: about,
      };
    }
    const evidence: JsonObject = {
      testedAddress: m365.ip ?? null,
      fromRange: m365.network ?? null,
      ...about,
      result: m365.outcome.result,
      reason: m365.outcome.reason,
      mechanism: m365.outcome.mechanism ?? null,
    };
    if (m365.outcome.result === 'pass') {
      return {
        target: domain,
        status: 'pass',
        message: `SPF of ${domain} passes Microsoft 365 address ${m365.ip ?? ''} (from ${spfDomain}).`,
        evidence,
      };
    }
    return {
      target: domain,
      status: 'fail',
      message: `SPF of ${domain} gives ${m365.outcome.result} for Microsoft 365 address ${m365.ip ?? ''} (from ${spfDomain}); its own mail fails SPF. Add "include:${spfDomain}".`,
      evidence,
    };
  });
}

/** Checks of the spf controls, keyed by control ID. */
export const spfChecks: Readonly<Record<string, Check>> = {
  'spf.record': { kind: 'snapshot', evaluate: spfRecord },
  'spf.qualifier': { kind: 'snapshot', evaluate: spfQualifier },
  'spf.authorizes-m365': { kind: 'snapshot', evaluate: spfAuthorizesM365 },
};
