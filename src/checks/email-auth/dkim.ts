import type { DkimKey } from '../../mailauth/dkim-key.js';
import { lookupDkim } from '../../mailauth/domain-lookups.js';
import type { Finding } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import { MICROSOFT_DKIM_SELECTORS, selectorQuestionKeys } from '../../mailauth/microsoft-dkim.js';
import { type DnsData, isDataAnswer } from '../../snapshot/dns-types.js';
import { dkimTargetCloud } from '../../mailauth/microsoft-clouds.js';
import type { Check, CheckInput } from '../check.js';
import { text } from '../exchange-values.js';
import { nothingRead } from '../nothing-read.js';
import { dnsErrorFinding, perDomain } from './dns-replay.js';
import { isEmailDomain, normaliseDomain } from '../../model/domain-name.js';

type CnameResult =
  | { readonly state: 'match'; readonly found: string }
  | { readonly state: 'mismatch' | 'missing'; readonly found: string | null; readonly rcode: string }
  | { readonly state: 'error'; readonly rcode: string };

function cnameOf(dns: DnsData, selector: string, domain: string, expected: string): CnameResult {
  const [cnameKey, txtKey] = selectorQuestionKeys(selector, domain);
  const answer = dns.answers[cnameKey ?? ''] ?? dns.answers[txtKey ?? ''];
  if (!answer) return { state: 'error', rcode: 'NOT_COLLECTED' };
  // NXDOMAIN and NODATA are data (no record); anything else is a lookup error, never a pass.
  if (!isDataAnswer(answer)) return { state: 'error', rcode: answer.rcode };
  const owner = normaliseDomain(`${selector}._domainkey.${domain}`);
  const cname = answer.records.find(
    (r) => r.type.toUpperCase() === 'CNAME' && typeof r.data === 'string' && normaliseDomain(r.name) === owner,
  );
  if (!cname || typeof cname.data !== 'string') return { state: 'missing', found: null, rcode: answer.rcode };
  const found = normaliseDomain(cname.data);
  return found === normaliseDomain(expected)
    ? { state: 'match', found }
    : { state: 'mismatch', found, rcode: answer.rcode };
}

/**
 * For a selector pointing elsewhere than Exchange expects: which Microsoft cloud's DKIM targets the
 * found name looks like (a record copied from another tenant or cloud), or none of them.
 */
function pointsAt(result: CnameResult): { foundLooksLike?: string } {
  if (result.state !== 'mismatch' || !result.found) return {};
  const cloud = dkimTargetCloud(result.found);
  if (!cloud) return { foundLooksLike: 'no Microsoft 365 DKIM target' };
  return {
    foundLooksLike: `a Microsoft 365 ${cloud.cloud} DKIM target${cloud.documented ? '' : ' (format not documented by Microsoft for that cloud)'}`,
  };
}

/**
 * `dkim.signing`: for each accepted email domain, Get-DkimSigningConfig has signing enabled,
 * and the DNS CNAMEs of selector1 and selector2 point at the targets Exchange expects.
 * The initial `onmicrosoft.com` domain is signed by Microsoft and has no CNAMEs to check.
 */
function dkimSigning({ snapshot, context }: CheckInput): readonly Finding[] {
  const excluded = new Set(context.policy.domains.exclude.map(normaliseDomain));
  const domains = snapshot
    .data('graph.domains')
    .filter(isEmailDomain)
    .filter((d) => !excluded.has(normaliseDomain(d.id)));
  const configs = new Map(
    snapshot.data('exo.dkimSigningConfig').map((c) => [normaliseDomain(text(c.Domain) ?? text(c.Identity) ?? ''), c]),
  );
  const dns = snapshot.data('dns');
  if (domains.length === 0)
    return [
      nothingRead(
        'graph.domains listed no email domain to sign for',
        'every tenant has at least its initial *.onmicrosoft.com domain',
      ),
    ];
  return domains.map((d): Finding => {
    const domain = normaliseDomain(d.id);
    const config = configs.get(domain);
    if (!config && d.isInitial === true) {
      // Microsoft signs mail from the initial *.onmicrosoft.com domain with its own key, with no
      // configuration and nothing to publish
      // (learn.microsoft.com/defender-office-365/email-authentication-dkim-configure).
      return {
        target: domain,
        status: 'pass',
        message: 'DKIM signing of the initial domain is managed by Microsoft.',
        evidence: { domain, configured: false, initial: true },
      };
    }
    if (!config) {
      return {
        target: domain,
        status: 'fail',
        message: 'No DKIM signing configuration: mail is signed with the onmicrosoft.com key, not this domain.',
        evidence: { domain, configured: false },
      };
    }
    const base = { domain, configured: true, enabled: config.Enabled === true, status: text(config.Status) ?? null };
    if (config.Enabled !== true) {
      return {
        target: domain,
        status: 'fail',
        message: 'DKIM signing is not enabled for this domain.',
        evidence: base,
      };
    }
    if (d.isInitial === true) {
      return {
        target: domain,
        status: 'pass',
        message: 'DKIM signing is enabled (Microsoft-managed initial domain).',
        evidence: base,
      };
    }
    const selectors = MICROSOFT_DKIM_SELECTORS.map((selector) => {
      const expected = text(config[selector === 'selector1' ? 'Selector1CNAME' : 'Selector2CNAME']) ?? '';
      return {
        selector,
        expected,
        result:
          expected === ''
            ? ({ state: 'missing', found: null, rcode: 'NO_TARGET' } as const)
            : cnameOf(dns, selector, domain, expected),
      };
    });
    const evidence = {
      ...base,
      selectors: selectors.map((s) => ({
        selector: s.selector,
        expected: s.expected,
        ...s.result,
        ...pointsAt(s.result),
      })),
    };
    if (selectors.some((s) => s.result.state === 'error')) {
      return { target: domain, status: 'error', message: 'The DKIM selector CNAMEs could not be looked up.', evidence };
    }
    if (selectors.every((s) => s.result.state === 'match')) {
      return {
        target: domain,
        status: 'pass',
        message: 'DKIM signing is enabled and both selector CNAMEs match.',
        evidence,
      };
    }
    return {
      target: domain,
      status: 'fail',
      message: 'A DKIM selector CNAME is missing or points elsewhere.',
      evidence,
    };
  });
}

function keyJson(key: DkimKey): JsonObject {
  return {
    valid: key.valid,
    error: key.error ?? null,
    detail: key.detail ?? null,
    revoked: key.revoked,
    keyType: key.keyType ?? null,
    keyBits: key.keyBits ?? null,
    testing: key.testing,
    usableForEmail: key.usableForEmail,
  };
}

/** `dkim.keys`: every listed selector publishes one valid, unrevoked key of at least minBits. */
function dkimKeys(input: CheckInput): Promise<readonly Finding[]> {
  const selectors = input.params.strings('selectors');
  const minBits = input.params.number('minBits');
  return perDomain('dkim.keys', input, async (domain, { resolver }) => {
    const results = await lookupDkim(resolver, domain, selectors, minBits);
    const failed = results.find((r) => r.failed);
    if (failed?.failed) return dnsErrorFinding(domain, failed.failed, { selector: failed.selector });
    const problems: string[] = [];
    const evidence: JsonObject[] = [];
    for (const r of results) {
      const keys = r.keys.map(keyJson);
      evidence.push({ selector: r.selector, name: r.name, records: [...r.records], keys });
      if (r.records.length === 0) problems.push(`${r.selector}: no key published`);
      else if (r.records.length > 1)
        problems.push(`${r.selector}: ${r.records.length} TXT records, a verifier may pick any`);
      else {
        const key = r.keys[0];
        if (key && (!key.valid || key.error !== undefined))
          problems.push(`${r.selector}: ${key.error ?? 'invalid'}${key.detail ? ` (${key.detail})` : ''}`);
      }
    }
    const body: JsonObject = { selectors: evidence, minBits };
    if (problems.length === 0) {
      return {
        target: domain,
        status: 'pass',
        message: `${domain} publishes valid DKIM keys at ${selectors.join(', ')}.`,
        evidence: body,
      };
    }
    return {
      target: domain,
      status: 'fail',
      message: `DKIM keys of ${domain}: ${problems.join('; ')}.`,
      evidence: { ...body, problems },
    };
  });
}

/** Checks of the dkim controls, keyed by control ID. */
export const dkimChecks: Readonly<Record<string, Check>> = {
  'dkim.signing': { kind: 'snapshot', evaluate: dkimSigning },
  'dkim.keys': { kind: 'snapshot', evaluate: dkimKeys },
};
