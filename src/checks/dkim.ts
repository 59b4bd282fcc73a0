import type { DkimKey } from '../mailauth/dkim-key.js';
import { lookupDkim } from '../mailauth/domain-lookups.js';
import type { Finding } from '../model/finding.js';
import type { JsonObject } from '../model/json.js';
import type { Check, CheckInput } from './check.js';
import { dnsErrorFinding, perDomain } from './dns-replay.js';

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
      else if (r.records.length > 1) problems.push(`${r.selector}: ${r.records.length} TXT records, a verifier may pick any`);
      else {
        const key = r.keys[0];
        if (key && (!key.valid || key.error !== undefined)) problems.push(`${r.selector}: ${key.error ?? 'invalid'}${key.detail ? ` (${key.detail})` : ''}`);
      }
    }
    const body: JsonObject = { selectors: evidence, minBits };
    if (problems.length === 0) {
      return { target: domain, status: 'pass', message: `${domain} publishes valid DKIM keys at ${selectors.join(', ')}.`, evidence: body };
    }
    return { target: domain, status: 'fail', message: `DKIM keys of ${domain}: ${problems.join('; ')}.`, evidence: { ...body, problems } };
  });
}

/** Checks of the dkim controls, keyed by control ID. */
export const dkimChecks: Readonly<Record<string, Check>> = {
  'dkim.keys': { kind: 'snapshot', evaluate: dkimKeys },
};
