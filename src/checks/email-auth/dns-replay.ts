import type { DnsResolver } from '../../snapshot/dns-resolver.js';
import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import type { FailedQuery } from '../../mailauth/dns-lookup.js';
import { findControl } from '../../controls/catalog.js';
import { controlDomains } from '../../mailauth/dns-questions.js';
import type { Finding } from '../../model/finding.js';
import type { JsonObject } from '../../model/json.js';
import { ReplayResolver } from '../../snapshot/replay-resolver.js';
import type { CheckInput } from '../check.js';
import { nothingRead } from '../nothing-read.js';

/** What a DNS check reads: the recorded answers, replayed through the resolver interface. */
export interface DnsReplay {
  readonly resolver: DnsResolver;
  readonly https: HttpsGetter;
}

export function dnsReplay(input: CheckInput): DnsReplay {
  const data = input.snapshot.data('dns');
  return {
    resolver: new ReplayResolver(data),
    https: (url) =>
      Promise.resolve(
        (data.https && Object.hasOwn(data.https, url) ? data.https[url] : undefined) ?? {
          status: 0,
          error: `the snapshot holds no HTTPS fetch of ${url}`,
        },
      ),
  };
}

export function failedQueryJson(failed: FailedQuery): JsonObject {
  return { ...failed };
}

/** A lookup the control needs failed: `error` for this domain, never pass or fail (fail closed). */
export function dnsErrorFinding(domain: string, failed: FailedQuery, extra: JsonObject = {}): Finding {
  return {
    target: domain,
    status: 'error',
    message: `DNS lookup ${failed.question} failed (${failed.rcode}); the domain cannot be judged.`,
    evidence: { ...extra, failedQuery: failedQueryJson(failed) },
  };
}

/** Runs `judge` for every domain the control targets; no target gives one informative pass-free result. */
export async function perDomain(
  control: string,
  input: CheckInput,
  judge: (domain: string, replay: DnsReplay) => Promise<Finding>,
): Promise<readonly Finding[]> {
  // A tenant always has its initial domain: auditing none of its domains is a collection fault.
  if (input.context.tenantId !== null && input.context.domains.length === 0)
    return [nothingRead('No domain was in scope for the audit', 'a tenant has at least its initial domain')];
  const replay = dnsReplay(input);
  const definition = findControl(control);
  if (!definition?.dns) throw new Error(`${control} declares no DNS questions`);
  const targets = controlDomains(definition, { audited: input.context.domains, policy: input.context.policy });
  const findings: Finding[] = [];
  for (const domain of targets) findings.push(await judge(domain, replay));
  if (findings.length === 0) {
    return [
      {
        target: 'tenant',
        status: 'not_evaluable',
        message: `No domain in scope for ${control}.`,
        evidence: { domainsInScope: [...input.context.domains] },
      },
    ];
  }
  return findings;
}
