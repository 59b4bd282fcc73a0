import type { HttpsGetter } from '../../mailauth/domain-lookups.js';
import { createDnsClient, type DnsClientDeps } from './create-dns-client.js';
import { createHttpsGetter } from './https-getter.js';
import type { DnsResolver } from '../../snapshot/dns-resolver.js';

/**
 * The DNS client of a real run and the HTTPS getter for MTA-STS policies. With `--dns-server`
 * given, the policy host is resolved through those servers too: on a runner whose DNS is filtered
 * (the reason for the flag) the system resolver may not answer for `mta-sts.<domain>` either.
 */
export function liveDnsClients(
  dns: { readonly servers: readonly string[] },
  deps: DnsClientDeps,
): { readonly dns: DnsResolver; readonly https: HttpsGetter } {
  const client = createDnsClient({ servers: dns.servers }, deps);
  return { dns: client, https: createHttpsGetter(dns.servers.length > 0 ? { resolver: client } : {}) };
}
