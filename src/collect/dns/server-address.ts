import { isIP } from 'node:net';
import { ConfigurationError } from '../../errors.js';

/** A DNS server to ask: classic DNS over UDP/TCP, or DNS-over-HTTPS (RFC 8484). */
export type DnsServer =
  | { readonly kind: 'dns'; readonly host: string; readonly port: number }
  | { readonly kind: 'doh'; readonly url: string };

export function serverLabel(server: DnsServer): string {
  if (server.kind === 'doh') return server.url;
  return server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/**
 * Parses `HOST`, `HOST:PORT`, `[IPv6]:PORT`, a bare IPv6 address or an `https://` URL.
 * HOST must be an IP address: resolving the resolver's own name would need a resolver.
 */
export function parseDnsServer(text: string, where = '--dns-server'): DnsServer {
  const value = text.trim();
  if (/^https:\/\//i.test(value)) {
    try {
      return { kind: 'doh', url: new URL(value).toString() };
    } catch {
      throw new ConfigurationError(`${where}: "${text}" is not a valid https:// URL`);
    }
  }
  let host = value;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1] ?? '';
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (isIP(value) === 0) {
    const colon = value.lastIndexOf(':');
    if (colon > 0 && value.indexOf(':') === colon) {
      host = value.slice(0, colon);
      port = Number(value.slice(colon + 1));
    }
  }
  if (isIP(host) === 0) {
    throw new ConfigurationError(`${where}: "${text}" is not HOST[:PORT] with an IP address, nor an https:// URL`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigurationError(`${where}: "${text}" has an invalid port`);
  }
  return { kind: 'dns', host, port };
}

/** The `nameserver` lines of resolv.conf(5), in order. */
export function parseResolvConf(text: string): DnsServer[] {
  const servers: DnsServer[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!match?.[1]) continue;
    // A scoped link-local address (fe80::1%eth0) keeps its zone for the socket.
    const address = match[1];
    if (isIP(address.split('%')[0] ?? '') !== 0) servers.push({ kind: 'dns', host: address, port: 53 });
  }
  return servers;
}
