import type { Logger } from '../../logger.js';
import type { Collector } from '../collector.js';
import { liveCollector } from '../live/live-collector.js';
import { createDnsClient } from './create-dns-client.js';
import { createHttpsGetter } from './https-getter.js';

/**
 * DNS-only mode: a live collector with only the DNS client (and the HTTPS getter for
 * MTA-STS), auditing just the given domains. No tenant, no credentials.
 */
export function dnsOnlyCollector(
  target: { readonly domains: readonly string[] },
  dns: { readonly servers: readonly string[] },
  deps: { readonly logger: Logger; readonly now: () => Date; readonly readResolvConf?: () => string },
): Collector {
  const client = createDnsClient({ servers: dns.servers }, { logger: deps.logger, ...(deps.readResolvConf ? { readResolvConf: deps.readResolvConf } : {}) });
  return liveCollector({
    mode: 'dns-only',
    tenantId: null,
    clients: { dns: client, https: createHttpsGetter() },
    extraDomains: target.domains,
    now: deps.now,
  });
}
