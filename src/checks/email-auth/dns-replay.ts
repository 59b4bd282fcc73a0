import type { DnsResolver } from '../../snapshot/dns-resolver.js';
import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import type { FailedQuery } from '../../mailauth/dns-lookup.js';
import { findControl } from '../../controls/catalog.js';
import { controlDomains, managedDomains } from '../../mailauth/dns-questions.js';
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
  const { snapshot, context } = input;
  const inScope = {
    audited: context.domains,
    policy: context.policy,
    // Graph's domain list says which domain is the initial one; without it (DNS-only mode) the name does.
    tenantDomains: snapshot.status('graph.domains')?.status === 'ok' ? snapshot.data('graph.domains') : undefined,
    cloud: context.cloud,
  };
  const findings: Finding[] = [];
  for (const domain of controlDomains(definition, inScope)) findings.push(await judge(domain, replay));
  for (const { domain, why } of managedDomains(definition, inScope)) {
    findings.push({
      target: domain,
      status: 'pass',
      message: `${domain} is managed by Microsoft: ${definition.dns.microsoftManaged ?? ''}`,
      evidence: {
        domain,
        managedBy: 'Microsoft',
        because:
          why === 'initial'
            ? "it is the tenant's initial domain (graph.domains isInitial)"
            : 'it is a name under a Microsoft 365 initial-domain suffix (onmicrosoft.com, onmicrosoft.us, onmschina.cn)',
        dnsRead: false,
      },
    });
  }
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
