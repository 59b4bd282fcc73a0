import { readFileSync } from 'node:fs';
import { ConfigurationError, errorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { DnsClient } from './dns-client.js';
import { parseDnsServer, parseResolvConf, serverLabel, type DnsServer } from './server-address.js';

export interface DnsClientSettings {
  /** `--dns-server` / input `dns-servers` values; empty means the system's resolvers. */
  readonly servers: readonly string[];
}

export interface DnsClientDeps {
  readonly logger: Logger;
  /** Reads /etc/resolv.conf; tests pass their own. */
  readonly readResolvConf?: () => string;
  /** Budget for the whole DNS phase (default 120 s), so a stuck resolver cannot hang a run. */
  readonly phaseTimeoutMs?: number;
}

/** Resolves the servers to use: the given ones, else the nameservers of /etc/resolv.conf. */
export function dnsServers(settings: DnsClientSettings, deps: Pick<DnsClientDeps, 'readResolvConf'>): DnsServer[] {
  if (settings.servers.length > 0) return settings.servers.map((s) => parseDnsServer(s));
  let text: string;
  try {
    text = (deps.readResolvConf ?? (() => readFileSync('/etc/resolv.conf', 'utf8')))();
  } catch (error: unknown) {
    throw new ConfigurationError(
      `cannot read /etc/resolv.conf (${errorMessage(error)}); pass --dns-server HOST[:PORT]`,
    );
  }
  const servers = parseResolvConf(text);
  if (servers.length === 0)
    throw new ConfigurationError('/etc/resolv.conf names no nameserver; pass --dns-server HOST[:PORT]');
  return servers;
}

export function createDnsClient(settings: DnsClientSettings, deps: DnsClientDeps): DnsClient {
  const servers = dnsServers(settings, deps);
  deps.logger.info(`DNS servers: ${servers.map(serverLabel).join(', ')}`);
  return new DnsClient({
    servers,
    timeoutMs: 2000,
    retries: 2,
    concurrency: 64,
    phaseTimeoutMs: deps.phaseTimeoutMs ?? 120_000,
  });
}
