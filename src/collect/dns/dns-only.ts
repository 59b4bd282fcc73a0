import type { Logger } from '../../logger.js';
import type { Cloud } from '../../model/cloud.js';
import type { Collector } from '../collector.js';
import { liveCollector } from '../live/live-collector.js';
import { liveDnsClients } from './live-dns-clients.js';

/**
 * DNS-only mode: a live collector with only the DNS client (and the HTTPS getter for
 * MTA-STS), auditing just the given domains. No tenant, no credentials.
 */
export function dnsOnlyCollector(
  target: { readonly domains: readonly string[]; readonly cloud?: Cloud },
  dns: { readonly servers: readonly string[] },
  deps: { readonly logger: Logger; readonly now: () => Date; readonly readResolvConf?: () => string },
): Collector {
  return liveCollector({
    mode: 'dns-only',
    tenantId: null,
    clients: liveDnsClients(dns, {
      logger: deps.logger,
      ...(deps.readResolvConf ? { readResolvConf: deps.readResolvConf } : {}),
    }),
    extraDomains: target.domains,
    now: deps.now,
    cloud: target.cloud ?? 'global',
  });
}
