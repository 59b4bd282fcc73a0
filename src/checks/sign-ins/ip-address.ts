import { type Cidr, inNetwork, type IpAddress, ipv4Text, readableIp } from '../../model/ip-address.js';

/*
 * IP addresses as sign-in logs carry them, on the one parser of src/model/ip-address.ts. What is
 * sign-in specific lives here: the network a sprayer rotates within, and whether an address is
 * inside one of the policy's egress CIDR blocks.
 */

export { type Cidr, type IpAddress, parseCidr, parseIp } from '../../model/ip-address.js';

/** The canonical text of an address, so one host always has one key. */
export function ipText(ip: IpAddress): string {
  return readableIp(ip);
}

/** The value of an IPv4 address as one unsigned 32-bit number. */
export function ipv4Value(ip: IpAddress): number {
  const b = ip.bytes;
  return (b[0] ?? 0) * 16777216 + (((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0));
}

/** The /24 of an IPv4 address held as a number, as text. */
export function ipv4PrefixText(value: number): string {
  return `${ipv4Text(value - (value % 256))}/24`;
}

/** The /64 of an IPv6 address, as text. */
export function ipv6PrefixText(ip: IpAddress): string {
  const bytes = new Uint8Array(16);
  bytes.set(ip.bytes.subarray(0, 8));
  return `${readableIp({ version: 6, bytes })}/64`;
}

/**
 * The network a sprayer is likely to rotate within: the /24 of an IPv4 address, the /64 of an
 * IPv6 address (the smallest IPv6 subnet a site is assigned, RFC 6177 §3).
 */
export function sourcePrefix(ip: IpAddress): string {
  return ip.version === 4 ? ipv4PrefixText(ipv4Value(ip)) : ipv6PrefixText(ip);
}

/** Whether `ip` lies inside `cidr`. IPv4 and IPv6 never match each other. */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.base.version === ip.version && inNetwork(ip, cidr.base.bytes, cidr.bits);
}

/** Whether an IPv4 address held as a number lies inside `cidr` (no object made per event). */
export function cidrContainsV4(cidr: Cidr, value: number): boolean {
  if (cidr.base.version !== 4) return false;
  if (cidr.bits === 0) return true;
  const size = 2 ** (32 - cidr.bits);
  return Math.floor(ipv4Value(cidr.base) / size) === Math.floor(value / size);
}
